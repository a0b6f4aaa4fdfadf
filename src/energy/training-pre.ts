/**
 * The offline PRE training-energy regressors, refitted on the 369 runs of del Rey et al. with physically
 * motivated features so that they extrapolate to architectures they have not seen (the held-out VGG16 has
 * 4× the GFLOPs of any other).
 *
 * Power model: log(P / P_max) = ridge([log P_max, log u]), where u = GFLOPs × images per epoch /
 * (epoch seconds × peak FP32 TFLOPS) is the fraction of the GPU's peak compute the run achieves. A GPU
 * kept busy with arithmetic draws close to its power limit; one waiting for data draws little. Energy is
 * P̂ × duration, like the study's power-based PRE, so the duration must be known or estimated.
 *
 * Epoch-time model, for estimates before training: log(epoch seconds / images) = ridge([log GFLOPs,
 * log TFLOPS]). Combined with the power model it gives energy per epoch, ê = P̂ × t̂, × epochs.
 *
 * Batch size, image size, dataset sizes, GFLOPs, memory and max power are the study's features; batch
 * and image size are constant in the 369 runs, so their effect cannot be learnt: image size reaches the
 * model through GFLOPs (∝ side²), dataset sizes through images per epoch.
 */
import { fitRidge, predictLinear, type LinearModel } from './linalg';
import { lookupHardware } from './hardware';
import { makeEstimate, requireFinite, EnergyInputError, type Estimate } from './quantity';
import { csvNumber } from './csv';
import { SOURCES } from './sources';
import { lookupGpuSpec, type GpuSpec } from './gpu-specs';
import type { ValidityRange } from './training-validity';
import type { DeviceRoof, TransferFit } from './device-transfer';

/** GPU properties the PRE models need. */
export interface PreGpu {
  name: string;
  maxPowerW: number;
  tflops32: number;
  memoryGB?: number;
  /** The data-sheet row with per-precision peaks, when the GPU is in that table. */
  spec?: GpuSpec;
}

// GPUs of the training study missing from the ML CO2 Impact table (NVIDIA specifications as listed by
// TechPowerUp; power limits as the study reports them).
const EXTRA_GPUS: readonly PreGpu[] = [
  { name: 'RTX 3070', maxPowerW: 240, tflops32: 20.31, memoryGB: 8 },
  { name: 'GTX 750 Ti', maxPowerW: 60, tflops32: 1.389, memoryGB: 2 },
];

/** Finds the PRE properties of a GPU by name (data-sheet table, the study's GPUs, then ML CO2 Impact's table). */
export function preGpu(name: string): PreGpu | undefined {
  const spec = lookupGpuSpec(name);
  if (spec) return { name: spec.name, maxPowerW: spec.boardW, tflops32: spec.fp32, memoryGB: spec.memoryGB, spec };
  const norm = (s: string): string => s.toLowerCase().replace(/nvidia|geforce|[\s-]/g, '');
  const extra = EXTRA_GPUS.find((g) => norm(name).endsWith(norm(g.name)));
  if (extra) return extra;
  const m = lookupHardware(name, 'gpu');
  if (m?.spec.tflops32 && m.spec.tflops32 > 0 && m.spec.tflops32 < 500) {
    return { name: m.spec.name, maxPowerW: m.spec.tdpW, tflops32: m.spec.tflops32, memoryGB: m.spec.memoryGB };
  }
  return undefined;
}

/** One training run as the PRE models see it. */
export interface PreRun {
  /** Forward GFLOPs per image at the training image size. */
  gflops: number;
  /** Images seen per epoch (training + validation). */
  imagesPerEpoch: number;
  /** Seconds per epoch: measured, or estimated by the time model. */
  epochSeconds: number;
  gpu: PreGpu;
}

/** A measured run of the dataset: a PreRun plus what was measured. */
export interface MeasuredRun extends PreRun {
  architecture: string;
  epochs: number;
  batch: number;
  /** Training image side, px. */
  imageSize: number;
  durationS: number;
  avgPowerW: number;
  gpuUsage: number;
  energyJ: number;
}

/** A fitted log-linear share model: log(share) = coef[0] + Σ coef[i] × feature[i-1], with residual percentiles. */
export interface ShareFit {
  coef: number[];
  p05: number;
  p95: number;
}

/** The fitted PRE models, stored in src/energy/data/training-pre-model.json. */
export interface PreModel {
  power: LinearModel;
  time: LinearModel;
  /** 5th/95th percentiles of log(actual / predicted) energy under leave-one-architecture-out. */
  powerBand: { p05: number; p95: number };
  timeBand: { p05: number; p95: number };
  /** The same under a 5-fold random split: the error on an architecture of the fitting data. */
  timeBandSeen?: { p05: number; p95: number };
  nRuns: number;
  /** The range of the runs the models were fitted on; outside it a figure says so and its band widens. */
  validity: ValidityRange;
  /** Forward GFLOPs per image as the fitting data counts them, per architecture, at `imageSize` px. */
  fitGflops: Record<string, number>;
  /**
   * Share of the dense mixed-precision peak that training reaches, from timm's training benchmark:
   * log(share) = linear in [log forward GFLOPs, log(activations per GFLOP)] (`withActs`), or in log GFLOPs
   * alone when activations are unknown (`gflopsOnly`, a wider band); each with residual percentiles. The
   * share is of the reference GPU's peak; another GPU's time follows by the roofline transfer.
   */
  computeShare?: {
    withActs: ShareFit;
    gflopsOnly: ShareFit;
    n: number;
    source: string;
    validity: ValidityRange;
    /** The GPU and precision the share was measured on; the time moves from it to the user's GPU. */
    reference: DeviceRoof & { name: string };
    /** How a time moves from the reference GPU to another (device-transfer.ts); peak scaling alone without it. */
    transfer?: TransferFit;
  };
}

export const PRE_LAMBDA = 0.1;

/** Achieved fraction of peak FP32 compute (forward FLOPs only, so it is a relative index, not a utilisation). */
export function achievedCompute(run: PreRun): number {
  return (run.gflops * run.imagesPerEpoch) / (run.epochSeconds * run.gpu.tflops32 * 1000);
}

function powerFeatures(run: PreRun): number[] {
  return [Math.log(run.gpu.maxPowerW), Math.log(achievedCompute(run))];
}

function timeFeatures(run: Omit<PreRun, 'epochSeconds'>): number[] {
  return [Math.log(run.gflops), Math.log(run.gpu.tflops32)];
}

/** Fits both PRE models on measured runs (bands are left at zero; fit-training-energy.ts fills them). */
export function fitPre(runs: readonly MeasuredRun[], lambda = PRE_LAMBDA): PreModel {
  const power = fitRidge(
    runs.map(powerFeatures),
    runs.map((r) => Math.log(r.avgPowerW / r.gpu.maxPowerW)),
    lambda,
  );
  const time = fitRidge(
    runs.map(timeFeatures),
    runs.map((r) => Math.log(r.epochSeconds / r.imagesPerEpoch)),
    lambda,
  );
  return {
    power,
    time,
    powerBand: { p05: 0, p95: 0 },
    timeBand: { p05: 0, p95: 0 },
    nRuns: runs.length,
    validity: validityOf(runs),
    fitGflops: fitGflopsOf(runs),
  };
}

/** The fitting range of a set of runs. */
export function validityOf(runs: readonly MeasuredRun[]): ValidityRange {
  const span = (xs: number[]): [number, number] => [Math.min(...xs), Math.max(...xs)];
  const set = <T>(xs: T[]): T[] => [...new Set(xs)].sort();
  return {
    gflops: span(runs.map((r) => r.gflops)),
    tflops32: span(runs.map((r) => r.gpu.tflops32)),
    batch: set(runs.map((r) => r.batch)),
    imageSize: set(runs.map((r) => r.imageSize)),
    gpus: set(runs.map((r) => r.gpu.name)),
    gpuCount: [1],
    precision: ['fp32', 'tf32'],
  };
}

function fitGflopsOf(runs: readonly MeasuredRun[]): Record<string, number> {
  return Object.fromEntries(runs.map((r) => [r.architecture, r.gflops]));
}

/** Average GPU power predicted for a run, W (capped at the power limit, which a GPU cannot exceed). */
export function predictPrePower(model: PreModel, run: PreRun): number {
  return Math.min(run.gpu.maxPowerW, run.gpu.maxPowerW * Math.exp(predictLinear(model.power, powerFeatures(run))));
}

/** Seconds per epoch predicted by the time model. */
export function predictEpochSeconds(model: PreModel, run: Omit<PreRun, 'epochSeconds'>): number {
  return run.imagesPerEpoch * Math.exp(predictLinear(model.time, timeFeatures(run)));
}

/** Energy of a run whose total duration is known (measured or given): P̂ × duration, J. */
export function prePowerEnergy(model: PreModel, run: PreRun, durationS: number): Estimate {
  requireFinite(durationS, 'training duration (s)', 0, 1e10);
  checkRun(run);
  const e = predictPrePower(model, run) * durationS;
  return makeEstimate(e, 'J', {
    low: e * Math.exp(model.powerBand.p05),
    high: e * Math.exp(model.powerBand.p95),
    method: 'PRE power regressor × duration',
    sources: [SOURCES.delRey],
  });
}

/** Energy of a run before it starts: epochs × P̂ × t̂ (epoch time from the time model), J. */
export function preEpochEnergy(
  model: PreModel,
  run: Omit<PreRun, 'epochSeconds'>,
  epochs: number,
): { energy: Estimate; epochSeconds: number } {
  requireFinite(epochs, 'epochs', 0, 1e7);
  const epochSeconds = predictEpochSeconds(model, run);
  const full = { ...run, epochSeconds };
  checkRun(full);
  const e = predictPrePower(model, full) * epochSeconds * epochs;
  const lo = model.powerBand.p05 + model.timeBand.p05;
  const hi = model.powerBand.p95 + model.timeBand.p95;
  const energy = makeEstimate(e, 'J', {
    low: e * Math.exp(lo),
    high: e * Math.exp(hi),
    method: 'PRE epoch-time and power regressors × epochs',
    sources: [SOURCES.delRey],
    notes: [
      'The epoch time is estimated from GFLOPs and the GPU’s peak TFLOPS; give a measured epoch time for a tighter figure.',
    ],
  });
  return { energy, epochSeconds };
}

function checkRun(run: PreRun): void {
  requireFinite(run.gflops, 'GFLOPs per image', 1e-6, 1e5);
  requireFinite(run.imagesPerEpoch, 'images per epoch', 1, 1e11);
  requireFinite(run.epochSeconds, 'seconds per epoch', 1e-6, 1e9);
  requireFinite(run.gpu.maxPowerW, 'GPU max power (W)', 1, 5000);
  requireFinite(run.gpu.tflops32, 'GPU TFLOPS', 1e-3, 1e4);
}

/** Training image side of every run of del Rey et al., px. */
export const DEL_REY_IMAGE_SIZE = 128;

/** Reads the rows of dl-training-energy-consumption-dataset.csv into measured runs. */
export function delReyRuns(records: readonly Record<string, string>[]): MeasuredRun[] {
  return records.map((r, i) => {
    const num = (k: string): number => {
      const v = csvNumber(r[k]);
      if (v === undefined) throw new EnergyInputError(`row ${i + 2}: column "${k}" is not a number`);
      return v;
    };
    const epochs = num('trained epochs');
    const durationS = num('training duration (h)') * 3600;
    const found = preGpu(r['gpu model'] ?? '');
    if (!found) throw new EnergyInputError(`row ${i + 2}: unknown GPU "${r['gpu model']}"`);
    return {
      architecture: r.architecture ?? '',
      batch: num('batch size'),
      // Every run of the study trained at 128 × 128 px (its experiment design, variables-combinations-experiment-1.csv).
      imageSize: DEL_REY_IMAGE_SIZE,
      gflops: num('GFLOPs'),
      imagesPerEpoch: num('total seen images') / epochs,
      epochSeconds: durationS / epochs,
      gpu: { ...found, maxPowerW: num('max power limit (W)') },
      epochs,
      durationS,
      avgPowerW: num('average power draw (W)'),
      gpuUsage: num('gpu usage (%)') / 100,
      energyJ: num('energy (MJ)') * 1e6,
    };
  });
}
