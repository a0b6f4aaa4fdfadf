/**
 * The before-training energy band carries the epoch-time band through the power model: a longer epoch
 * keeps the GPU less busy and draws less power, so time and power errors are not independent. The energy
 * band's ends are the energies at the time band's ends (each with the power it implies), widened only by
 * the power model's own residual band.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import modelData from '../../src/energy/data/training-pre-model.json';
import { predictPrePower, preGpu, type PreModel } from '../../src/energy/training-pre';
import { predictRun, type RunSpec } from '../../src/energy/training-run';

const model = modelData as unknown as PreModel;

void test('an unseen architecture’s energy band follows the time band through the power model', () => {
  const gpu = preGpu('RTX 3090')!;
  // An architecture of none of the fitting runs, inside their GFLOPs range: no validity widening.
  const run: RunSpec = {
    fwdGflops: 1.5,
    fitGflops: 1.5,
    imagesPerEpoch: 30_000,
    gpu,
    gpus: 1,
    precision: 'fp32',
    batch: 32,
    imageSize: 128,
  };
  const p = predictRun(model, run);
  assert.equal(p.timeModel, 'PRE epoch-time regressor');
  assert.equal(p.validity.widenLog, 0);
  const t = p.epochSeconds;
  const energyAt = (s: number): number =>
    predictPrePower(model, { gflops: 1.5, imagesPerEpoch: 30_000, epochSeconds: s, gpu }) * s;
  const e = p.epochEnergyJ;
  const hiPower = Math.min(gpu.maxPowerW, p.powerW * Math.exp(model.powerBand.p95));
  const expectedHigh =
    e.value * Math.exp(Math.hypot(Math.log(energyAt(t.high) / e.value), Math.log(hiPower / p.powerW)));
  assert.ok(Math.abs(e.high / expectedHigh - 1) < 1e-9, `${e.high} vs ${expectedHigh}`);
  const expectedLow = e.value * Math.exp(-Math.hypot(Math.log(e.value / energyAt(t.low)), -model.powerBand.p05));
  assert.ok(Math.abs(e.low / expectedLow - 1) < 1e-9, `${e.low} vs ${expectedLow}`);
  // Narrower than treating the two errors as independent, yet never narrower than the time band's energy alone.
  const independent = Math.hypot(Math.log(t.high / t.value), Math.log(hiPower / p.powerW));
  assert.ok(Math.log(e.high / e.value) < independent);
  assert.ok(e.high >= energyAt(t.high) && e.low <= energyAt(t.low));
});
