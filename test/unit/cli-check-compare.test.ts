/**
 * The comparison behind `greenlens check`, on synthetic baselines: the threshold, the bands' overlap
 * ("within uncertainty", failing only when strict), new models against the size limit, training runs,
 * and new findings against the severity gate.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Band, Baseline, BaselineFinding } from '../../src/cli/check/baseline';
import { compareBaselines, type CheckOptions } from '../../src/cli/check/compare';

const band = (value: number, low: number, high: number, unit = 'J'): Band => ({
  value,
  low,
  high,
  unit,
  provenance: 'estimated',
});
const OPTS: CheckOptions = { threshold: 10, newSiteGmacs: 1, findingSeverity: 'warning', strict: false };

function baseline(parts: Partial<Baseline>): Baseline {
  return {
    schemaVersion: 1,
    assumptions: {
      hardware: 'RTX 3090',
      inferencesPerDay: 10_000,
      carbonRegion: '',
      deploymentTarget: 'local',
      deploymentBatch: 1,
      trainingGpu: 'RTX 3090',
      imagesPerEpoch: 10_000,
    },
    models: [],
    training: [],
    findings: [],
    ...parts,
  };
}
const model = (energy: Band, extra: Partial<Baseline['models'][number]> = {}): Baseline['models'][number] => ({
  id: 'py:a.py:model',
  kind: 'python-site',
  file: 'a.py',
  line: 3,
  name: 'net',
  gmacs: 2,
  energyPerInference: energy,
  ...extra,
});

void test('a rise beyond the threshold with disjoint bands is a regression', () => {
  const r = compareBaselines(
    baseline({ models: [model(band(1, 0.8, 1.2))] }),
    baseline({ models: [model(band(2, 1.6, 2.4))] }),
    OPTS,
  );
  assert.equal(r.failed, true);
  assert.equal(r.items[0]!.status, 'regression');
  assert.equal(r.items[0]!.changePct, 100);
});

void test('a rise inside the bands’ overlap after a change of model is within uncertainty: it passes unless strict', () => {
  const old = baseline({ models: [model(band(1, 0.5, 1.5), { name: 'resnet18' })] });
  const now = baseline({ models: [model(band(1.3, 0.7, 2), { name: 'resnet34' })] });
  const r = compareBaselines(old, now, OPTS);
  assert.equal(r.items[0]!.status, 'uncertain');
  assert.equal(r.failed, false);
  assert.equal(compareBaselines(old, now, { ...OPTS, strict: true }).failed, true);
});

void test('the same model on the same hardware shares its estimate’s error: overlapping bands do not excuse a rise', () => {
  const old = baseline({ models: [model(band(1, 0.3, 3))] });
  const now = baseline({ models: [model(band(1.5, 0.45, 4.5))] });
  const r = compareBaselines(old, now, OPTS);
  assert.equal(r.items[0]!.status, 'regression');
  assert.match(r.items[0]!.reason, /share their error/);
  // On other hardware the errors are not shared, and the overlap decides again.
  const elsewhere = baseline({ models: [model(band(1.5, 0.45, 4.5))] });
  elsewhere.assumptions = { ...elsewhere.assumptions, hardware: 'AMD EPYC' };
  assert.equal(compareBaselines(old, elsewhere, OPTS).items[0]!.status, 'uncertain');
});

void test('a rise at or under the threshold is no change; a fall beyond it is an improvement', () => {
  const old = baseline({ models: [model(band(1, 1, 1))] });
  assert.equal(
    compareBaselines(old, baseline({ models: [model(band(1.1, 1.1, 1.1))] }), OPTS).items[0]!.status,
    'unchanged',
  );
  assert.equal(
    compareBaselines(old, baseline({ models: [model(band(0.5, 0.5, 0.5))] }), OPTS).items[0]!.status,
    'improved',
  );
  assert.equal(
    compareBaselines(old, baseline({ models: [model(band(1.1, 1.1, 1.1))] }), { ...OPTS, threshold: 5 }).failed,
    true,
  );
});

void test('a new model fails at or above the size limit, not below it or when its size is unknown', () => {
  const add = (gmacs: number | undefined): boolean =>
    compareBaselines(baseline({}), baseline({ models: [model(band(1, 1, 1), { id: 'py:b.py:m', gmacs })] }), OPTS)
      .failed;
  assert.equal(add(1), true);
  assert.equal(add(0.5), false);
  assert.equal(add(undefined), false);
});

void test('a training estimate that rises beyond the threshold fails', () => {
  const run = (kwh: number): Baseline['training'][number] => ({
    id: 'train:t.py:model',
    file: 't.py',
    line: 9,
    model: 'resnet50',
    epochs: 1,
    energy: band(kwh, kwh * 0.9, kwh * 1.1, 'kWh'),
  });
  const r = compareBaselines(baseline({ training: [run(1)] }), baseline({ training: [run(4)] }), OPTS);
  assert.equal(r.failed, true);
  assert.equal(r.items[0]!.figure, 'training energy');
});

void test('a new finding fails at or above the gate’s severity; a resolved one never does', () => {
  const f = (severity: BaselineFinding['severity']): BaselineFinding => ({
    id: 'GL002:a.py:model',
    ruleId: 'GL002',
    severity,
    file: 'a.py',
    line: 5,
    message: 'no eval',
  });
  assert.equal(compareBaselines(baseline({}), baseline({ findings: [f('warning')] }), OPTS).failed, true);
  assert.equal(compareBaselines(baseline({}), baseline({ findings: [f('information')] }), OPTS).failed, false);
  assert.equal(
    compareBaselines(baseline({}), baseline({ findings: [f('information')] }), {
      ...OPTS,
      findingSeverity: 'information',
    }).failed,
    true,
  );
  const resolved = compareBaselines(baseline({ findings: [f('error')] }), baseline({}), OPTS);
  assert.equal(resolved.failed, false);
  assert.equal(resolved.items[0]!.status, 'removed');
});

void test('changed assumptions are reported', () => {
  const now = baseline({});
  now.assumptions = { ...now.assumptions, inferencesPerDay: 20_000 };
  assert.deepEqual(compareBaselines(baseline({}), now, OPTS).assumptionChanges, ['inferencesPerDay: 10000 → 20000']);
});

const measured = (
  value: number,
  low: number,
  high: number,
  machineId = 'aaaaaaaaaaaaaaaa',
): NonNullable<Baseline['models'][number]['measured']> => ({
  energyPerInference: { value, low, high, unit: 'J', provenance: 'measured' },
  latencyMs: { value: 1, low: 0.9, high: 1.1, unit: 'ms', provenance: 'measured' },
  meter: 'estimate:cpu-time',
  machine: machineId === 'aaaaaaaaaaaaaaaa' ? 'laptop' : 'runner',
  machineId,
  measuredAt: '2026-01-01T00:00:00.000Z',
  budgetMs: 2000,
  modelSha256: '0'.repeat(64),
});
const onnx = (m?: ReturnType<typeof measured>): Baseline['models'][number] => ({
  id: 'onnx:m.onnx',
  kind: 'onnx',
  file: 'm.onnx',
  name: 'm.onnx',
  gmacs: 0.2,
  energyPerInference: band(1, 0.8, 1.2),
  ...(m ? { measured: m } : {}),
});

void test('a measured rise beyond the threshold with disjoint intervals fails; with overlapping ones it is within uncertainty', () => {
  const r = compareBaselines(
    baseline({ models: [onnx(measured(1, 0.95, 1.05))] }),
    baseline({ models: [onnx(measured(1.5, 1.4, 1.6))] }),
    OPTS,
  );
  assert.equal(r.failed, true);
  const item = r.items.find((i) => i.measured)!;
  assert.equal(item.status, 'regression');
  assert.equal(item.figure, 'measured energy per inference');
  assert.match(item.reason, /intervals do not overlap \(measured 2026-01-01 and 2026-01-01 on laptop\)/);
  // The static estimate did not move: only the measurement fails.
  assert.equal(r.items.filter((i) => i.status === 'regression').length, 1);
  // Two measurements never share their error, even of the same model: overlap decides.
  const noisy = compareBaselines(
    baseline({ models: [onnx(measured(1, 0.7, 1.3))] }),
    baseline({ models: [onnx(measured(1.2, 1, 1.4))] }),
    OPTS,
  );
  assert.equal(noisy.items.find((i) => i.measured)!.status, 'uncertain');
  assert.equal(noisy.failed, false);
});

void test('measurements of different machines, or on one side only, are not compared and say so', () => {
  const other = compareBaselines(
    baseline({ models: [onnx(measured(1, 0.95, 1.05))] }),
    baseline({ models: [onnx(measured(3, 2.9, 3.1, 'bbbbbbbbbbbbbbbb'))] }),
    OPTS,
  );
  assert.equal(other.failed, false);
  assert.equal(
    other.items.some((i) => i.measured),
    false,
  );
  assert.match(other.notes.join(' '), /measured on laptop in the baseline and on runner now; .* not compared/);
  const ci = compareBaselines(
    baseline({ models: [onnx(measured(1, 0.95, 1.05))] }),
    baseline({ models: [onnx()] }),
    OPTS,
  );
  assert.equal(ci.failed, false);
  assert.match(ci.notes.join(' '), /no profile is cached here; only its estimates are compared/);
});
