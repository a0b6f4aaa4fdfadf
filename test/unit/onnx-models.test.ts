import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import type * as Ort from 'onnxruntime-node';
import { inspectOnnxFile, type DimOptions } from '../../src/analyzers/onnx/index';
import { ort } from '../../src/profiler/inWorker/ort';
import { testModel } from './helpers/models';

interface Case {
  file: string;
  dims: DimOptions;
  /** Concrete feeds for onnxruntime: shape and dtype of each input. */
  feeds: Record<string, { dims: number[]; type: 'float32' | 'int64'; fill?: number }>;
}

const PP = { 'p2o.DynamicDimension.1': 320, 'p2o.DynamicDimension.2': 320 };
const CASES: Case[] = [
  { file: 'ppocr-det.onnx', dims: { dims: PP }, feeds: { x: { dims: [1, 3, 320, 320], type: 'float32' } } },
  { file: 'ppocr-rec.onnx', dims: { batch: 2, dims: PP }, feeds: { x: { dims: [2, 3, 48, 320], type: 'float32' } } },
  {
    file: 'ppocr-cls.onnx',
    dims: { dims: { 'p2o.DynamicDimension.1': 48, 'p2o.DynamicDimension.2': 192 } },
    feeds: { x: { dims: [1, 3, 48, 192], type: 'float32' } },
  },
  {
    file: 'silero-vad.onnx',
    dims: { dims: { 'input:1': 512, 'state:1': 1 }, values: { sr: [16000] } },
    feeds: {
      input: { dims: [1, 512], type: 'float32' },
      state: { dims: [2, 1, 128], type: 'float32' },
      sr: { dims: [], type: 'int64', fill: 16000 },
    },
  },
  { file: 'blazeface.onnx', dims: {}, feeds: { 'input:0': { dims: [1, 128, 128, 3], type: 'float32' } } },
  { file: 'resnet18.onnx', dims: { batch: 2 }, feeds: { input: { dims: [2, 3, 224, 224], type: 'float32' } } },
  {
    file: 'mobilenet_v3_small.onnx',
    dims: { dims: { batch: 3 } },
    feeds: { input: { dims: [3, 3, 224, 224], type: 'float32' } },
  },
  { file: 'vit_b_16.onnx', dims: {}, feeds: { input: { dims: [1, 3, 224, 224], type: 'float32' } } },
];

/** Reference parameter count by python3-onnx: initializer and Constant-node elements over all graphs. */
const PY_COUNT = `
import sys, onnx
from functools import reduce
def n(dims): return reduce(lambda a, b: a * b, dims, 1)
def count(g):
    total = sum(n(t.dims) for t in g.initializer)
    for node in g.node:
        for a in node.attribute:
            if node.op_type == 'Constant':
                if a.name == 'value': total += n(a.t.dims)
                elif a.name in ('value_float', 'value_int'): total += 1
                elif a.name in ('value_floats',): total += len(a.floats)
                elif a.name in ('value_ints',): total += len(a.ints)
            if a.type == onnx.AttributeProto.GRAPH: total += count(a.g)
            if a.type == onnx.AttributeProto.GRAPHS: total += sum(count(s) for s in a.graphs)
    return total
for f in sys.argv[1:]:
    print(count(onnx.load(f, load_external_data=False).graph))
`;

void test('parameter counts equal python3-onnx on real models', (t) => {
  const files = CASES.map((c) => testModel(t, c.file)).filter((f): f is string => !!f);
  if (files.length < CASES.length) return;
  const out = execFileSync('/usr/bin/python3', ['-c', PY_COUNT, ...files], { encoding: 'utf8' });
  const expected = out.trim().split('\n').map(Number);
  files.forEach((f, i) => assert.equal(inspectOnnxFile(f).structure.parameters.count, expected[i], f));
});

function feedsOf(c: Case): Record<string, Ort.Tensor> {
  const feeds: Record<string, Ort.Tensor> = {};
  for (const [name, f] of Object.entries(c.feeds)) {
    const n = f.dims.reduce((a, b) => a * b, 1);
    feeds[name] =
      f.type === 'int64'
        ? new (ort().Tensor)(
            'int64',
            BigInt64Array.from({ length: n }, () => BigInt(f.fill ?? 0)),
            f.dims,
          )
        : new (ort().Tensor)(
            'float32',
            Float32Array.from({ length: n }, (_, i) => Math.sin(i)),
            f.dims,
          );
  }
  return feeds;
}

for (const c of CASES) {
  void test(`inferred output shapes equal onnxruntime's: ${c.file}`, async (t) => {
    const file = testModel(t, c.file);
    if (!file) return;
    const summary = inspectOnnxFile(file, c.dims);
    const session = await ort().InferenceSession.create(file);
    try {
      const results = await session.run(feedsOf(c));
      for (const o of summary.outputs) {
        const actual = results[o.name];
        assert.ok(actual, `onnxruntime has no output ${o.name}`);
        assert.deepEqual(o.resolvedShape, [...actual.dims], `${c.file} ${o.name}`);
      }
      // With every input dim given, every MAC-bearing node of these models must be counted.
      assert.equal(
        summary.cost.coverage.countedMacNodes,
        summary.cost.coverage.macNodes,
        `${c.file}: MACs not counted for every node`,
      );
    } finally {
      await session.release();
    }
  });
}

/** torchvision's published figures ("GFLOPS", really GMACs), from the `_ops` meta of its weight enums. */
const TORCHVISION_GMACS: Record<string, number> = {
  'resnet18.onnx': 1.814,
  'mobilenet_v3_small.onnx': 0.057,
  'vit_b_16.onnx': 17.564,
};

for (const [file, gmacs] of Object.entries(TORCHVISION_GMACS)) {
  void test(`MACs of ${file} are within 3 % of torchvision's published figure`, (t) => {
    const path = testModel(t, file);
    if (!path) return;
    const s = inspectOnnxFile(path);
    const ratio = s.cost.macs / 1e9 / gmacs;
    assert.ok(Math.abs(ratio - 1) < 0.03, `${file}: ${(s.cost.macs / 1e9).toFixed(4)} GMACs vs ${gmacs}`);
    // The symbolic batch scales the count linearly.
    assert.equal(inspectOnnxFile(path, { batch: 8 }).cost.macs, 8 * s.cost.macs);
  });
}
