import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  bytesSource,
  inferShapes,
  inspectOnnxBytes,
  readModelFromSource,
  type OnnxSummary,
} from '../../src/analyzers/onnx/index';
import { costTotals } from '../../src/analyzers/onnx/totals';
import { attr, buildModel, init } from './helpers/models';

const F = 1;
const I64 = 7;

function only(s: OnnxSummary, op: string): number {
  const row = s.cost.topNodes.find((r) => r.opType === op);
  assert.ok(row, `no ${op} row`);
  return (row.macs ?? 0) * row.runs;
}

void test('Conv MACs: output elements x (Cin/group) x kernel area, by hand', () => {
  // 1x3x8x8 input, 4 filters 3x3, stride 2, pad 1 -> 1x4x4x4 output; each output sums 3*3*3 products.
  const m = buildModel({
    inputs: [['x', F, ['N', 3, 8, 8]]],
    outputs: [['y', F, []]],
    inits: [init('w', [4, 3, 3, 3]), init('b', [4])],
    nodes: [
      {
        op: 'Conv',
        inputs: ['x', 'w', 'b'],
        outputs: ['y'],
        attrs: [attr.ints('strides', [2, 2]), attr.ints('pads', [1, 1, 1, 1])],
      },
    ],
  });
  const s = inspectOnnxBytes(m, { batch: 2 });
  assert.deepEqual(s.outputs[0]?.resolvedShape, [2, 4, 4, 4]);
  assert.equal(s.cost.macs, 2 * 4 * 4 * 4 * 27);
  assert.equal(s.cost.flops, 2 * s.cost.macs + 2 * 4 * 4 * 4);
  assert.equal(s.structure.parameters.count, 4 * 27 + 4);
  assert.equal(s.cost.paramBytesRead, (4 * 27 + 4) * 4);
});

void test('grouped and transposed convolutions', () => {
  const m = buildModel({
    inputs: [['x', F, [1, 8, 5, 5]]],
    outputs: [['z', F, []]],
    inits: [init('w', [8, 2, 3, 3]), init('wt', [8, 2, 2, 2])],
    nodes: [
      { op: 'Conv', inputs: ['x', 'w'], outputs: ['y'], attrs: [attr.i('group', 4), attr.s('auto_pad', 'SAME_UPPER')] },
      { op: 'ConvTranspose', inputs: ['y', 'wt'], outputs: ['z'], attrs: [attr.ints('strides', [2, 2])] },
    ],
  });
  const s = inspectOnnxBytes(m);
  // Grouped: 8 outputs x 25 positions x (2 channels x 9). Transposed: every input element x Cout x 2x2.
  assert.equal(only(s, 'Conv'), 8 * 25 * 18);
  assert.equal(only(s, 'ConvTranspose'), 8 * 25 * 2 * 4);
  assert.deepEqual(s.outputs[0]?.resolvedShape, [1, 2, 10, 10]);
});

void test('Gemm, MatMul with batch broadcast, and Einsum', () => {
  const m = buildModel({
    inputs: [
      ['a', F, [6, 10]],
      ['q', F, [2, 3, 5, 7]],
    ],
    outputs: [
      ['g', F, []],
      ['mm', F, []],
      ['e', F, []],
    ],
    inits: [init('w', [4, 10]), init('k', [7, 9])],
    nodes: [
      { op: 'Gemm', inputs: ['a', 'w'], outputs: ['g'], attrs: [attr.i('transB', 1)] },
      { op: 'MatMul', inputs: ['q', 'k'], outputs: ['mm'] },
      { op: 'Einsum', inputs: ['q', 'q'], outputs: ['e'], attrs: [attr.s('equation', 'bhik,bhjk->bhij')] },
    ],
  });
  const s = inspectOnnxBytes(m);
  assert.deepEqual(
    s.outputs.map((o) => o.resolvedShape),
    [
      [6, 4],
      [2, 3, 5, 9],
      [2, 3, 5, 5],
    ],
  );
  assert.equal(only(s, 'Gemm'), 6 * 4 * 10);
  assert.equal(only(s, 'MatMul'), 2 * 3 * 5 * 9 * 7);
  assert.equal(only(s, 'Einsum'), 2 * 3 * 5 * 5 * 7);
});

void test('LSTM MACs: steps x batch x directions x 4 gates x hidden x (input + hidden)', () => {
  const H = 16;
  const m = buildModel({
    inputs: [['x', F, [5, 'batch', 10]]],
    outputs: [
      ['y', F, []],
      ['h', F, []],
    ],
    inits: [init('W', [2, 4 * H, 10]), init('R', [2, 4 * H, H])],
    nodes: [
      {
        op: 'LSTM',
        inputs: ['x', 'W', 'R'],
        outputs: ['y', 'h'],
        attrs: [attr.i('hidden_size', H), attr.s('direction', 'bidirectional')],
      },
    ],
  });
  const s = inspectOnnxBytes(m, { batch: 3 });
  assert.deepEqual(
    s.outputs.map((o) => o.resolvedShape),
    [
      [5, 2, 3, H],
      [2, 3, H],
    ],
  );
  assert.equal(s.cost.macs, 5 * 3 * 2 * 4 * H * (10 + H));
});

void test('Shape→Gather→Unsqueeze→Concat→Reshape chain folds to a static shape (opset 13 input forms)', () => {
  const m = buildModel({
    inputs: [['x', F, ['batch', 4, 6]]],
    outputs: [['y', F, []]],
    inits: [init('i0', [], [0], I64), init('ax', [1], [0], I64), init('minus1', [1], [-1], I64)],
    nodes: [
      { op: 'Shape', inputs: ['x'], outputs: ['s'] },
      { op: 'Gather', inputs: ['s', 'i0'], outputs: ['n'], attrs: [attr.i('axis', 0)] },
      { op: 'Unsqueeze', inputs: ['n', 'ax'], outputs: ['n1'] },
      { op: 'Concat', inputs: ['n1', 'minus1'], outputs: ['shape'], attrs: [attr.i('axis', 0)] },
      { op: 'Reshape', inputs: ['x', 'shape'], outputs: ['y'] },
    ],
  });
  assert.deepEqual(inspectOnnxBytes(m, { batch: 8 }).outputs[0]?.resolvedShape, [8, 24]);
});

void test('Squeeze/Unsqueeze attribute form (opset 11) and Slice, Pad, Resize, Flatten, Transpose', () => {
  const m = buildModel({
    opset: 11,
    inputs: [['x', F, [1, 3, 1, 8, 8]]],
    outputs: [
      ['r', F, []],
      ['f', F, []],
    ],
    inits: [
      init('pads', [8], [0, 0, 1, 1, 0, 0, 1, 1], I64),
      init('st', [2], [1, 0], I64),
      init('en', [2], [3, 100], I64),
      init('sc', [4], [1, 1, 2, 0.5]),
    ],
    nodes: [
      { op: 'Squeeze', inputs: ['x'], outputs: ['s'], attrs: [attr.ints('axes', [2])] },
      { op: 'Slice', inputs: ['s', 'st', 'en'], outputs: ['sl'] },
      { op: 'Pad', inputs: ['sl', 'pads'], outputs: ['p'] },
      { op: 'Resize', inputs: ['p', '', 'sc'], outputs: ['r'] },
      { op: 'Unsqueeze', inputs: ['r'], outputs: ['u'], attrs: [attr.ints('axes', [0])] },
      { op: 'Transpose', inputs: ['u'], outputs: ['t'], attrs: [attr.ints('perm', [0, 2, 1, 3, 4])] },
      { op: 'Flatten', inputs: ['t'], outputs: ['f'], attrs: [attr.i('axis', 2)] },
    ],
  });
  const s = inspectOnnxBytes(m);
  // Squeeze -> [1,3,8,8]; Slice dims 0..1 from [1,0] to [3,100] -> [0,3,8,8]... clamped: dim0 1..1 = 0.
  assert.deepEqual(s.outputs[0]?.resolvedShape, [0, 3, 20, 5]);
  // Unsqueeze -> [1,0,3,20,5]; Transpose -> [1,3,0,20,5]; Flatten at 2 -> [1*3, 0*20*5].
  assert.deepEqual(s.outputs[1]?.resolvedShape, [3, 0]);
});

void test('an unknown operator yields unknown shapes and lowers coverage, never a crash', () => {
  const m = buildModel({
    inputs: [['x', F, [1, 4]]],
    outputs: [['z', F, []]],
    inits: [init('w', [4, 4])],
    nodes: [
      { op: 'MysteryOp', domain: 'example.custom', inputs: ['x'], outputs: ['y'] },
      { op: 'MatMul', inputs: ['y', 'w'], outputs: ['z'] },
    ],
  });
  const s = inspectOnnxBytes(m);
  assert.equal(s.outputs[0]?.resolvedShape, undefined);
  assert.deepEqual(s.cost.coverage.unknownOps, { 'example.custom:MysteryOp': 1 });
  assert.equal(s.cost.coverage.macShare, 0);
});

void test('quantized operators are detected', () => {
  const m = buildModel({
    inputs: [['x', F, [2, 4]]],
    outputs: [['y', 6, []]],
    inits: [init('w', [4, 3], undefined, 3)],
    nodes: [
      { op: 'DynamicQuantizeLinear', inputs: ['x'], outputs: ['xq', 'sc', 'zp'] },
      { op: 'MatMulInteger', inputs: ['xq', 'w', 'zp'], outputs: ['y'] },
    ],
  });
  const s = inspectOnnxBytes(m);
  assert.deepEqual(s.structure.quantization, { quantized: true, ops: { DynamicQuantizeLinear: 1, MatMulInteger: 1 } });
  assert.equal(s.cost.macs, 2 * 3 * 4);
  assert.equal(s.outputs[0]?.dtype, 'int32');
});

void test('peak activation memory: live from the writing step to the last read, by hand', () => {
  // float32 [N, 100] = 400 bytes per sample. Steps (N = 1), live bytes after each write:
  //   x 400 | a=Relu(x) 800 (x freed: 400) | b=Relu(a) 800 | c=Add(a,b) 1200 (a, b freed: 400)
  //   d=Mul(c,c) 800 (c freed once: 400) | e=Relu(d) 800 | u=Concat(d,d,d) [N,300] 2000 (d, unread u freed)
  const m = buildModel({
    inputs: [['x', F, ['N', 100]]],
    outputs: [['e', F, []]],
    nodes: [
      { op: 'Relu', inputs: ['x'], outputs: ['a'] },
      { op: 'Relu', inputs: ['a'], outputs: ['b'] },
      { op: 'Add', inputs: ['a', 'b'], outputs: ['c'] },
      { op: 'Mul', inputs: ['c', 'c'], outputs: ['d'] },
      { op: 'Relu', inputs: ['d'], outputs: ['e'] },
      { op: 'Concat', inputs: ['d', 'd', 'd'], outputs: ['u'], attrs: [attr.i('axis', 1)] },
    ],
  });
  assert.equal(inspectOnnxBytes(m).cost.peakActivationBytes, 2000);
  assert.equal(inspectOnnxBytes(m, { batch: 3 }).cost.peakActivationBytes, 6000);
});

void test('peak activation memory: costing one inference again gives the same peak', () => {
  // The graph output y stays marked live when a walk ends; a later walk over the same facts must not take
  // that mark for its own, or y's 400 bytes would be missing from its peak (x 400 + y 400).
  const m = buildModel({
    inputs: [['x', F, [1, 100]]],
    outputs: [['y', F, []]],
    nodes: [{ op: 'Relu', inputs: ['x'], outputs: ['y'] }],
  });
  const source = bytesSource(m);
  const model = readModelFromSource(source);
  const inf = inferShapes(model, source);
  assert.equal(costTotals(model.graph, inf).peakActivationBytes, 800);
  assert.equal(costTotals(model.graph, inf).peakActivationBytes, 800);
});

void test('peak activation memory adds the larger peak of an If branch while the If runs', () => {
  // Outer: x 400 + cond 1 live, the If writes y [1,400] (1600) = 2001. Then-branch: t1=Concat(x,x) 800,
  // t2=Concat(t1,t1) 1600 -> its peak 2400 (x belongs to the outer graph and is not freed inside).
  // Else-branch: t3 1600. Peak 2001 + 2400.
  const out = (name: string): { name: string; type: { tensorType: { elemType: number } } } => ({
    name,
    type: { tensorType: { elemType: F } },
  });
  const then = {
    name: 'then',
    node: [
      { name: 't0', opType: 'Concat', input: ['x', 'x'], output: ['t1'], attribute: [attr.i('axis', 1)] },
      { name: 't1', opType: 'Concat', input: ['t1', 't1'], output: ['t2'], attribute: [attr.i('axis', 1)] },
    ],
    output: [out('t2')],
  };
  const otherwise = {
    name: 'else',
    node: [
      { name: 'e0', opType: 'Concat', input: ['x', 'x', 'x', 'x'], output: ['t3'], attribute: [attr.i('axis', 1)] },
    ],
    output: [out('t3')],
  };
  const m = buildModel({
    inputs: [
      ['x', F, [1, 100]],
      ['cond', 9, []],
    ],
    outputs: [['y', F, []]],
    nodes: [
      {
        op: 'If',
        inputs: ['cond'],
        outputs: ['y'],
        attrs: [
          { name: 'then_branch', type: 5, g: then },
          { name: 'else_branch', type: 5, g: otherwise },
        ],
      },
    ],
  });
  const s = inspectOnnxBytes(m);
  assert.deepEqual(s.outputs[0]?.resolvedShape, [1, 400]);
  assert.equal(s.cost.peakActivationBytes, 2001 + 2400);
});
