/**
 * Bad input never takes the host down: a model that hangs onnxruntime, a worker that crashes, a 1 GB
 * model, a dataset of the wrong shape, cancellation and a newer job each end one variant with a clear
 * error while the rest of the run goes on.
 */
import assert from 'node:assert/strict';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { onnx } from '../../src/analyzers/onnx/generated/onnx';
import { ProfilerJobError, ProfilerRunner, profileModel } from '../../src/profiler/index';
import { parseVariant } from '../../src/profiler/variants/spec';
import { encodeNpyFloat32 } from '../../src/profiler/npy';
import type { MeasureJob } from '../../src/protocol';

const ROOT = path.join(__dirname, '..', '..');
const FASHION = path.join(ROOT, 'examples', 'models', 'fashion_mlp.onnx');
const tmp = mkdtempSync(path.join(tmpdir(), 'gl-robust-'));

const vi = (name: string, elemType: number, dims: number[]): onnx.IValueInfoProto => ({ name, type: { tensorType: { elemType, shape: { dim: dims.map((d) => ({ dimValue: d })) } } } });

/** A Loop whose trip count is 2^62: onnxruntime spins until the job's timeout kills the worker. */
function hangingModel(): Uint8Array {
  const body: onnx.IGraphProto = {
    name: 'body', input: [vi('i', 7, []), vi('c', 9, []), vi('y', 1, [1])], output: [vi('c_out', 9, []), vi('y_out', 1, [1])],
    node: [{ opType: 'Identity', input: ['c'], output: ['c_out'] }, { opType: 'Add', input: ['y', 'y'], output: ['y_out'] }],
  };
  return onnx.ModelProto.encode({
    irVersion: 8, opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'hang', input: [vi('x', 1, [1])], output: [vi('out', 1, [1])],
      initializer: [{ name: 'M', dataType: 7, dims: [], int64Data: [2 ** 62] }, { name: 'cond', dataType: 9, dims: [], int32Data: [1] }],
      node: [{ opType: 'Loop', input: ['M', 'cond', 'x'], output: ['out'], attribute: [{ name: 'body', type: onnx.AttributeProto.AttributeType.GRAPH, g: body }] }],
    },
  }).finish();
}

function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return out;
}

/**
 * A 1 GiB MatMul model written as a sparse file: the weight's raw_data is the last field of the last
 * message, so its zero bytes are a hole that costs no disk.
 */
function writeGigabyteModel(file: string): void {
  const k = 8192;
  const n = 32768;
  const raw = k * n * 4;
  const tensorHead = [...onnx.TensorProto.encode({ name: 'W', dataType: 1, dims: [k, n] }).finish(), 0x4a, ...varint(raw)];
  const tensorLen = tensorHead.length + raw;
  const graphHead = [...onnx.GraphProto.encode({ name: 'big', input: [vi('x', 1, [1, k])], output: [vi('y', 1, [1, n])], node: [{ opType: 'MatMul', input: ['x', 'W'], output: ['y'] }] }).finish(), 0x2a, ...varint(tensorLen), ...tensorHead];
  const graphLen = graphHead.length + raw;
  const head = Uint8Array.from([...onnx.ModelProto.encode({ irVersion: 8, opsetImport: [{ domain: '', version: 13 }] }).finish(), 0x3a, ...varint(graphLen), ...graphHead]);
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, head);
    ftruncateSync(fd, head.length + raw);
  } finally {
    closeSync(fd);
  }
}

function job(modelPath: string, variant: string, extra: Partial<MeasureJob> = {}): MeasureJob {
  return { modelPath, variant: parseVariant(variant), storageDir: path.join(tmp, 'store'), inputs: { randomSamples: 2 }, budgetMs: 300, collectOutputs: false, ...extra };
}

void test('a hanging model times out, the worker is killed, the next job runs', async () => {
  const file = path.join(tmp, 'hang.onnx');
  writeFileSync(file, hangingModel());
  const runner = new ProfilerRunner();
  const t0 = Date.now();
  await assert.rejects(runner.measure(job(file, 'baseline'), { timeoutMs: 4000 }), (e: Error) => e instanceof ProfilerJobError && e.reason === 'timeout' && /longer than 4 s/.test(e.message));
  assert.ok(Date.now() - t0 < 10_000);
  const ok = await runner.measure(job(FASHION, 'baseline'));
  assert.equal(ok.status, 'measured');
});

void test('a crashed worker, a cancel and a newer job each end their job with a typed reason', async () => {
  const runner = new ProfilerRunner();
  const crashing = runner.measure(job(FASHION, 'baseline', { budgetMs: 20_000, targetCiPct: 0.01 }), {
    onProgress: (p) => { if (p.phase === 'measuring' && runner.currentPid) process.kill(runner.currentPid, 'SIGSEGV'); },
  });
  await assert.rejects(crashing, (e: Error) => e instanceof ProfilerJobError && e.reason === 'crashed' && /SIGSEGV/.test(e.message));
  const ac = new AbortController();
  const cancelled = runner.measure(job(FASHION, 'baseline', { budgetMs: 20_000, targetCiPct: 0.01 }), { signal: ac.signal, onProgress: () => ac.abort() });
  await assert.rejects(cancelled, (e: Error) => e instanceof ProfilerJobError && e.reason === 'cancelled');
  const old = runner.measure(job(FASHION, 'baseline', { budgetMs: 20_000, targetCiPct: 0.01 }));
  const newer = runner.measure(job(FASHION, 'threads:1'));
  await assert.rejects(old, (e: Error) => e instanceof ProfilerJobError && e.reason === 'superseded');
  assert.equal((await newer).status, 'measured');
});

void test('a 1 GiB model: the baseline is measured, the rewrite fails with a clear per-variant error', async () => {
  const file = path.join(tmp, 'big.onnx');
  writeGigabyteModel(file);
  try {
    const res = await profileModel({ modelPath: file, storageDir: path.join(tmp, 'store'), variants: 'int8-dynamic,threads:1', inputs: { randomSamples: 1 }, budgetMs: 3000, targetCiPct: 10 });
    const [base, dyn, threads] = res.variants;
    assert.ok(res.modelBytes > 2 ** 30);
    assert.equal(base?.status, 'measured', base?.reason);
    assert.equal(dyn?.status, 'error');
    assert.match(dyn?.reason ?? '', /1\.00 GiB; graph rewrites are limited/);
    assert.equal(threads?.status, 'measured', threads?.reason);
  } finally {
    rmSync(file, { force: true });
  }
});

void test('a dataset with the wrong shape gives a clear error for each variant; a cancelled run marks the rest', async () => {
  const dir = path.join(tmp, 'bad-dataset');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'inputs.npy'), encodeNpyFloat32([10, 100], new Float32Array(1000)));
  const res = await profileModel({ modelPath: FASHION, storageDir: path.join(tmp, 'store'), variants: 'int8-dynamic', inputs: { datasetDir: dir }, budgetMs: 600 });
  for (const v of res.variants) {
    assert.equal(v.status, 'error');
    assert.match(v.reason ?? '', /inputs\.npy has shape \[10, 100\] but input "image" expects \[N, 784\]/);
  }
  const ac = new AbortController();
  const cancelled = await profileModel({
    modelPath: FASHION, storageDir: path.join(tmp, 'store'), variants: 'int8-dynamic,fp16', budgetMs: 30_000, signal: ac.signal, targetCiPct: 0.01,
    onProgress: (p) => { if (p.type === 'variant-phase' && p.phase === 'measuring') ac.abort(); },
  });
  assert.deepEqual(cancelled.variants.map((v) => v.status), ['cancelled', 'cancelled', 'cancelled']);
});
