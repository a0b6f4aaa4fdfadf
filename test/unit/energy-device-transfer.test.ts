/**
 * Moving a time between GPUs by a roofline split of peak and memory bandwidth: the split's limits, the
 * fit on synthetic data with known coefficients and on timm's benchmarks of two GPUs, and its use by the
 * training estimate (the reference GPU unchanged, another GPU neither at peak scaling nor below the bound).
 */
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import modelData from '../../src/energy/data/training-pre-model.json';
import {
  fitDeviceTransfer,
  roofFactor,
  timmInferencePairs,
  transferTime,
  type DeviceRoof,
  type TransferPair,
} from '../../src/energy/device-transfer';
import { preGpu, type PreModel } from '../../src/energy/training-pre';
import { computeSeconds, predictRun, type RunSpec } from '../../src/energy/training-run';
import { GPU_SPECS } from '../../src/energy/gpu-specs';
import { ampRoof, timmTrainReference } from '../../src/energy/training-eval';

const model = modelData as unknown as PreModel;
const A: DeviceRoof = { peakTflops: 100, bandwidthGBs: 1000, bytesPerValue: 2 };
const B: DeviceRoof = { peakTflops: 400, bandwidthGBs: 2000, bytesPerValue: 2 };

void test('the roofline factor runs from the bandwidth ratio (all memory) to the peak ratio (all arithmetic)', () => {
  assert.equal(roofFactor(1, A, B), 0.25);
  assert.equal(roofFactor(0, A, B), 0.5);
  assert.equal(roofFactor(0.5, A, B), 0.375);
  // fp32 moves twice the bytes of fp16: the memory-bound part takes twice as long.
  assert.equal(roofFactor(0, A, { ...B, bytesPerValue: 4 }), 1);
  // Without a bandwidth only the peak can scale.
  assert.equal(roofFactor(0, A, { ...B, bandwidthGBs: undefined }), 0.25);
});

void test('every GPU of the data-sheet table has a plausible memory bandwidth (GB/s, not TB/s or MB/s)', () => {
  for (const g of GPU_SPECS) {
    assert.ok(g.bandwidthGBs > 50 && g.bandwidthGBs < 10_000, g.name);
    assert.ok(g.bandwidthGBs / 1000 < g.fp32, g.name);
  }
});

function synthetic(coef: [number, number], n: number): TransferPair[] {
  const out: TransferPair[] = [];
  for (let i = 0; i < n; i++) {
    const fwdGflops = 0.1 * 1.1 ** i;
    const mactsM = fwdGflops * Math.exp(-2 + (4 * ((i * 7) % n)) / n);
    const f = 1 / (1 + Math.exp(-(coef[0] + coef[1] * Math.log(mactsM / fwdGflops))));
    out.push({ fwdGflops, mactsM, speedRatio: 1 / roofFactor(f, A, B) });
  }
  return out;
}

void test('the fit recovers the coefficients that generated exact data, with a zero-width band', () => {
  const fit = fitDeviceTransfer(synthetic([0.4, -0.8], 60), { ...A, name: 'a' }, { ...B, name: 'b' }, 'synthetic');
  assert.ok(Math.abs(fit.withActs.coef[0]! - 0.4) < 1e-3, String(fit.withActs.coef));
  assert.ok(Math.abs(fit.withActs.coef[1]! + 0.8) < 1e-3, String(fit.withActs.coef));
  assert.ok(fit.withActs.p95 - fit.withActs.p05 < 1e-6);
  // The constant fit cannot follow the activations, so its band is wider.
  assert.ok(fit.constant.p95 - fit.constant.p05 > 0.01);
});

void test('the same roof on both sides moves nothing; another roof gets a band around its factor', () => {
  const fit = fitDeviceTransfer(synthetic([0.4, -0.8], 60), { ...A, name: 'a' }, { ...B, name: 'b' }, 'synthetic');
  assert.deepEqual(
    { ...transferTime(fit, A, A, 1, 5), computeFraction: 0 },
    { value: 1, low: 1, high: 1, computeFraction: 0 },
  );
  const t = transferTime(fit, A, B, 1, 5);
  assert.ok(t.low <= t.value && t.value <= t.high);
  assert.ok(t.value > 0.25 && t.value < 0.5);
});

const timmDir = join(__dirname, '..', '..', '..', 'shared', 'data', 'timm');
const have = existsSync(join(timmDir, 'benchmark-infer-amp-nchw-pt291-cu128-4090.csv'));

void test(
  'on timm’s benchmarks the roofline split is unbiased where peak scaling claims a 4090 1.6× faster than it is',
  { skip: have ? false : 'timm benchmark tables not present' },
  () => {
    const pairs = timmInferencePairs(
      readFileSync(join(timmDir, 'benchmark-infer-amp-nchw-pt240-cu124-rtx3090.csv'), 'utf8'),
      readFileSync(join(timmDir, 'benchmark-infer-amp-nchw-pt291-cu128-4090.csv'), 'utf8'),
    );
    assert.ok(pairs.length > 500);
    assert.ok(pairs.every((p) => !p.model.startsWith('test_')));
    const from = timmTrainReference();
    const to = ampRoof('RTX 4090');
    const fit = fitDeviceTransfer(pairs, from, to, 'timm');
    const logs = pairs.map((p) =>
      Math.log(1 / p.speedRatio / transferTime(fit, from, to, p.fwdGflops, p.mactsM).value),
    );
    const peakOnly = pairs.map((p) => Math.log(1 / p.speedRatio / (from.peakTflops / to.peakTflops)));
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    assert.ok(Math.abs(median(logs)) < 0.05, `roofline median log error ${median(logs)}`);
    assert.ok(median(peakOnly) > 0.3, `peak-only median log error ${median(peakOnly)}`);
    // More activations per FLOP, more memory-bound: the compute fraction falls.
    assert.ok(fit.withActs.coef[1]! < 0);
  },
);

function amp(gpu: string, mactsM?: number): RunSpec {
  return {
    fwdGflops: 8.2,
    fitGflops: 8.2,
    mactsM,
    imagesPerEpoch: 1_281_167,
    gpu: preGpu(gpu)!,
    gpus: 1,
    precision: 'amp',
    imageSize: 224,
  };
}

void test('the training estimate keeps the reference GPU’s time and moves it to another GPU by the transfer', () => {
  const onRef = predictRun(model, amp('RTX 3090', 11.1));
  assert.equal(onRef.transfer?.factor, 1);
  const onH100 = predictRun(model, amp('H100 SXM', 11.1));
  assert.equal(onH100.timeModel, 'compute-share model');
  const ratio = onH100.epochSeconds.value / onRef.epochSeconds.value;
  const peakRatio = 71 / 989.5;
  // Slower than peak scaling claims (memory did not grow as much), faster than bandwidth alone.
  assert.ok(ratio > peakRatio * 1.5 && ratio < 936 / 3350, `ratio ${ratio}`);
  assert.ok(Math.abs(ratio / onH100.transfer!.factor - 1) < 1e-9);
  assert.ok(onH100.epochSeconds.value >= computeSeconds(8.2, 1_281_167, 1, 989.5));
  assert.ok(
    onH100.epochSeconds.low <= onH100.epochSeconds.value && onH100.epochSeconds.value <= onH100.epochSeconds.high,
  );
});

void test('TF32 takes the tensor-core path only where the TF32 peak is above the FP32 peak', () => {
  const tf32 = (gpu: string): RunSpec => ({ ...amp(gpu, 11.1), precision: 'tf32' });
  // The fitting GPUs of the FP32/TF32 regressor: equal peaks, so the regressor.
  assert.equal(predictRun(model, tf32('RTX 3090')).timeModel, 'PRE epoch-time regressor');
  // No TF32 at all: frameworks run FP32.
  assert.equal(predictRun(model, tf32('V100')).timeModel, 'PRE epoch-time regressor');
  const a100 = predictRun(model, tf32('A100 80GB'));
  assert.equal(a100.timeModel, 'compute-share model');
  assert.ok(a100.validity.outside.some((o) => o.startsWith('precision tf32')));
  // 4-byte values and half the AMP peak: slower than the same GPU at AMP, faster than its FP32 regressor.
  const ampA100 = predictRun(model, amp('A100 80GB', 11.1));
  const fp32A100 = predictRun(model, { ...tf32('A100 80GB'), precision: 'fp32' });
  assert.ok(a100.epochSeconds.value > ampA100.epochSeconds.value);
  assert.ok(a100.epochSeconds.value < fp32A100.epochSeconds.value);
});
