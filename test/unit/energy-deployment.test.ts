import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deploymentTarget, toTarget, BATCH_MISMATCH_WIDEN } from '../../src/energy/deployment';
import { calibratedDevices, energyFromMacs } from '../../src/energy/inference';
import { predictJoulesPerImage } from '../../src/energy/calibration';
import { cpuDevice } from '../../src/energy/hardware';
import { makeEstimate } from '../../src/energy/quantity';
import { sanitizeSettings } from '../../src/settings';

const laptop = cpuDevice('Intel(R) Core(TM) i7-12700H', 20);
const measured = makeEstimate(5.6, 'J', { low: 5, high: 6.2, provenance: 'measured', method: 'RAPL counters' });
const vitB = { gmacs: 17.6, mactsM: 23.9 };

void test('the default target is the measuring machine: figures are unchanged and say so', () => {
  const t = deploymentTarget('local', 1);
  assert.ok(t.local);
  assert.match(t.name, /this machine/);
  assert.deepEqual(toTarget(measured, vitB, laptop, t), measured);
});

void test('a GPU target scales by the ratio of the two calibrations, states it, and widens the band', () => {
  const t = deploymentTarget('rtx4090', 1024);
  const cal = calibratedDevices().find((c) => c.id === 'rtx4090')!;
  const factor =
    predictJoulesPerImage(cal, vitB.gmacs, vitB.mactsM).value / energyFromMacs({ ...vitB, device: laptop }).value;
  const e = toTarget(measured, vitB, laptop, t);
  assert.ok(Math.abs(e.value / (5.6 * factor) - 1) < 1e-12);
  assert.ok(factor < 0.5, 'GPU batch serving needs far less energy per inference than a laptop CPU at batch 1');
  assert.equal(e.provenance, 'estimated');
  assert.ok(e.high / e.low > measured.high / measured.low, 'the band widens');
  assert.ok(e.notes.some((n) => /Scaled to the deployment target RTX 4090/.test(n)));
  // Serving at batch 1 instead of the benchmark's 1024 widens the band further.
  const b1 = toTarget(measured, vitB, laptop, deploymentTarget('rtx4090', 1));
  assert.ok(Math.abs(Math.log(b1.high / b1.low / (e.high / e.low)) - 2 * BATCH_MISMATCH_WIDEN) < 1e-9);
  assert.ok(b1.notes.some((n) => /not the benchmark's 1024/.test(n)));
});

void test('without MACs the figure is not scaled and says so', () => {
  const e = toTarget(measured, {}, laptop, deploymentTarget('rtx3090', 1024));
  assert.equal(e.value, measured.value);
  assert.ok(e.notes.some((n) => /Not scaled to the deployment target/.test(n)));
});

void test('deployment settings: defaults, accepted values, and bad values reported', () => {
  assert.equal(sanitizeSettings({}).settings.deploymentTarget, 'local');
  assert.equal(sanitizeSettings({}).settings.deploymentBatch, 1);
  const ok = sanitizeSettings({ 'deployment.target': 'rtx3090', 'deployment.batch': 64 });
  assert.deepEqual([ok.settings.deploymentTarget, ok.settings.deploymentBatch, ok.problems.length], ['rtx3090', 64, 0]);
  const bad = sanitizeSettings({ 'deployment.target': 'tpu', 'deployment.batch': 0 });
  assert.equal(bad.settings.deploymentTarget, 'local');
  assert.equal(bad.problems.length, 2);
});
