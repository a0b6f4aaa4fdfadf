/**
 * Evaluation protocols for the training-energy estimators, shared by the fit script (which derives the
 * uncertainty bands from leave-one-architecture-out residuals) and bench/training-energy.ts.
 */
import {
  fitPre,
  predictPrePower,
  predictEpochSeconds,
  type MeasuredRun,
  type PreModel,
  type ShareFit,
} from './training-pre';
import { fitRidge, quantile } from './linalg';
import { predictRun, shareFeatures, type Band, type RunSpec } from './training-run';
import { csvNumber, parseCsvRecords } from './csv';
import { SOURCES } from './sources';
import { greenAlgorithmsEnergy, mlco2ImpactEnergy } from './training';
import { seededRandom } from '../random';
import { lookupGpuSpec } from './gpu-specs';
import { timmInferenceRows } from './calibration';
import { fitDeviceTransfer, timmInferencePairs, type DeviceRoof, type TransferFit } from './device-transfer';

/** Trains on `train` (when it learns) and returns the predicted energy (J) of each run of `test`. */
export type Predictor = (train: readonly MeasuredRun[], test: readonly MeasuredRun[]) => number[];

/** PRE power regressor × the run's measured duration (the study's offline power-based method). */
export const prePowerPredictor: Predictor = (train, test) => {
  const m = fitPre(train);
  return test.map((r) => predictPrePower(m, r) * r.durationS);
};

/** PRE epoch-time × power regressors × epochs: needs neither the duration nor any measurement. */
export const preEpochPredictor: Predictor = (train, test) => {
  const m = fitPre(train);
  return test.map((r) => {
    const t = predictEpochSeconds(m, r);
    return predictPrePower(m, { ...r, epochSeconds: t }) * t * r.epochs;
  });
};

/** Green Algorithms with the measured GPU utilisation and duration; RAM left out (the ground truth is GPU energy). */
export const greenAlgorithmsPredictor: Predictor = (_train, test) =>
  test.map(
    (r) =>
      greenAlgorithmsEnergy({
        tdpW: r.gpu.maxPowerW,
        utilization: Math.min(1, r.gpuUsage),
        ramGB: 0,
        durationS: r.durationS,
      }).value,
  );

/** ML CO2 Impact: TDP × measured duration. */
export const mlco2Predictor: Predictor = (_train, test) =>
  test.map((r) => mlco2ImpactEnergy(r.gpu.maxPowerW, r.durationS).value);

/** Indices of a seeded random split: `testFraction` of the rows in `test`, the rest in `train`. */
export function randomSplit(n: number, seed: number, testFraction = 0.2): { train: number[]; test: number[] } {
  const idx = Array.from({ length: n }, (_, i) => i);
  const rnd = seededRandom(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  const k = Math.round(n * testFraction);
  return { test: idx.slice(0, k).sort((a, b) => a - b), train: idx.slice(k).sort((a, b) => a - b) };
}

/** Predictions for every run by a model trained without that run's architecture. */
export function leaveOneArchitectureOut(runs: readonly MeasuredRun[], predictor: Predictor): number[] {
  const out = new Array<number>(runs.length).fill(Number.NaN);
  for (const arch of [...new Set(runs.map((r) => r.architecture))].sort()) {
    const testIdx = runs.flatMap((r, i) => (r.architecture === arch ? [i] : []));
    const preds = predictor(
      runs.filter((r) => r.architecture !== arch),
      testIdx.map((i) => runs[i]!),
    );
    testIdx.forEach((i, k) => {
      out[i] = preds[k]!;
    });
  }
  return out;
}

/** Predictions for every run by models trained on the other folds of a seeded k-fold split (architectures seen). */
export function kFold(runs: readonly MeasuredRun[], predictor: Predictor, k: number, seed = 1): number[] {
  const { test: order } = randomSplit(runs.length, seed, 1);
  const out = new Array<number>(runs.length).fill(Number.NaN);
  for (let f = 0; f < k; f++) {
    const testIdx = order.filter((_, j) => j % k === f);
    const inTest = new Set(testIdx);
    const preds = predictor(
      runs.filter((_, i) => !inTest.has(i)),
      testIdx.map((i) => runs[i]!),
    );
    testIdx.forEach((i, j) => {
      out[i] = preds[j]!;
    });
  }
  return out;
}

/** Root-mean-square error. */
export function rmse(pred: readonly number[], actual: readonly number[]): number {
  return Math.sqrt(pred.reduce((s, p, i) => s + (p - actual[i]!) ** 2, 0) / pred.length);
}

/** Mean absolute percentage error, %. */
export function mape(pred: readonly number[], actual: readonly number[]): number {
  return (100 * pred.reduce((s, p, i) => s + Math.abs(p - actual[i]!) / Math.abs(actual[i]!), 0)) / pred.length;
}

function logBand(pred: readonly number[], actual: readonly number[]): { p05: number; p95: number } {
  const logs = pred.map((p, i) => Math.log(actual[i]! / p));
  return { p05: quantile(logs, 0.05), p95: quantile(logs, 0.95) };
}

const epochTimePredictor: Predictor = (train, test) => {
  const m = fitPre(train);
  return test.map((r) => predictEpochSeconds(m, r));
};

/**
 * The committed PRE model: fitted on all runs, with bands from the 5th/95th percentiles of
 * log(actual / predicted) under leave-one-architecture-out, i.e. the error on an unseen architecture.
 */
export function fitPreWithBands(
  runs: readonly MeasuredRun[],
  timm: readonly TimmTrainRow[] = [],
  transfer?: TransferFit,
): PreModel {
  const model = fitPre(runs);
  if (timm.length > 0) model.computeShare = { ...fitComputeShare(timm), ...(transfer ? { transfer } : {}) };
  model.powerBand = logBand(
    leaveOneArchitectureOut(runs, prePowerPredictor),
    runs.map((r) => r.energyJ),
  );
  model.timeBand = logBand(
    leaveOneArchitectureOut(runs, epochTimePredictor),
    runs.map((r) => r.epochSeconds),
  );
  model.timeBandSeen = logBand(
    kFold(runs, epochTimePredictor, 5),
    runs.map((r) => r.epochSeconds),
  );
  return model;
}

/** One architecture of timm's training benchmark (RTX 3090, AMP, synthetic data). */
export interface TimmTrainRow {
  model: string;
  imageSize: number;
  batch: number;
  samplesPerSec: number;
  /** Forward GFLOPs per image at the training size: 2 × the inference benchmark's GMACs, scaled by pixel count. */
  fwdGflops: number;
  /** Forward activations per image, millions, scaled the same way. */
  mactsM: number;
}

/**
 * The roof of timm's training benchmark: an RTX 3090 at mixed precision, whose dense FP16 tensor peak with
 * FP32 accumulation (71 TFLOPS, GA102 white paper) is the peak its shares are of.
 */
export function timmTrainReference(): DeviceRoof & { name: string } {
  return ampRoof('RTX 3090');
}

/** The RTX 3090 → RTX 4090 transfer, fitted on timm's mixed-precision inference benchmarks of both GPUs. */
export function fitTimmTransfer(gpu3090Csv: string, gpu4090Csv: string): TransferFit {
  const pairs = timmInferencePairs(gpu3090Csv, gpu4090Csv);
  return fitDeviceTransfer(pairs, timmTrainReference(), ampRoof('RTX 4090'), SOURCES.timmResults);
}

/** A GPU of the data-sheet table at mixed precision. */
export function ampRoof(name: string): DeviceRoof & { name: string } {
  const spec = lookupGpuSpec(name);
  if (!spec?.fp16) throw new Error(`no data-sheet fp16 peak for ${name}`);
  return { name: spec.name, peakTflops: spec.fp16, bandwidthGBs: spec.bandwidthGBs, bytesPerValue: 2 };
}

/**
 * Joins timm's training benchmark with the inference benchmark of the same GPU (for GMACs, which the
 * training file lacks). Test networks (`test_*`) are left out: they are not real architectures.
 */
export function timmTrainRows(trainCsv: string, inferCsv: string): TimmTrainRow[] {
  // The last listed image size of a model wins, as the join needs one row per model.
  const macs = new Map(
    timmInferenceRows(inferCsv).map((r) => [r.model, { gmacs: r.gmacs, macts: r.mactsM, size: r.imgSize }]),
  );
  const out: TimmTrainRow[] = [];
  for (const r of parseCsvRecords(trainCsv)) {
    const m = macs.get(r.model ?? '');
    const size = csvNumber(r.train_img_size);
    const sps = csvNumber(r.train_samples_per_sec);
    const batch = csvNumber(r.train_batch_size);
    if (!r.model || r.model.startsWith('test_') || !m || !size || !sps || !batch) continue;
    const f = (size / m.size) ** 2;
    out.push({
      model: r.model,
      imageSize: size,
      batch,
      samplesPerSec: sps,
      fwdGflops: 2 * m.gmacs * f,
      mactsM: m.macts * f,
    });
  }
  return out;
}

function fitShare(x: number[][], y: number[]): ShareFit {
  const m = fitRidge(x, y, 1e-6);
  const slopes = m.coef.map((c, j) => c / m.scale[j]!);
  const intercept = m.intercept - slopes.reduce((s, b, j) => s + b * m.mean[j]!, 0);
  const coef = [intercept, ...slopes];
  const res = y.map((v, i) => v - x[i]!.reduce((s, f, j) => s + coef[j + 1]! * f, coef[0]!));
  return { coef, p05: quantile(res, 0.05), p95: quantile(res, 0.95) };
}

/**
 * Share of the dense peak that training reaches on timm's benchmark: the achieved 3 × forward FLOPs per
 * second over the peak, modelled in log space from GFLOPs and activations per GFLOP (memory-bound
 * networks, with many activations per FLOP, reach a smaller share).
 */
export function fitComputeShare(rows: readonly TimmTrainRow[]): NonNullable<PreModel['computeShare']> {
  const peak = timmTrainReference().peakTflops;
  const y = rows.map((r) => Math.log((3 * r.fwdGflops * r.samplesPerSec) / (peak * 1000)));
  const withActs = fitShare(
    rows.map((r) => shareFeatures(r.fwdGflops, r.mactsM)),
    y,
  );
  const gflopsOnly = fitShare(
    rows.map((r) => shareFeatures(r.fwdGflops)),
    y,
  );
  const span = (xs: number[]): [number, number] => [Math.min(...xs), Math.max(...xs)];
  const validity = {
    gflops: span(rows.map((r) => r.fwdGflops)),
    tflops32: [35.6, 35.6] as [number, number],
    batch: [],
    imageSize: [],
    gpus: ['RTX 3090'],
    gpuCount: [1],
    precision: ['amp', 'bf16'],
  };
  return {
    withActs,
    gflopsOnly,
    n: rows.length,
    source: SOURCES.timmResults,
    validity,
    reference: timmTrainReference(),
  };
}

/** The spec of a measured del Rey run, as estimateTraining would build it. */
export function delReySpec(r: MeasuredRun): RunSpec {
  return {
    fwdGflops: r.gflops,
    fitGflops: r.gflops,
    architecture: r.architecture,
    imagesPerEpoch: r.imagesPerEpoch,
    gpu: r.gpu,
    gpus: 1,
    precision: 'fp32',
    batch: r.batch,
    imageSize: r.imageSize,
  };
}

/** Predicts energy bands (J) of test runs with a model (bands included) fitted on the training runs. */
export type BandPredictor = (train: readonly MeasuredRun[], test: readonly MeasuredRun[]) => Band[];

/** Bands of PRE power × the measured duration. */
export function prePowerBands(timm: readonly TimmTrainRow[]): BandPredictor {
  return (train, test) => {
    const m = fitPreWithBands(train, timm);
    return test.map((r) => scaleBand(predictRun(m, delReySpec(r), r.epochSeconds).epochEnergyJ, r.epochs));
  };
}

/** Bands of the before-training estimate (epoch time and power predicted). */
export function preEpochBands(timm: readonly TimmTrainRow[]): BandPredictor {
  return (train, test) => {
    const m = fitPreWithBands(train, timm);
    return test.map((r) => scaleBand(predictRun(m, delReySpec(r)).epochEnergyJ, r.epochs));
  };
}

function scaleBand(b: Band, k: number): Band {
  return { value: b.value * k, low: b.low * k, high: b.high * k };
}

/** Band predictions for every run by a model fitted without that run's architecture. */
export function leaveOneArchitectureOutBands(runs: readonly MeasuredRun[], predictor: BandPredictor): Band[] {
  const out: Band[] = new Array<Band>(runs.length);
  for (const arch of [...new Set(runs.map((r) => r.architecture))].sort()) {
    const testIdx = runs.flatMap((r, i) => (r.architecture === arch ? [i] : []));
    const preds = predictor(
      runs.filter((r) => r.architecture !== arch),
      testIdx.map((i) => runs[i]!),
    );
    testIdx.forEach((i, k) => {
      out[i] = preds[k]!;
    });
  }
  return out;
}

/** Share of actual values inside their bands, and the median high/low ratio of the bands. */
export function coverage(bands: readonly Band[], actual: readonly number[]): { share: number; medianRatio: number } {
  const inside = bands.filter((b, i) => b.low <= actual[i]! && actual[i]! <= b.high).length;
  return {
    share: inside / bands.length,
    medianRatio: quantile(
      bands.map((b) => b.high / b.low),
      0.5,
    ),
  };
}
