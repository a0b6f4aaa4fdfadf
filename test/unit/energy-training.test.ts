import { test } from 'node:test';
import assert from 'node:assert/strict';
import { greenAlgorithmsEnergy, mlco2ImpactEnergy, stepEpochEnergy, stepPowerEnergy } from '../../src/energy/training';
import { fitRidge, predictLinear } from '../../src/energy/linalg';
import { randomSplit, rmse, mape } from '../../src/energy/training-eval';
import { estimateTraining } from '../../src/energy/training-estimate';
import { EnergyInputError, isDisplayable } from '../../src/energy/quantity';

void test('Green Algorithms: (250 W × 0.8 + 16 GB × 0.3725 W) × 3600 s', () => {
  assert.equal(greenAlgorithmsEnergy({ tdpW: 250, utilization: 0.8, ramGB: 16, durationS: 3600 }).value, (200 + 16 * 0.3725) * 3600);
  assert.equal(mlco2ImpactEnergy(300, 10).value, 3000);
  assert.throws(() => greenAlgorithmsEnergy({ tdpW: 250, utilization: 1.5, ramGB: 0, durationS: 1 }), EnergyInputError);
});

void test('STEP epoch projection: 10 warm-up epochs then a window of 5 at 100 J, 30 epochs in all', () => {
  const epochs = [...Array.from({ length: 10 }, () => ({ energyJ: 50, durationS: 1 })), ...Array.from({ length: 5 }, () => ({ energyJ: 100, durationS: 2 }))];
  const e = stepEpochEnergy(epochs, 30);
  assert.equal(e.value, 500 + 100 * 20);
  const p = stepPowerEnergy(epochs, 30);
  // 50 W over the window; observed 10 + 10 s, then 15 more epochs × 2 s.
  assert.equal(p.value, 50 * (20 + 30));
  const short = stepEpochEnergy([{ energyJ: 10, durationS: 1 }, { energyJ: 12, durationS: 1 }], 10);
  assert.match(short.notes[0]!, /Only 2 epochs observed/);
  assert.throws(() => stepEpochEnergy([], 10), /at least one observed epoch/);
});

void test('ridge recovers an exact linear law, and the split is seeded and disjoint', () => {
  const x = [[1, 2], [2, 1], [3, 5], [4, 3], [5, 8]];
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
  for (const q of [r.energy, r.co2, r.cost, r.duration, r.baselines.greenAlgorithms]) assert.ok(isDisplayable(q) && q.low <= q.value && q.value <= q.high);
  assert.ok(Math.abs(r.gflopsPerImage - 8.22) < 0.01);
  // Given a measured epoch time, energy is at most the power limit × duration.
  const m = estimateTraining({ arch: 'resnet50', gpu: 'RTX 3090', epochs: 10, images: 10000, epochSeconds: 20 }, { carbonRegion: 'FRA' });
  assert.ok(m.energy.value <= 350 * 200);
  assert.throws(() => estimateTraining({ arch: 'nosuchnet', gpu: 'RTX 3090', epochs: 1, images: 1 }, {}), /Unknown model/);
  assert.throws(() => estimateTraining({ arch: 'resnet50', gpu: 'RTX 9999', epochs: 1, images: 1 }, {}), /Unknown GPU/);
  assert.throws(() => estimateTraining({ arch: 'resnet50', gpu: 'RTX 3090', epochs: -1, images: 1 }, {}), EnergyInputError);
});
