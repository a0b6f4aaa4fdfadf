/**
 * Static int8 on CNNs: the QDQ plan quantizes Conv outputs (through their Relu), residual Adds, pooling
 * and the classifier Gemm, so that onnxruntime's optimizer leaves no float Conv behind (QLinearConv
 * chains, QLinearAdd, QGemm); on the real resnet18 that makes the variant faster than fp32, on the real
 * mobilenet_v3_small it runs and stays close to fp32.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type * as Ort from 'onnxruntime-node';
import { buildVariant } from '../../src/profiler/inWorker/build';
import { modelInputs } from '../../src/profiler/inWorker/job';
import { createSession, floatData, ort, toFeeds } from '../../src/profiler/inWorker/ort';
import { batchFeeds, randomSamples } from '../../src/profiler/inputs';
import { medianCi, sortedCopy } from '../../src/profiler/stats';
import { decodeModel } from '../../src/profiler/variants/graph';
import { calibrationNames } from '../../src/profiler/variants/quantStatic';
import { parseVariant } from '../../src/profiler/variants/spec';
import { attr, buildModel, init, testModel } from './helpers/models';
import { tempDir } from './helpers/tempDir';

const tmp = tempDir('gl-static-cnn-');

function rand(n: number, seed: number, scale = 0.3): number[] {
  let s = seed;
  return Array.from({ length: n }, () => (((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1) * scale);
}

/** x → Conv → Relu → Conv → Add(skip) → Relu → MaxPool → Conv → GlobalAveragePool → Flatten → Gemm. */
function residualNet(): Uint8Array {
  const conv = (x: string, w: string, b: string, y: string) => ({
    op: 'Conv',
    inputs: [x, w, b],
    outputs: [y],
    attrs: [attr.ints('pads', [1, 1, 1, 1]), attr.ints('kernel_shape', [3, 3])],
  });
  return buildModel({
    inputs: [['x', 1, ['N', 3, 16, 16]]],
    outputs: [['y', 1, ['N', 10]]],
    nodes: [
      conv('x', 'w0', 'b0', 'c0'),
      { op: 'Relu', inputs: ['c0'], outputs: ['r0'] },
      conv('r0', 'w1', 'b1', 'c1'),
      { op: 'Add', inputs: ['c1', 'r0'], outputs: ['s'] },
      { op: 'Relu', inputs: ['s'], outputs: ['r1'] },
      {
        op: 'MaxPool',
        inputs: ['r1'],
        outputs: ['p'],
        attrs: [attr.ints('kernel_shape', [2, 2]), attr.ints('strides', [2, 2])],
      },
      conv('p', 'w2', 'b2', 'c2'),
      { op: 'Relu', inputs: ['c2'], outputs: ['r2'] },
      { op: 'GlobalAveragePool', inputs: ['r2'], outputs: ['g'] },
      { op: 'Flatten', inputs: ['g'], outputs: ['f'] },
      { op: 'Gemm', inputs: ['f', 'wf', 'bf'], outputs: ['y'], attrs: [attr.i('transB', 1)] },
    ],
    inits: [
      init('w0', [8, 3, 3, 3], rand(216, 3)),
      init('b0', [8], rand(8, 5, 0.1)),
      init('w1', [8, 8, 3, 3], rand(576, 7, 0.15)),
      init('b1', [8], rand(8, 9, 0.1)),
      init('w2', [16, 8, 3, 3], rand(1152, 11, 0.15)),
      init('b2', [16], rand(16, 13, 0.1)),
      init('wf', [10, 16], rand(160, 15)),
      init('bf', [10], rand(10, 17, 0.1)),
    ],
  });
}

/** Op types of the graph onnxruntime actually runs (its optimized model at level `all`). */
async function optimizedOps(file: string): Promise<Record<string, number>> {
  const out = `${file}.optimized.onnx`;
  const s = await ort().InferenceSession.create(file, {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    optimizedModelFilePath: out,
    logSeverityLevel: 3,
  });
  await s.release();
  const counts: Record<string, number> = {};
  for (const n of decodeModel(readFileSync(out)).graph?.node ?? [])
    counts[n.opType ?? ''] = (counts[n.opType ?? ''] ?? 0) + 1;
  return counts;
}

async function firstOutput(file: string, feeds: Record<string, Ort.Tensor>): Promise<Float32Array> {
  const s = await createSession(file);
  try {
    return floatData(Object.values(await s.run(feeds))[0] as Ort.Tensor) ?? new Float32Array();
  } finally {
    await s.release();
  }
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += (a[i] ?? 0) * (b[i] ?? 0);
    na += (a[i] ?? 0) ** 2;
    nb += (b[i] ?? 0) ** 2;
  }
  return dot / Math.sqrt(na * nb);
}

async function staticVariant(
  model: string,
  samples: number,
): Promise<{ path: string; notes: string[]; feeds: Record<string, Ort.Tensor> }> {
  const set = randomSamples(modelInputs(model, { inputs: {} }), {}, samples);
  const built = await buildVariant(model, parseVariant('int8-static'), path.join(tmp, 'store'), set, samples);
  return { path: built.path, notes: built.notes, feeds: toFeeds(batchFeeds(set, 0, samples)) };
}

void test('a residual CNN in QDQ form runs on integer kernels only: no float Conv or Gemm left', async () => {
  const file = path.join(tmp, 'residual.onnx');
  writeFileSync(file, residualNet());
  // The input, Conv outputs through their Relu (c1 feeds the Add directly), the Add through its Relu,
  // the pooled tensor; MaxPool and Flatten reuse their input's range, so p and f are not calibrated.
  assert.deepEqual(calibrationNames(decodeModel(readFileSync(file))).sort(), ['c1', 'g', 'r0', 'r1', 'r2', 'x']);
  const v = await staticVariant(file, 8);
  assert.match(v.notes[0] ?? '', /4 of 4 MatMul\/Gemm\/Conv nodes in QDQ int8/);
  const ops = await optimizedOps(v.path);
  assert.equal(ops.QLinearConv, 3, JSON.stringify(ops));
  assert.equal(ops.QLinearAdd, 1, JSON.stringify(ops));
  assert.equal(ops.QGemm, 1, JSON.stringify(ops));
  for (const float of ['Conv', 'FusedConv', 'Gemm', 'Add'])
    assert.equal(ops[float], undefined, `${float} left in float: ${JSON.stringify(ops)}`);
  const c = cosine(await firstOutput(file, v.feeds), await firstOutput(v.path, v.feeds));
  assert.ok(c > 0.995, `cosine ${c}`);
});

/** Median of per-pair fp32/int8 latency ratios over back-to-back pairs: both runs of a pair see the same load. */
async function pairedSpeedup(
  fp32File: string,
  int8File: string,
  feeds: Record<string, Ort.Tensor>,
  pairs: number,
): Promise<{ x: number; low: number; high: number }> {
  const a = await createSession(fp32File, { threads: 1 });
  const b = await createSession(int8File, { threads: 1 });
  try {
    for (let i = 0; i < 3; i++) {
      await a.run(feeds);
      await b.run(feeds);
    }
    const ratios: number[] = [];
    for (let i = 0; i < pairs; i++) {
      const t0 = performance.now();
      await a.run(feeds);
      const t1 = performance.now();
      await b.run(feeds);
      ratios.push((t1 - t0) / (performance.now() - t1));
    }
    const ci = medianCi(sortedCopy(ratios));
    return { x: ci.median, low: ci.low, high: ci.high };
  } finally {
    await a.release();
    await b.release();
  }
}

void test('real resnet18: every Conv becomes QLinearConv, outputs stay close, and int8 is faster than fp32', async (t) => {
  const model = testModel(t, 'resnet18.onnx');
  if (!model) return;
  const v = await staticVariant(model, 8);
  const convs = (decodeModel(readFileSync(model)).graph?.node ?? []).filter((n) => n.opType === 'Conv').length;
  const ops = await optimizedOps(v.path);
  assert.equal(ops.QLinearConv, convs, JSON.stringify(ops));
  assert.ok((ops.Transpose ?? 0) <= 2, `one NHWC island: ${JSON.stringify(ops)}`);
  const c = cosine(await firstOutput(model, v.feeds), await firstOutput(v.path, v.feeds));
  assert.ok(c > 0.99, `cosine ${c}`);
  const one = toFeeds(batchFeeds(randomSamples(modelInputs(model, { inputs: {} }), {}, 1), 0, 1));
  const s = await pairedSpeedup(model, v.path, one, 20);
  t.diagnostic(
    `resnet18 int8-static speed-up ${s.x.toFixed(2)}× (95 % CI ${s.low.toFixed(2)}–${s.high.toFixed(2)}), cosine ${c.toFixed(5)}`,
  );
  assert.ok(s.low > 1.2, `int8-static should beat fp32 clearly: ${s.x.toFixed(2)}× (CI from ${s.low.toFixed(2)})`);
});

void test('real mobilenet_v3_small: the variant runs with every Conv as QLinearConv and stays close to fp32', async (t) => {
  const model = testModel(t, 'mobilenet_v3_small.onnx');
  if (!model) return;
  const v = await staticVariant(model, 8);
  const ops = await optimizedOps(v.path);
  assert.equal(ops.Conv, undefined, JSON.stringify(ops));
  assert.ok((ops.QLinearConv ?? 0) >= 50, JSON.stringify(ops));
  const c = cosine(await firstOutput(model, v.feeds), await firstOutput(v.path, v.feeds));
  assert.ok(c > 0.99, `cosine ${c}`);
  const one = toFeeds(batchFeeds(randomSamples(modelInputs(model, { inputs: {} }), {}, 1), 0, 1));
  const s = await pairedSpeedup(model, v.path, one, 40);
  // HardSwish has no integer kernel: it runs in float between a Dequantize and a Quantize, and the
  // depthwise convolutions gain little, so no speed-up is expected here; the figure is reported.
  t.diagnostic(
    `mobilenet_v3_small int8-static speed-up ${s.x.toFixed(2)}× (95 % CI ${s.low.toFixed(2)}–${s.high.toFixed(2)}), cosine ${c.toFixed(5)}`,
  );
});
