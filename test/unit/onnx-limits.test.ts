/**
 * The reader's caps on materialised structure (limits.ts): each one refuses a generated model that passes
 * it with an OnnxLimitError naming it, and real models stay far below every cap.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { OnnxReadError, readModelBytes } from '../../src/analyzers/onnx/index';
import { forEachGraph } from '../../src/analyzers/onnx/structure';
import {
  LimitCounter,
  ONNX_LIMITS,
  OnnxLimitError,
  type OnnxLimit,
  type OnnxLimits,
} from '../../src/analyzers/onnx/limits';
import { onnx } from '../../src/analyzers/onnx/generated/onnx';
import type { ModelInfo } from '../../src/analyzers/onnx/index';
import { attr, buildModel, testModel } from './helpers/models';

function varint(n: number): number[] {
  const out: number[] = [];
  do {
    out.push((n & 0x7f) | (n >= 128 ? 0x80 : 0));
    n = Math.floor(n / 128);
  } while (n > 0);
  return out;
}

/** A model whose graph (field 7) is `count` copies of `entry`. */
function repeatedGraph(entry: number[], count: number): Uint8Array {
  const body = Buffer.alloc(entry.length * count);
  for (let i = 0; i < count; i++) body.set(entry, i * entry.length);
  return Buffer.concat([Buffer.from([0x3a, ...varint(body.length)]), body]);
}

function assertLimit(fn: () => unknown, limit: OnnxLimit): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof OnnxLimitError, `expected OnnxLimitError, got ${String(err)}`);
    assert.ok(err instanceof OnnxReadError);
    assert.equal(err.limit, limit);
    assert.match(err.message, new RegExp(`reader limit "${limit}"`));
    return true;
  });
}

const small = (over: Partial<OnnxLimits>): OnnxLimits => ({ ...ONNX_LIMITS, ...over });

void test('ten million empty nodes (20 MB) are refused by the node cap before they are built', () => {
  // Field 7 (graph) of 20,000,000 bytes holding 10,000,000 empty NodeProto fields.
  const bytes = repeatedGraph([0x0a, 0x00], 10_000_000);
  const before = process.memoryUsage().heapUsed;
  assertLimit(() => readModelBytes(bytes), 'nodes');
  // Counted before decoding: no node object was made, so the heap did not grow by the nodes' size.
  assert.ok(process.memoryUsage().heapUsed - before < 100e6);
});

void test('millions of empty graph inputs are refused by the value-info cap', () => {
  assertLimit(() => readModelBytes(repeatedGraph([0x5a, 0x00], 2_000_000)), 'valueInfos');
});

void test('millions of empty initializers are refused by the initializer cap', () => {
  assertLimit(() => readModelBytes(repeatedGraph([0x2a, 0x00], 2_000_000)), 'initializers');
});

void test('a node with more names than the per-node cap is refused, on both decoding paths', () => {
  const names = (n: number): string[] => Array.from({ length: n }, (_, i) => `t${i}`);
  const fast = buildModel({ inputs: [], outputs: [], nodes: [{ op: 'Concat', inputs: names(50), outputs: ['y'] }] });
  assertLimit(() => readModelBytes(fast, small({ namesPerNode: 40 })), 'namesPerNode');
  // Over 64 KB: the node goes through the general reader, which counts before protobufjs decodes.
  const large = buildModel({
    inputs: [],
    outputs: [],
    nodes: [{ op: 'Concat', inputs: names(20_000), outputs: ['y'] }],
  });
  assertLimit(() => readModelBytes(large, small({ namesPerNode: 10_000 })), 'namesPerNode');
  assert.equal(readModelBytes(large).graph.nodes[0]?.inputs.length, 20_000);
});

void test('node names, attributes and attribute values are capped over the whole model', () => {
  const nodes = Array.from({ length: 10 }, (_, i) => ({
    op: 'Foo',
    inputs: ['a', 'b'],
    outputs: [`y${i}`],
    attrs: [attr.ints('axes', [1, 2, 3]), attr.i('k', 1)],
  }));
  const model = buildModel({ inputs: [], outputs: [], nodes });
  assert.equal(
    readModelBytes(model, small({ nodeNames: 30, attributes: 20, attributeValues: 30 })).graph.nodes.length,
    10,
  );
  assertLimit(() => readModelBytes(model, small({ nodeNames: 29 })), 'nodeNames');
  assertLimit(() => readModelBytes(model, small({ attributes: 19 })), 'attributes');
  assertLimit(() => readModelBytes(model, small({ attributeValues: 29 })), 'attributeValues');
  assertLimit(() => readModelBytes(model, small({ nodes: 9 })), 'nodes');
  assertLimit(() => readModelBytes(model, small({ attributesPerNode: 1 })), 'attributesPerNode');
});

void test('a huge packed ints attribute is counted before protobufjs decodes it', () => {
  const ints = new Array<number>(300_000).fill(7);
  const model = buildModel({
    inputs: [],
    outputs: [],
    nodes: [{ op: 'Foo', inputs: [], outputs: ['y'], attrs: [attr.ints('big', ints)] }],
  });
  assertLimit(() => readModelBytes(model, small({ attributeValues: 299_999 })), 'attributeValues');
  assert.equal(readModelBytes(model).graph.nodes[0]?.attributes.get('big')?.ints?.length, 300_000);
});

void test('shapes and tensors with more dims than the rank cap are refused without building the list', () => {
  const dims = new Array<number>(5_000_000).fill(1);
  const tensor = buildModel({ inputs: [], outputs: [], nodes: [], inits: [{ name: 'w', dataType: 1, dims }] });
  assertLimit(() => readModelBytes(tensor), 'rank');
  const shape = buildModel({ inputs: [['x', 1, new Array<number>(100).fill(1)]], outputs: [], nodes: [] });
  assertLimit(() => readModelBytes(shape), 'rank');
  const wide = buildModel({
    inputs: [
      ['x', 1, new Array<number>(20).fill(1)],
      ['z', 1, new Array<number>(20).fill(1)],
    ],
    outputs: [],
    nodes: [],
  });
  assertLimit(() => readModelBytes(wide, small({ dims: 39 })), 'dims');
});

void test('functions, opset and metadata entries are capped', () => {
  const base = { irVersion: 8, graph: { name: 'g' } };
  const fns = onnx.ModelProto.encode({
    ...base,
    functions: Array.from({ length: 5 }, (_, i) => ({ name: `f${i}`, domain: 'd' })),
  }).finish();
  assertLimit(() => readModelBytes(fns, small({ functions: 4 })), 'functions');
  const meta = onnx.ModelProto.encode({
    ...base,
    metadataProps: Array.from({ length: 5 }, (_, i) => ({ key: `k${i}`, value: 'v' })),
  }).finish();
  assertLimit(() => readModelBytes(meta, small({ entries: 4 })), 'entries');
});

/** A model whose main graph holds an If node nested `depth` levels deep. */
function nestedIf(depth: number): Uint8Array {
  let g: onnx.GraphProto.$Properties = { name: 'leaf' };
  for (let i = 0; i < depth; i++)
    g = {
      name: `g${i}`,
      node: [{ opType: 'If', input: ['c'], output: ['y'], attribute: [{ name: 'then_branch', type: 5, g }] }],
    };
  return onnx.ModelProto.encode({ irVersion: 8, graph: g }).finish();
}

void test('subgraph nesting and the number of graphs are capped', () => {
  assert.ok(readModelBytes(nestedIf(ONNX_LIMITS.depth)));
  assert.throws(
    () => readModelBytes(nestedIf(ONNX_LIMITS.depth + 1)),
    (e: unknown) => e instanceof OnnxLimitError && e.limit === 'depth' && e.code === 'too-deep',
  );
  assertLimit(() => readModelBytes(nestedIf(5), small({ graphs: 5 })), 'graphs');
});

void test('the counter adds up totals and names the cap it passes', () => {
  const c = new LimitCounter(small({ nodes: 3 }));
  c.add('nodes', 2);
  c.add('nodes', 1);
  assert.equal(c.total('nodes'), 3);
  assertLimit(() => c.add('nodes', 1, 42), 'nodes');
  assert.throws(() => c.check('rank', 65), /more than 64 dimensions in one shape/);
});

/** The totals a model reaches, the way the reader counts them. */
function totals(model: ModelInfo): Partial<Record<OnnxLimit, number>> {
  const t = { nodes: 0, graphs: 0, valueInfos: 0, initializers: 0, nodeNames: 0, attributes: 0 };
  forEachGraph(model.graph, (g) => {
    t.graphs++;
    t.nodes += g.nodes.length;
    t.valueInfos += g.inputs.length + g.outputs.length + g.valueInfo.length;
    t.initializers += g.initializers.length + g.sparseInitializers.length;
    for (const n of g.nodes) {
      t.nodeNames += n.inputs.length + n.outputs.length;
      t.attributes += n.attributes.size;
    }
  });
  return t;
}

for (const file of ['ppocr-rec.onnx', 'ppocr-det.onnx', 'silero-vad.onnx', 'vit_b_16.onnx']) {
  void test(`${file} stays under a tenth of every cap`, (t) => {
    const p = testModel(t, file);
    if (!p) return;
    const found = totals(readModelBytes(readFileSync(p)));
    for (const [k, v] of Object.entries(found))
      assert.ok(
        v * 10 < ONNX_LIMITS[k as OnnxLimit],
        `${file}: ${k} ${v} against a cap of ${ONNX_LIMITS[k as OnnxLimit]}`,
      );
  });
}
