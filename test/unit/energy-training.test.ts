import { test } from 'node:test';
import assert from 'node:assert/strict';
import { greenAlgorithmsEnergy, mlco2ImpactEnergy, stepEpochEnergy, stepPowerEnergy } from '../../src/energy/training';
import { fitRidge, predictLinear } from '../../src/energy/linalg';
import { randomSplit, rmse, mape } from '../../src/energy/training-eval';
import { estimateTraining } from '../../src/catalog/training-estimate';
import { EnergyInputError, isDisplayable } from '../../src/energy/quantity';
import { GPU_SPECS, densePeakTflops, lookupGpuSpec } from '../../src/energy/gpu-specs';
import { checkValidity, validityNote, WIDEN_STEP } from '../../src/energy/training-validity';

void test('Green Algorithms: (250 W × 0.8 + 16 GB × 0.3725 W) × 3600 s', () => {
  assert.equal(
    greenAlgorithmsEnergy({ tdpW: 250, utilization: 0.8, ramGB: 16, durationS: 3600 }).value,
    (200 + 16 * 0.3725) * 3600,
  );
  assert.equal(mlco2ImpactEnergy(300, 10).value, 3000);
  assert.throws(() => greenAlgorithmsEnergy({ tdpW: 250, utilization: 1.5, ramGB: 0, durationS: 1 }), EnergyInputError);
});

void test('STEP epoch projection: 10 warm-up epochs then a window of 5 at 100 J, 30 epochs in all', () => {
  const epochs = [
    ...Array.from({ length: 10 }, () => ({ energyJ: 50, durationS: 1 })),
    ...Array.from({ length: 5 }, () => ({ energyJ: 100, durationS: 2 })),
  ];
  const e = stepEpochEnergy(epochs, 30);
  assert.equal(e.value, 500 + 100 * 20);
  const p = stepPowerEnergy(epochs, 30);
  // 50 W over the window; observed 10 + 10 s, then 15 more epochs × 2 s.
  assert.equal(p.value, 50 * (20 + 30));
  const short = stepEpochEnergy(
    [
      { energyJ: 10, durationS: 1 },
      { energyJ: 12, durationS: 1 },
    ],
    10,
  );
  assert.match(short.notes[0]!, /Only 2 epochs observed/);
  assert.throws(() => stepEpochEnergy([], 10), /at least one observed epoch/);
});

void test('ridge recovers an exact linear law, and the split is seeded and disjoint', () => {
  const x = [
    [1, 2],
    [2, 1],
    [3, 5],
    [4, 3],
    [5, 8],
  ];
  const y = x.map(([a, b]) => 3 + 2 * a! - b!);
  const m = fitRidge(x, y, 0);
  assert.ok(Math.abs(predictLinear(m, [10, 4]) - 19) < 1e-9);
  const s1 = randomSplit(369, 7);
  assert.deepEqual(s1, randomSplit(369, 7));
  assert.equal(s1.test.length, 74);
  assert.equal(new Set([...s1.train, ...s1.test]).size, 369);
  assert.equal(rmse([1, 3], [2, 2]), 1);
  assert.equal(mape([110], [100]), 10);
});

void test('estimate-training for resnet50 on an RTX 3090: finite, ordered band, and errors for bad input', () => {
  const r = estimateTraining({ arch: 'resnet50', gpu: 'RTX 3090', epochs: 30, images: 10000, size: 224 }, {});
  for (const q of [r.energy, r.co2, r.cost, r.duration])
    assert.ok(isDisplayable(q) && q.low <= q.value && q.value <= q.high);
  assert.ok(Math.abs(r.gflopsPerImage - 8.22) < 0.01);
  // Given a measured epoch time, energy is at most the power limit × duration.
  const m = estimateTraining(
    { arch: 'resnet50', gpu: 'RTX 3090', epochs: 10, images: 10000, epochSeconds: 20 },
    { carbonRegion: 'FRA' },
  );
  assert.ok(m.energy.value <= 350 * 200);
  assert.throws(
    () => estimateTraining({ arch: 'nosuchnet', gpu: 'RTX 3090', epochs: 1, images: 1 }, {}),
    /Unknown model/,
  );
  assert.throws(() => estimateTraining({ arch: 'resnet50', gpu: 'RTX 9999', epochs: 1, images: 1 }, {}), /Unknown GPU/);
  assert.throws(
    () => estimateTraining({ arch: 'resnet50', gpu: 'RTX 3090', epochs: -1, images: 1 }, {}),
    EnergyInputError,
  );
});

void test('GPU names and aliases from the extension prompt resolve to data-sheet rows', () => {
  assert.equal(lookupGpuSpec('A100')?.name, 'A100 SXM4 80GB');
  assert.equal(lookupGpuSpec('A100 80GB')?.name, 'A100 SXM4 80GB');
  assert.equal(lookupGpuSpec('NVIDIA A100-PCIE-40GB')?.boardW, 250);
  assert.equal(lookupGpuSpec('H100 SXM')?.fp16, 989.5);
  assert.equal(lookupGpuSpec('Tesla V100-SXM2-32GB')?.fp32, 15.7);
  assert.equal(lookupGpuSpec('NVIDIA GeForce RTX 4090')?.boardW, 450);
  assert.equal(lookupGpuSpec('RTX 9999'), undefined);
  for (const g of GPU_SPECS) assert.match(g.source.url, /^https:\/\//, `${g.name} cites its data sheet`);
  // TF32 falls back to FP32 where there is none; mixed precision has no peak where the sheet gives none.
  assert.equal(densePeakTflops(lookupGpuSpec('T4')!, 'tf32'), 8.1);
  assert.equal(densePeakTflops(lookupGpuSpec('RTX 5090')!, 'amp'), undefined);
  for (const name of ['A100', 'A100 80GB', 'H100 SXM'])
    assert.doesNotThrow(() => estimateTraining({ arch: 'resnet50', gpu: name, epochs: 1, images: 1000 }, {}));
});

void test('training time never beats 3 × forward FLOPs ÷ (GPUs × dense peak), and power never exceeds the board limit', () => {
  // ViT-L/16 on ImageNet for 90 epochs on a V100 at FP32: at least 3 × 123 GFLOPs × 1.28 M × 90 ÷ 15.7 TFLOPS.
  const r = estimateTraining({ arch: 'vit_l_16', gpu: 'Tesla V100-SXM2-32GB', epochs: 90, images: 1281167 }, {});
  const bound = (3 * r.gflopsPerImage * 1e9 * 1281167 * 90) / 15.7e12;
  assert.ok(Math.abs(r.bounds.minDurationS! / bound - 1) < 1e-9);
  assert.ok(
    r.duration.low >= bound * (1 - 1e-9) && r.duration.value >= bound * (1 - 1e-9),
    'value and band respect the bound',
  );
  assert.ok(r.bounds.shareOfPeak! <= 1 + 1e-9);
  assert.ok(r.duration.value / 3600 > 700, 'far longer than the unbounded 88 h');
  assert.ok(r.energy.high <= 300 * r.duration.high * (1 + 1e-9), 'energy ≤ board limit × longest duration');
  // Eight GPUs at bf16 on an A100: the bound divides by 8 × 312 TFLOPS; energy scales with boards.
  const a = estimateTraining(
    { arch: 'vit_l_16', gpu: 'A100', epochs: 90, images: 1281167, gpus: 8, precision: 'bf16' },
    {},
  );
  assert.ok(Math.abs(a.bounds.minDurationS! / ((3 * a.gflopsPerImage * 1e9 * 1281167 * 90) / (8 * 312e12)) - 1) < 1e-9);
  assert.ok(a.duration.low >= a.bounds.minDurationS! * (1 - 1e-9));
  assert.ok(a.energy.high <= 8 * 400 * a.duration.high * (1 + 1e-9));
  assert.match(a.scope, /GPU boards only/);
});

void test('a measured epoch time faster than the peak allows is flagged, and only a given duration gets baselines', () => {
  const fast = estimateTraining({ arch: 'vit_l_16', gpu: 'T4', epochs: 1, images: 1281167, epochSeconds: 10 }, {});
  assert.ok(fast.bounds.shareOfPeak! > 1);
  assert.ok(fast.notes.some((n) => /no GPU reaches/.test(n)));
  assert.ok(fast.baselines && fast.baselines.mlco2.value === 70 * 10);
  const est = estimateTraining({ arch: 'resnet50', gpu: 'RTX 3090', epochs: 1, images: 1000 }, {});
  assert.equal(est.baselines, undefined);
  assert.match(est.baselinesNote!, /need a duration you give/);
});

void test('validity range: inside it no note, outside it the inputs are named and the band widens', () => {
  const range = {
    gflops: [0.1, 10] as [number, number],
    tflops32: [1, 40] as [number, number],
    batch: [32],
    imageSize: [128],
    gpus: ['RTX 3090'],
    gpuCount: [1],
    precision: ['fp32'],
  };
  const inside = checkValidity(range, {
    gflops: 1,
    tflops32: 35,
    batch: 32,
    imageSize: 128,
    gpu: 'RTX 3090',
    gpuCount: 1,
    precision: 'fp32',
  });
  assert.deepEqual(inside, { outside: [], widenLog: 0 });
  assert.equal(validityNote(inside), undefined);
  const out = checkValidity(range, {
    gflops: 100,
    tflops32: 35,
    batch: 256,
    imageSize: 224,
    gpu: 'A100 SXM4 80GB',
    gpuCount: 8,
    precision: 'amp',
  });
  assert.equal(out.outside.length, 6);
  const expected =
    0.5 * Math.log(10) +
    WIDEN_STEP.batch +
    WIDEN_STEP.imageSize +
    WIDEN_STEP.gpu +
    WIDEN_STEP.gpuCount +
    WIDEN_STEP.precision;
  assert.ok(Math.abs(out.widenLog - expected) < 1e-12);
  // End to end: the same run, once inside and once at 8 GPUs, has a wider relative band outside.
  const one = estimateTraining(
    { arch: 'resnet50', gpu: 'RTX 3090', epochs: 10, images: 30000, size: 128, batch: 32 },
    {},
  );
  const eight = estimateTraining(
    { arch: 'resnet50', gpu: 'RTX 3090', epochs: 10, images: 30000, size: 128, batch: 32, gpus: 8 },
    {},
  );
  assert.equal(one.outsideRange.length, 0);
  assert.ok(eight.outsideRange.some((o) => /8 GPUs/.test(o)));
  assert.ok(eight.energy.high / eight.energy.low > one.energy.high / one.energy.low);
});

void test('GFLOPs of a fitting-data architecture follow the fitting data’s count, scaled by pixel count', () => {
  const m128 = estimateTraining({ arch: 'mobilenet_v2', gpu: 'RTX 3090', epochs: 1, images: 1000, size: 128 }, {});
  assert.ok(
    m128.notes.some((n) => /0\.064 GFLOPs at 128 px/.test(n)),
    m128.notes.join(' | '),
  );
  const m256 = estimateTraining({ arch: 'mobilenet_v2', gpu: 'RTX 3090', epochs: 1, images: 1000, size: 256 }, {});
  assert.ok(m256.notes.some((n) => /0\.256 GFLOPs at 256 px/.test(n)));
});

void test('scope inputs are checked: GPU count and batch are whole numbers, precision is one of four', () => {
  assert.throws(
    () => estimateTraining({ arch: 'resnet50', gpu: 'A100', epochs: 1, images: 1, gpus: 1.5 }, {}),
    /whole number/,
  );
  assert.throws(
    () => estimateTraining({ arch: 'resnet50', gpu: 'A100', epochs: 1, images: 1, batch: 0 }, {}),
    EnergyInputError,
  );
  assert.throws(
    () => estimateTraining({ arch: 'resnet50', gpu: 'A100', epochs: 1, images: 1, precision: 'fp8' as never }, {}),
    /Precision must be one of/,
  );
});

void test('a batch outside the fitting range is used: named, and the band widens', () => {
  const base = { arch: 'resnet50', gpu: 'RTX 3090', epochs: 10, images: 30000, size: 128 };
  const at32 = estimateTraining({ ...base, batch: 32 }, {});
  const at256 = estimateTraining({ ...base, batch: 256 }, {});
  assert.ok(at256.outsideRange.some((o) => /batch 256/.test(o)));
  assert.ok(at256.duration.high / at256.duration.low > at32.duration.high / at32.duration.low);
  const unsaid = estimateTraining(base, {});
  assert.ok(unsaid.notes.some((n) => /No batch size given/.test(n)));
});

void test('at mixed precision the batch is not silently dropped: the estimate says the time model does not use it', () => {
  const base = { arch: 'resnet50', gpu: 'RTX 3090', epochs: 1, images: 1000, precision: 'amp' as const };
  const given = estimateTraining({ ...base, batch: 64 }, {});
  assert.equal(given.duration.method, 'compute-share model × epochs');
  assert.ok(given.notes.some((n) => /The batch \(64\) does not enter the mixed-precision time model/.test(n)));
  const unsaid = estimateTraining(base, {});
  assert.ok(unsaid.notes.some((n) => /The batch does not enter/.test(n)));
  assert.ok(!unsaid.notes.some((n) => /No batch size given: the epoch-time model was fitted at batch/.test(n)));
});

void test('with a measured epoch time the power model’s range is checked, whatever the precision', () => {
  const r = estimateTraining(
    { arch: 'resnet50', gpu: 'H100 SXM', gpus: 8, precision: 'bf16', epochs: 90, images: 1281167, epochSeconds: 60 },
    {},
  );
  assert.ok(
    r.outsideRange.some((o) => /precision bf16/.test(o)),
    r.outsideRange.join(' | '),
  );
  assert.ok(r.energy.value <= 8 * 700 * 90 * 60 * (1 + 1e-9), 'never above 8 boards at their limit');
});
