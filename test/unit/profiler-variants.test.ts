/**
 * Graph rewrites produce valid ONNX: Debian's onnx checker accepts them and onnxruntime runs them with
 * outputs close to fp32; on real pretrained graphs every variant runs or says why it does not apply.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { ort } from '../../src/profiler/inWorker/ort';
import { profileModel } from '../../src/profiler/index';
import { decodeModel, encodeModel, NotApplicableError } from '../../src/profiler/variants/graph';
import { quantizeDynamic } from '../../src/profiler/variants/quantDynamic';
import { convertFp16 } from '../../src/profiler/variants/fp16';
import { pruneMagnitude } from '../../src/profiler/variants/prune';
import { quantizeStatic, staticTargets } from '../../src/profiler/variants/quantStatic';
import { attr, buildModel, init, testModel } from './helpers/models';
import { tempDir } from './helpers/tempDir';

const PY = '/usr/bin/python3';
const tmp = tempDir('gl-variants-');

function checkOnnx(bytes: Uint8Array, name: string): void {
  const file = path.join(tmp, `${name}.onnx`);
  writeFileSync(file, bytes);
  const r = spawnSync(
    PY,
    ['-c', 'import onnx,sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)', file],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 0, `onnx checker rejected ${name}: ${r.stderr}`);
}

function rand(n: number, seed: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1);
}

/** x[N,16] → Gemm(transB) → Relu → MatMul → Conv-free MLP, plus a tiny Conv model. */
function mlp(): Uint8Array {
  return buildModel({
    inputs: [['x', 1, ['N', 16]]],
    outputs: [['y', 1, ['N', 4]]],
    nodes: [
      {
        op: 'Gemm',
        inputs: ['x', 'w1', 'b1'],
        outputs: ['h'],
        attrs: [attr.i('transB', 1), attr.f('alpha', 1), attr.f('beta', 1)],
      },
      { op: 'Relu', inputs: ['h'], outputs: ['r'] },
      { op: 'MatMul', inputs: ['r', 'w2'], outputs: ['y'] },
    ],
    inits: [init('w1', [32, 16], rand(512, 3)), init('b1', [32], rand(32, 5)), init('w2', [32, 4], rand(128, 7))],
  });
}

function convNet(): Uint8Array {
  return buildModel({
    inputs: [['x', 1, ['N', 3, 8, 8]]],
    outputs: [['y', 1, ['N', 4, 8, 8]]],
    nodes: [
      {
        op: 'Conv',
        inputs: ['x', 'w', 'b'],
        outputs: ['y'],
        attrs: [attr.ints('pads', [1, 1, 1, 1]), attr.ints('kernel_shape', [3, 3])],
      },
    ],
    inits: [init('w', [4, 3, 3, 3], rand(108, 11)), init('b', [4], rand(4, 13))],
  });
}

async function run(bytes: Uint8Array, x: Float32Array, dims: number[]): Promise<Float32Array> {
  const s = await ort().InferenceSession.create(bytes);
  try {
    const out = await s.run({ x: new (ort().Tensor)('float32', x, dims) });
    return out[s.outputNames[0] ?? 'y']?.data as Float32Array;
  } finally {
    await s.release();
  }
}

function maxRelErr(a: Float32Array, b: Float32Array): number {
  const scale = Math.max(...Array.from(a, Math.abs));
  return Math.max(...Array.from(a, (v, i) => Math.abs(v - (b[i] ?? NaN)))) / scale;
}

void test('rewrites of a small MLP and a Conv pass the onnx checker and stay close to fp32', async () => {
  assert.ok(existsSync(PY), 'Debian python3 with python3-onnx is needed');
  const x = Float32Array.from(rand(32, 17), (v) => Math.abs(v));
  const ref = await run(mlp(), x, [2, 16]);
  const cases: [string, (m: ReturnType<typeof decodeModel>) => string[], number][] = [
    ['dyn-tensor', (m) => quantizeDynamic(m), 0.05],
    ['dyn-channel', (m) => quantizeDynamic(m, { perChannel: true }), 0.05],
    [
      'static',
      (m) => quantizeStatic(m, new Map(staticTargets(m).map((t) => [t.activation, { min: -1, max: 8 }])), {}),
      0.05,
    ],
    ['fp16', (m) => convertFp16(m), 0.01],
    ['prune-local', (m) => pruneMagnitude(m, 0.1, 'local'), 0.5],
  ];
  for (const [name, rewrite, tol] of cases) {
    const m = decodeModel(mlp());
    const notes = rewrite(m);
    assert.ok(notes.length > 0);
    const bytes = encodeModel(m);
    checkOnnx(bytes, name);
    const err = maxRelErr(ref, await run(bytes, x, [2, 16]));
    assert.ok(err < tol, `${name}: relative error ${err}`);
    assert.ok(bytes.length < mlp().length || name.startsWith('prune') || name === 'static', `${name} is smaller`);
  }
  const cx = Float32Array.from(rand(192, 19), (v) => Math.abs(v));
  const cref = await run(convNet(), cx, [1, 3, 8, 8]);
  const conv = decodeModel(convNet());
  assert.match(quantizeDynamic(conv, { ops: ['Conv'], perChannel: true })[0] ?? '', /1 Conv/);
  checkOnnx(encodeModel(conv), 'conv-integer');
  assert.ok(maxRelErr(cref, await run(encodeModel(conv), cx, [1, 3, 8, 8])) < 0.05);
});

void test('variants that do not apply say why', () => {
  const relu = buildModel({
    inputs: [['x', 1, [2]]],
    outputs: [['y', 1, [2]]],
    nodes: [{ op: 'Relu', inputs: ['x'], outputs: ['y'] }],
  });
  assert.throws(
    () => quantizeDynamic(decodeModel(relu)),
    (e: Error) => e instanceof NotApplicableError && /no MatMul\/Gemm/.test(e.message),
  );
  assert.throws(() => pruneMagnitude(decodeModel(relu), 0.5, 'global'), NotApplicableError);
  assert.throws(() => convertFp16(decodeModel(relu)), /no float32 weights/);
  assert.throws(() => quantizeDynamic(decodeModel(mlp()), { ops: ['Conv'] }), /no Conv/);
});

const REAL: [string, Record<string, number>, Record<string, number[]>][] = [
  ['ppocr-rec.onnx', { 'x:3': 160 }, {}],
  ['silero-vad.onnx', { 'input:1': 512, 'state:1': 1 }, { sr: [16000] }],
  ['blazeface.onnx', {}, {}],
];

for (const [file, dims, values] of REAL) {
  void test(`real model ${file}: each variant runs in onnxruntime or is not applicable with a reason`, async (t) => {
    const model = testModel(t, file);
    if (!model) return;
    const res = await profileModel({
      modelPath: model,
      storageDir: path.join(tmp, 'store'),
      variants: 'int8-dynamic,int8-static,fp16,prune-global:0.5,opt-basic',
      inputs: { dims, values, randomSamples: 4 },
      budgetMs: 1500,
      targetCiPct: 10,
    });
    for (const v of res.variants) {
      assert.ok(
        v.status === 'measured' || v.status === 'not-applicable',
        `${file} ${v.id}: ${v.status} ${v.reason ?? ''}`,
      );
      if (v.status === 'not-applicable') assert.ok((v.reason ?? '').length > 10, `${v.id} gives a reason`);
      if (v.status === 'measured') {
        assert.ok((v.metrics?.p50Ms ?? 0) > 0);
        if (v.kind !== 'baseline') assert.ok(v.accuracy, `${v.id} compared with the baseline`);
      }
      t.diagnostic(
        `${v.id}: ${v.status} ${v.reason ?? v.notes[0] ?? ''} ${v.accuracy ? `cos ${v.accuracy.cosineSimilarity.toFixed(4)}` : ''}`,
      );
    }
    assert.ok(!readFileSync(model).equals(Buffer.alloc(0)), 'the user model is untouched');
  });
}
