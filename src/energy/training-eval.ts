/**
 * Evaluation protocols for the training-energy estimators, shared by the fit script (which derives the
 * uncertainty bands from leave-one-architecture-out residuals) and bench/training-energy.ts.
 */
import { fitPre, predictPrePower, predictEpochSeconds, type MeasuredRun, type PreModel } from './training-pre';
import { quantile } from './linalg';
import { greenAlgorithmsEnergy, mlco2ImpactEnergy } from './training';
import { seededRandom } from '../random';

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
  test.map((r) => greenAlgorithmsEnergy({ tdpW: r.gpu.maxPowerW, utilization: Math.min(1, r.gpuUsage), ramGB: 0, durationS: r.durationS }).value);

/** ML CO2 Impact: TDP × measured duration. */
export const mlco2Predictor: Predictor = (_train, test) => test.map((r) => mlco2ImpactEnergy(r.gpu.maxPowerW, r.durationS).value);


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
    const preds = predictor(runs.filter((r) => r.architecture !== arch), testIdx.map((i) => runs[i]!));
    testIdx.forEach((i, k) => { out[i] = preds[k]!; });
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
export function fitPreWithBands(runs: readonly MeasuredRun[]): PreModel {
  const model = fitPre(runs);
  model.powerBand = logBand(leaveOneArchitectureOut(runs, prePowerPredictor), runs.map((r) => r.energyJ));
  model.timeBand = logBand(leaveOneArchitectureOut(runs, epochTimePredictor), runs.map((r) => r.epochSeconds));
  return model;
}
