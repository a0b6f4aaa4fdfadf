/** Unit tests of the profiler's pure parts: statistics, .npy, specs, meters on fake sysfs, accuracy, weights. */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { compareOutputs, labelAccuracy } from '../../src/profiler/accuracy';
import {
  chooseMeter,
  counterDeltaUj,
  discoverRapl,
  integratePower,
  parsePowerLines,
  RaplMeter,
} from '../../src/profiler/meters/index';
import { encodeNpyFloat32, parseNpy } from '../../src/profiler/npy';
import { medianCi, summarizeLatencies } from '../../src/profiler/stats';
import { parseVariant, parseVariantList, VariantSpecError } from '../../src/profiler/variants/spec';
import { magnitudeThreshold, quantizeInt8, toHalfBits, transpose2d } from '../../src/profiler/variants/weights';
import { randomSamples, sliceTensor } from '../../src/profiler/inputs';
import { tempDir } from './helpers/tempDir';

const FIX = path.join(__dirname, '..', 'fixtures', 'profiler');

void test('median CI narrows with more samples and brackets the median', () => {
  const rnd = (() => {
    let s = 7;
    return () => (s = (s * 16807) % 2147483647) / 2147483647;
  })();
  const small = Array.from({ length: 20 }, () => 10 + rnd());
  const large = Array.from({ length: 2000 }, () => 10 + rnd());
  const a = medianCi(Float64Array.from(small).sort());
  const b = medianCi(Float64Array.from(large).sort());
  assert.ok(a.low <= a.median && a.median <= a.high);
  assert.ok(b.halfWidthPct < a.halfWidthPct, `${b.halfWidthPct} < ${a.halfWidthPct}`);
  assert.ok(b.halfWidthPct < 1);
  assert.equal(medianCi([1, 2, 3]).halfWidthPct, Infinity);
  const s = summarizeLatencies([5, 1, 3, 2, 4]);
  assert.equal(s.p50, 3);
  assert.equal(s.mean, 3);
});

void test('npy round trip and the real Fashion-MNIST header', () => {
  const t = parseNpy(encodeNpyFloat32([2, 3], Float32Array.from([1, 2, 3, 4, 5, 6])));
  assert.deepEqual(t.dims, [2, 3]);
  assert.deepEqual(Array.from(t.data as Float32Array), [1, 2, 3, 4, 5, 6]);
  // A Buffer from readFileSync: the data must not be read from the start of the underlying file.
  const real = parseNpy(
    readFileSync(path.join(__dirname, '..', '..', 'examples', 'data', 'fashion-mnist-test', 'inputs.npy')),
  );
  assert.deepEqual(real.dims, [1000, 784]);
  const d = real.data as Float32Array;
  assert.ok(
    d.every((v) => v >= 0 && v <= 1),
    'pixels are in [0, 1]',
  );
  assert.throws(() => parseNpy(new Uint8Array(16)), /not a .npy/);
});

void test('variant specs parse, reject unknown forms and keep the baseline first', () => {
  assert.deepEqual(parseVariant('prune-global:0.3'), { id: 'prune-global:0.3', kind: 'prune-global', sparsity: 0.3 });
  assert.equal(parseVariant('int8-dynamic:MatMul+Conv+per-channel').perChannel, true);
  assert.deepEqual(parseVariant('int8-dynamic:MatMul+Conv').ops, ['MatMul', 'Conv']);
  assert.equal(parseVariant('int8-static:percentile=99.9').percentile, 99.9);
  assert.equal(parseVariant('opt:basic').id, 'opt-basic');
  assert.equal(parseVariant('threads:2').threads, 2);
  assert.throws(() => parseVariant('prune-global:1.5'), VariantSpecError);
  assert.throws(() => parseVariant('int4'), /unknown variant/);
  assert.throws(() => parseVariant('batch:0'), VariantSpecError);
  assert.deepEqual(
    parseVariantList('fp16,baseline,fp16').map((v) => v.id),
    ['baseline', 'fp16'],
  );
});

function fakeRapl(root: string, pkg: string, dram: string, maxRange = '262143328850'): void {
  for (const [dir, name, value] of [
    ['intel-rapl:0', 'package-0', pkg],
    ['intel-rapl:0:0', 'core', '5'],
    ['intel-rapl:0:2', 'dram', dram],
  ] as const) {
    mkdirSync(path.join(root, dir), { recursive: true });
    writeFileSync(path.join(root, dir, 'name'), `${name}\n`);
    writeFileSync(path.join(root, dir, 'energy_uj'), `${value}\n`);
    writeFileSync(path.join(root, dir, 'max_energy_range_uj'), `${maxRange}\n`);
  }
}

void test('RAPL on a fake sysfs tree: package + dram, core skipped, wrap-around corrected', () => {
  const root = tempDir('gl-rapl-');
  // Counter values in sysfs format with the package counter wrapping between the two readings.
  const rec = JSON.parse(readFileSync(path.join(FIX, 'rapl-counters', 'wrap.json'), 'utf8')) as {
    max: string;
    before: { pkg: string; dram: string };
    after: { pkg: string; dram: string };
  };
  fakeRapl(root, rec.before.pkg, rec.before.dram, rec.max);
  const found = discoverRapl(root);
  assert.ok(found.ok);
  assert.deepEqual(
    found.domains.map((d) => d.name),
    ['package-0', 'dram'],
  );
  const meter = new RaplMeter(found.domains);
  assert.equal(meter.name, 'rapl:package-0+dram');
  meter.begin();
  fakeRapl(root, rec.after.pkg, rec.after.dram, rec.max);
  const expected =
    (Number(rec.max) -
      Number(rec.before.pkg) +
      Number(rec.after.pkg) +
      Number(rec.after.dram) -
      Number(rec.before.dram)) /
    1e6;
  assert.ok(Math.abs(meter.end() - expected) < 1e-9);
  assert.equal(counterDeltaUj(10, 30, 100), 20);
  assert.equal(counterDeltaUj(90, 5, 100), 15);
  assert.throws(() => counterDeltaUj(90, 5, NaN), /backwards/);
  assert.equal(chooseMeter({ raplRoot: root }).meter?.name, 'rapl:package-0+dram');
});

void test('RAPL absent or unreadable gives a plain reason and the estimator', (t) => {
  const missing = chooseMeter({ raplRoot: path.join(tmpdir(), 'no-such-powercap') });
  assert.equal(missing.meter, undefined);
  assert.match(missing.note ?? '', /no powercap interface/);
  if (process.getuid?.() === 0) {
    t.diagnostic('running as root: file permissions cannot forbid reading, the permission message is not exercised');
    return;
  }
  const root = tempDir('gl-rapl-');
  fakeRapl(root, '100', '50');
  chmodSync(path.join(root, 'intel-rapl:0', 'energy_uj'), 0o000);
  const r = discoverRapl(root);
  assert.ok(!r.ok && /readable only by root/.test(r.reason));
});

void test('nvidia-smi power samples: parsing and trapezoid integration', () => {
  const text = readFileSync(path.join(FIX, 'nvidia-smi-power.txt'), 'utf8');
  const watts = parsePowerLines(text);
  assert.ok(watts.length >= 5);
  const samples = watts.map((w, i) => ({ t: i * 0.1, watts: w }));
  const j = integratePower(samples);
  const lo = Math.min(...watts) * 0.1 * (watts.length - 1);
  const hi = Math.max(...watts) * 0.1 * (watts.length - 1);
  assert.ok(j >= lo && j <= hi);
  assert.equal(
    integratePower([
      { t: 0, watts: 100 },
      { t: 2, watts: 200 },
    ]),
    300,
  );
});

void test('accuracy: agreement, errors, cosine and labelled accuracy', () => {
  const base = { name: 'y', sampleDims: [3], samples: 2, data: Float32Array.from([1, 2, 3, 3, 2, 1]) };
  const same = compareOutputs(base, base, [2, 0]);
  assert.equal(same.top1Agreement, 1);
  assert.equal(same.maxAbsError, 0);
  assert.ok(Math.abs(same.cosineSimilarity - 1) < 1e-9);
  assert.equal(same.accuracy, 1);
  const v = { ...base, data: Float32Array.from([1, 2, 3, 1, 2, 3]) };
  const diff = compareOutputs(base, v, [2, 0]);
  assert.equal(diff.top1Agreement, 0.5);
  assert.equal(diff.maxAbsError, 2);
  assert.equal(diff.accuracy, 0.5);
  assert.equal(diff.baselineAccuracy, 1);
  assert.equal(labelAccuracy(base, [2]), undefined, 'label count must match');
  assert.throws(() => compareOutputs(base, { ...base, data: new Float32Array(3) }), /values/);
});

void test('weights: int8 symmetric per tensor and per channel, fp16 bits, transpose, thresholds', () => {
  const w = Float32Array.from([0.5, -1, 0.25, 2]);
  const pt = quantizeInt8(w, [2, 2], 1, false);
  assert.equal(pt.scales.length, 1);
  assert.ok(Math.abs((pt.scales[0] ?? 0) - 2 / 127) < 1e-7);
  assert.deepEqual(Array.from(pt.q), [32, -64, 16, 127]);
  const pc = quantizeInt8(w, [2, 2], 1, true);
  assert.deepEqual(
    Array.from(pc.scales).map((s) => s * 127),
    [Math.fround(0.5 / 127) * 127, Math.fround(2 / 127) * 127],
  );
  assert.equal(toHalfBits(1), 0x3c00);
  assert.equal(toHalfBits(-2), 0xc000);
  assert.equal(toHalfBits(65504), 0x7bff);
  assert.equal(toHalfBits(1e6), 0x7bff, 'saturates instead of inf');
  assert.equal(toHalfBits(0.1), 0x2e66);
  assert.deepEqual(Array.from(transpose2d(Float32Array.from([1, 2, 3, 4, 5, 6]), 2, 3)), [1, 4, 2, 5, 3, 6]);
  assert.equal(magnitudeThreshold([Float32Array.from([-4, 1, 3, -2])], 0.5), 2);
});

void test('random inputs are seeded, shaped and sliceable', () => {
  const meta = [
    { name: 'x', dtype: 'float32', shape: ['N', 4], resolved: [1, 4] },
    { name: 'sr', dtype: 'int64', shape: [], resolved: [] },
  ];
  const a = randomSamples(meta, { values: { sr: [16000] }, seed: 3 }, 5);
  const b = randomSamples(meta, { values: { sr: [16000] }, seed: 3 }, 5);
  assert.deepEqual(a.batched.x?.dims, [5, 4]);
  assert.deepEqual(Array.from(a.batched.x?.data as Float32Array), Array.from(b.batched.x?.data as Float32Array));
  assert.equal((a.fixed.sr?.data as BigInt64Array)[0], 16000n);
  const wrapped = sliceTensor(a.batched.x ?? { dtype: 'float32', dims: [], data: new Float32Array() }, 4, 3);
  assert.deepEqual(wrapped.dims, [3, 4]);
  assert.deepEqual(
    Array.from(wrapped.data.slice(4, 8) as Float32Array),
    Array.from(a.batched.x?.data.slice(0, 4) as Float32Array),
  );
});
