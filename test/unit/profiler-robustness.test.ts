/**
 * Bad input never takes the host down: a model that hangs onnxruntime (always, or for one variant only),
 * a worker that crashes or aborts natively, a 1 GiB model (inline or in external data), a dataset of the
 * wrong shape, an empty one, inputs whose fixed batch axis one variant cannot feed, files that are not
 * ONNX or that onnxruntime rejects, cancellation and a newer job: each ends its variant with a clear
 * error while the rest of the run goes on.
 */
import assert from 'node:assert/strict';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync, ftruncateSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { onnx } from '../../src/analyzers/onnx/generated/onnx';
import { ProfilerJobError, ProfilerRunner, profileModel } from '../../src/profiler/index';
import { parseVariant } from '../../src/profiler/variants/spec';
import { encodeNpyFloat32 } from '../../src/profiler/npy';
import type { MeasureJob } from '../../src/profiler/protocol';
import { hangingModel } from './helpers/hangingModel';
import { tempDir } from './helpers/tempDir';

const ROOT = path.join(__dirname, '..', '..');
const FASHION = path.join(ROOT, 'examples', 'models', 'fashion_mlp.onnx');
const tmp = tempDir('gl-robust-');

const vi = (name: string, elemType: number, dims: number[]): onnx.IValueInfoProto => ({
  name,
  type: { tensorType: { elemType, shape: { dim: dims.map((d) => ({ dimValue: d })) } } },
});

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
  const tensorHead = [
    ...onnx.TensorProto.encode({ name: 'W', dataType: 1, dims: [k, n] }).finish(),
    0x4a,
    ...varint(raw),
  ];
  const tensorLen = tensorHead.length + raw;
  const graphHead = [
    ...onnx.GraphProto.encode({
      name: 'big',
      input: [vi('x', 1, [1, k])],
      output: [vi('y', 1, [1, n])],
      node: [{ opType: 'MatMul', input: ['x', 'W'], output: ['y'] }],
    }).finish(),
    0x2a,
    ...varint(tensorLen),
    ...tensorHead,
  ];
  const graphLen = graphHead.length + raw;
  const head = Uint8Array.from([
    ...onnx.ModelProto.encode({ irVersion: 8, opsetImport: [{ domain: '', version: 13 }] }).finish(),
    0x3a,
    ...varint(graphLen),
    ...graphHead,
  ]);
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, head);
    ftruncateSync(fd, head.length + raw);
  } finally {
    closeSync(fd);
  }
}

function job(modelPath: string, variant: string, extra: Partial<MeasureJob> = {}): MeasureJob {
  return {
    modelPath,
    variant: parseVariant(variant),
    storageDir: path.join(tmp, 'store'),
    inputs: { randomSamples: 2 },
    budgetMs: 300,
    collectOutputs: false,
    ...extra,
  };
}

void test('a hanging model times out, the worker is killed, the next job runs', async () => {
  const file = path.join(tmp, 'hang.onnx');
  writeFileSync(file, hangingModel());
  const runner = new ProfilerRunner();
  const t0 = Date.now();
  await assert.rejects(
    runner.measure(job(file, 'baseline'), { timeoutMs: 4000 }),
    (e: Error) => e instanceof ProfilerJobError && e.reason === 'timeout' && /longer than 4 s/.test(e.message),
  );
  assert.ok(Date.now() - t0 < 10_000);
  const ok = await runner.measure(job(FASHION, 'baseline'));
  assert.equal(ok.status, 'measured');
});

void test('a crashed worker, a cancel and a newer job each end their job with a typed reason', async () => {
  const runner = new ProfilerRunner();
  const crashing = runner.measure(job(FASHION, 'baseline', { budgetMs: 20_000, targetCiPct: 0.01 }), {
    onProgress: (p) => {
      if (p.phase === 'measuring' && runner.currentPid) process.kill(runner.currentPid, 'SIGSEGV');
    },
  });
  await assert.rejects(
    crashing,
    (e: Error) => e instanceof ProfilerJobError && e.reason === 'crashed' && /SIGSEGV/.test(e.message),
  );
  const ac = new AbortController();
  const cancelled = runner.measure(job(FASHION, 'baseline', { budgetMs: 20_000, targetCiPct: 0.01 }), {
    signal: ac.signal,
    onProgress: () => ac.abort(),
  });
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
    const res = await profileModel({
      modelPath: file,
      storageDir: path.join(tmp, 'store'),
      variants: 'int8-dynamic,threads:1',
      inputs: { randomSamples: 1 },
      budgetMs: 3000,
      targetCiPct: 10,
    });
    const [base, dyn, threads] = res.variants;
    assert.ok(res.modelBytes > 2 ** 30);
    assert.equal(base?.status, 'measured', base?.reason);
    assert.equal(dyn?.status, 'error');
    assert.match(dyn?.reason ?? '', /1\.00 GiB; graph rewrites are limited/);
    assert.equal(threads?.status, 'measured', threads?.reason);
    assert.match(
      res.measurement?.notes.join(' ') ?? '',
      /Loading this model's sessions took [\d.]+ s for the 2 variants measured; each is loaded once to be checked and once per pass/,
    );
    assert.equal(res.measurement?.passes, 1, 'no pass beyond what the budget holds');
  } finally {
    rmSync(file, { force: true });
  }
});

void test('a dataset with the wrong shape gives a clear error for each variant; a cancelled run marks the rest', async () => {
  const dir = path.join(tmp, 'bad-dataset');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'inputs.npy'), encodeNpyFloat32([10, 100], new Float32Array(1000)));
  const res = await profileModel({
    modelPath: FASHION,
    storageDir: path.join(tmp, 'store'),
    variants: 'int8-dynamic',
    inputs: { datasetDir: dir },
    budgetMs: 600,
  });
  for (const v of res.variants) {
    assert.equal(v.status, 'error');
    assert.match(v.reason ?? '', /inputs\.npy has shape \[10, 100\] but input "image" expects \[N, 784\]/);
  }
  const ac = new AbortController();
  const cancelled = await profileModel({
    modelPath: FASHION,
    storageDir: path.join(tmp, 'store'),
    variants: 'int8-dynamic,fp16',
    budgetMs: 30_000,
    signal: ac.signal,
    targetCiPct: 0.01,
    onProgress: (p) => {
      if (p.type === 'variant-phase' && p.phase === 'measuring') ac.abort();
    },
  });
  assert.deepEqual(
    cancelled.variants.map((v) => v.status),
    ['cancelled', 'cancelled', 'cancelled'],
  );
});

/**
 * A model that hangs onnxruntime for one variant only: a Loop whose trip count is (batch − 1) · 2^62 + 1,
 * so one iteration at batch 1 and forever at batch 2.
 */
function hangsAtBatch2(): Uint8Array {
  const body: onnx.IGraphProto = {
    name: 'body',
    input: [vi('i', 7, []), vi('c', 9, []), vi('y', 1, [1])],
    output: [vi('c_out', 9, []), vi('y_out', 1, [1])],
    node: [
      { opType: 'Identity', input: ['c'], output: ['c_out'] },
      { opType: 'Add', input: ['y', 'y'], output: ['y_out'] },
    ],
  };
  const int64 = (name: string, v: number): onnx.ITensorProto => ({ name, dataType: 7, dims: [], int64Data: [v] });
  return onnx.ModelProto.encode({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'hang-at-batch-2',
      input: [
        { name: 'x', type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'N' }, { dimValue: 1 }] } } } },
      ],
      output: [vi('out', 1, [1])],
      initializer: [
        int64('zero', 0),
        int64('one', 1),
        int64('big', 2 ** 62),
        { name: 'cond', dataType: 9, dims: [], int32Data: [1] },
        { name: 'y0', dataType: 1, dims: [1], floatData: [1] },
      ],
      node: [
        { opType: 'Shape', input: ['x'], output: ['s'] },
        { opType: 'Gather', input: ['s', 'zero'], output: ['n'] },
        { opType: 'Sub', input: ['n', 'one'], output: ['n1'] },
        { opType: 'Mul', input: ['n1', 'big'], output: ['m'] },
        { opType: 'Add', input: ['m', 'one'], output: ['M'] },
        {
          opType: 'Loop',
          input: ['M', 'cond', 'y0'],
          output: ['out'],
          attribute: [{ name: 'body', type: onnx.AttributeProto.AttributeType.GRAPH, g: body }],
        },
      ],
    },
  }).finish();
}

void test('in a profile run, the variant that hangs onnxruntime times out and the others are measured', async () => {
  const file = path.join(tmp, 'hang-at-batch-2.onnx');
  writeFileSync(file, hangsAtBatch2());
  // One random sample: the accuracy pass feeds all samples in one run, which must stay at batch 1.
  const res = await profileModel({
    modelPath: file,
    storageDir: path.join(tmp, 'store'),
    variants: 'batch:2,threads:1',
    inputs: { randomSamples: 1 },
    budgetMs: 1500,
    targetCiPct: 20,
    variantTimeoutMs: 20_000,
  });
  assert.deepEqual(
    res.variants.map((v) => v.status),
    ['measured', 'error', 'measured'],
    JSON.stringify(res.variants.map((v) => v.reason)),
  );
  assert.match(res.variants[1]?.reason ?? '', /took longer than 20 s and was stopped \(a hang in onnxruntime\?\)/);
});

void test('in a profile run, the variant whose process dies natively is an error with the signal; the next one is measured', async () => {
  // A worker that aborts (as a failed assertion inside onnxruntime would) when asked for fp16.
  const wrapper = path.join(tmp, 'aborting-worker.cjs');
  writeFileSync(
    wrapper,
    `process.on('message', (m) => { if (m && m.type === 'measure' && m.job.variant.id === 'fp16') process.abort(); });\nrequire(${JSON.stringify(path.join(ROOT, 'src', 'profiler', 'worker.ts'))});\n`,
  );
  const res = await profileModel({
    modelPath: FASHION,
    storageDir: path.join(tmp, 'store'),
    variants: 'fp16,int8-dynamic',
    inputs: { randomSamples: 4 },
    budgetMs: 1500,
    targetCiPct: 20,
    worker: { path: wrapper, execArgv: ['--import', 'tsx'] },
  });
  assert.deepEqual(
    res.variants.map((v) => v.status),
    ['measured', 'error', 'measured'],
  );
  assert.match(res.variants[1]?.reason ?? '', /died of signal SIGABRT before answering/);
  assert.ok(res.variants[2]?.accuracy, 'the variant after the crash is still compared with the baseline');
});

/** A MatMul model whose weight W [k, n] lives in an external file, optionally as a sparse (hole) file. */
function writeExternalModel(dir: string, k: number, n: number, values?: Float32Array): string {
  mkdirSync(dir, { recursive: true });
  const bytes = k * n * 4;
  const model = onnx.ModelProto.encode({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'external',
      input: [
        { name: 'x', type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'N' }, { dimValue: k }] } } } },
      ],
      output: [
        { name: 'y', type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'N' }, { dimValue: n }] } } } },
      ],
      initializer: [
        {
          name: 'W',
          dataType: 1,
          dims: [k, n],
          dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
          externalData: [
            { key: 'location', value: 'weights.bin' },
            { key: 'offset', value: '0' },
            { key: 'length', value: String(bytes) },
          ],
        },
      ],
      node: [{ opType: 'MatMul', input: ['x', 'W'], output: ['y'] }],
    },
  }).finish();
  const file = path.join(dir, 'model.onnx');
  writeFileSync(file, model);
  if (values) writeFileSync(path.join(dir, 'weights.bin'), new Uint8Array(values.buffer));
  else {
    const fd = openSync(path.join(dir, 'weights.bin'), 'w');
    ftruncateSync(fd, bytes);
    closeSync(fd);
  }
  return file;
}

void test('a 1 GiB model in external data: measured as is, rewrites refused with its full size; a small one is rewritten self-contained', async () => {
  const big = path.join(tmp, 'external-big');
  const file = writeExternalModel(big, 8192, 32768);
  try {
    const res = await profileModel({
      modelPath: file,
      storageDir: path.join(tmp, 'store'),
      variants: 'int8-dynamic,threads:1',
      inputs: { randomSamples: 1 },
      budgetMs: 3000,
      targetCiPct: 10,
    });
    assert.ok(res.modelBytes < 1024, 'the .onnx file itself is tiny');
    assert.deepEqual(
      res.variants.map((v) => v.status),
      ['measured', 'error', 'measured'],
      JSON.stringify(res.variants.map((v) => v.reason)),
    );
    assert.match(
      res.variants[1]?.reason ?? '',
      /the model and its external data are 1\.00 GiB; graph rewrites are limited to 768 MiB/,
    );
  } finally {
    rmSync(big, { recursive: true, force: true });
  }
  const small = path.join(tmp, 'external-small');
  const w = Float32Array.from({ length: 64 * 8 }, (_, i) => Math.sin(i));
  const res = await profileModel({
    modelPath: writeExternalModel(small, 64, 8, w),
    storageDir: path.join(tmp, 'store'),
    variants: 'int8-dynamic',
    inputs: { randomSamples: 4 },
    budgetMs: 1500,
    targetCiPct: 20,
  });
  const q = res.variants[1];
  assert.equal(q?.status, 'measured', q?.reason);
  assert.ok(q?.notes.some((n) => /1 tensors read from external data into the variant file/.test(n)));
  assert.ok((q?.accuracy?.cosineSimilarity ?? 0) > 0.999);
  const variant = onnx.ModelProto.decode(readFileSync(q?.modelPath ?? ''));
  assert.ok(
    (variant.graph?.initializer ?? []).every((t) => t.dataLocation !== onnx.TensorProto.DataLocation.EXTERNAL),
    'no external references left',
  );
});

void test('inputs that do not fit one variant: a fixed batch axis makes batch:4 not applicable, the dataset is still used by the others', async () => {
  const dir = path.join(tmp, 'fixed-batch');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'fixed.onnx');
  writeFileSync(
    file,
    onnx.ModelProto.encode({
      irVersion: 8,
      opsetImport: [{ domain: '', version: 13 }],
      graph: {
        name: 'fixed',
        input: [vi('x', 1, [1, 4])],
        output: [vi('y', 1, [1, 3])],
        initializer: [
          {
            name: 'W',
            dataType: 1,
            dims: [4, 3],
            floatData: [0.1, -0.2, 0.3, 0.4, 0.5, -0.6, 0.7, 0.8, -0.9, 1, 1.1, 1.2],
          },
        ],
        node: [{ opType: 'MatMul', input: ['x', 'W'], output: ['y'] }],
      },
    }).finish(),
  );
  const data = path.join(dir, 'data');
  mkdirSync(data, { recursive: true });
  writeFileSync(
    path.join(data, 'inputs.npy'),
    encodeNpyFloat32(
      [10, 4],
      Float32Array.from({ length: 40 }, (_, i) => (i % 7) / 7),
    ),
  );
  const res = await profileModel({
    modelPath: file,
    storageDir: path.join(tmp, 'store'),
    variants: 'int8-dynamic,batch:4',
    inputs: { datasetDir: data },
    budgetMs: 1500,
    targetCiPct: 20,
  });
  const [base, dyn, batch] = res.variants;
  assert.equal(base?.status, 'measured', base?.reason);
  assert.equal(base?.accuracy?.samples, 10, 'the accuracy pass feeds one sample per run');
  assert.equal(dyn?.status, 'measured', dyn?.reason);
  assert.equal(batch?.status, 'not-applicable');
  assert.match(
    batch?.reason ?? '',
    /batch size 4 cannot be fed: input "x" is declared \[1, 4\], with no free batch axis/,
  );
  writeFileSync(path.join(data, 'inputs.npy'), encodeNpyFloat32([0, 4], new Float32Array(0)));
  const empty = await profileModel({
    modelPath: file,
    storageDir: path.join(tmp, 'store'),
    variants: 'int8-dynamic',
    inputs: { datasetDir: data },
    budgetMs: 600,
  });
  assert.ok(empty.variants.every((v) => v.status === 'error' && /holds no samples/.test(v.reason ?? '')));
});

void test('files that are not ONNX, or that onnxruntime rejects, end each variant with the reason', async () => {
  const garbage = path.join(tmp, 'garbage.onnx');
  writeFileSync(
    garbage,
    Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251),
  );
  const res = await profileModel({
    modelPath: garbage,
    storageDir: path.join(tmp, 'store'),
    variants: 'int8-dynamic',
    budgetMs: 600,
  });
  assert.ok(
    res.variants.every((v) => v.status === 'error' && /not an ONNX protobuf file/.test(v.reason ?? '')),
    JSON.stringify(res.variants),
  );
  const unknownOp = path.join(tmp, 'unknown-op.onnx');
  writeFileSync(
    unknownOp,
    onnx.ModelProto.encode({
      irVersion: 8,
      opsetImport: [{ domain: '', version: 13 }],
      graph: {
        name: 'bad',
        input: [vi('x', 1, [1, 4])],
        output: [vi('y', 1, [1, 4])],
        node: [{ opType: 'NoSuchOperator', input: ['x'], output: ['y'] }],
      },
    }).finish(),
  );
  const bad = await profileModel({
    modelPath: unknownOp,
    storageDir: path.join(tmp, 'store'),
    variants: 'threads:1',
    budgetMs: 600,
  });
  assert.ok(
    bad.variants.every((v) => v.status === 'error' && /NoSuchOperator/.test(v.reason ?? '')),
    JSON.stringify(bad.variants.map((v) => v.reason)),
  );
});
