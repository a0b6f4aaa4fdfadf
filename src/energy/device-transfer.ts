/**
 * Moving a measured time from the GPU that measured it to another GPU, by a roofline split. A share f of
 * the time is arithmetic, which scales with the dense peak at the precision; the rest is memory traffic,
 * which scales with the memory bandwidth and with the bytes per value (fp32 moves twice fp16's bytes):
 *
 *   time on B / time on A = f × peak_A / peak_B + (1 − f) × (bandwidth_A / bandwidth_B) × (bytes_B / bytes_A)
 *
 * Scaling by the peak alone (f = 1) makes a newer GPU look far faster than it is: its peak grew much more
 * than its bandwidth. f falls as a network's activations per FLOP grow (more memory traffic per unit of
 * arithmetic): logit(f) = c0 + c1 × log(activations (M) per GFLOP). It is fitted on timm's inference
 * benchmarks of the same architectures on two GPUs (RTX 3090 and RTX 4090, both mixed precision, batch
 * 1024), whose peaks differ 2.3× and bandwidths 1.08×; its residual percentiles are the band.
 */
import { quantile, solve } from './linalg';
import { timmInferenceRows, type CalibrationRow } from './calibration';

/** What a GPU offers at one precision. */
export interface DeviceRoof {
  /** Dense peak at the precision, TFLOPS. */
  peakTflops: number;
  /** Memory bandwidth, GB/s; undefined when no data sheet gives it (then only the peak can scale). */
  bandwidthGBs?: number;
  /** Bytes per activation value at the precision: 2 for fp16/bf16, 4 for fp32/tf32. */
  bytesPerValue: number;
}

/** A fitted logit of the compute-bound fraction, with the residual percentiles of log(actual / predicted speed ratio). */
export interface FractionFit {
  coef: number[];
  p05: number;
  p95: number;
}

/** The fitted transfer: with activations known, and without (a constant fraction). */
export interface TransferFit {
  withActs: FractionFit;
  constant: FractionFit;
  /** Architecture pairs it was fitted on. */
  n: number;
  /** The two GPUs it was fitted between. */
  between: [string, string];
  source: string;
}

/** One architecture measured on both GPUs. */
export interface TransferPair {
  fwdGflops: number;
  mactsM: number;
  /** Throughput on the second GPU over throughput on the first. */
  speedRatio: number;
}

/** The logit's features: an intercept and, when activations are known, log activations (M) per GFLOP. */
function features(fwdGflops: number, mactsM?: number): number[] {
  return mactsM !== undefined && mactsM > 0 && fwdGflops > 0 ? [1, Math.log(mactsM / fwdGflops)] : [1];
}

function fraction(coef: readonly number[], x: readonly number[]): number {
  const z = x.reduce((s, v, j) => s + v * coef[j]!, 0);
  return 1 / (1 + Math.exp(-z));
}

/** Time on `to` over time on `from` for a compute-bound fraction f. */
export function roofFactor(f: number, from: DeviceRoof, to: DeviceRoof): number {
  const compute = from.peakTflops / to.peakTflops;
  if (from.bandwidthGBs === undefined || to.bandwidthGBs === undefined) return compute;
  const memory = (from.bandwidthGBs / to.bandwidthGBs) * (to.bytesPerValue / from.bytesPerValue);
  return f * compute + (1 - f) * memory;
}

/**
 * The time multiplier from `from` to `to` for a network, with its band (5th–95th percentile). Exactly 1,
 * without a band, when the two roofs are the same.
 */
export function transferTime(
  fit: TransferFit,
  from: DeviceRoof,
  to: DeviceRoof,
  fwdGflops: number,
  mactsM?: number,
): { value: number; low: number; high: number; computeFraction: number } {
  const x = features(fwdGflops, mactsM);
  const which = x.length > 1 ? fit.withActs : fit.constant;
  const f = fraction(which.coef, x);
  const value = roofFactor(f, from, to);
  const same =
    from.peakTflops === to.peakTflops &&
    from.bandwidthGBs === to.bandwidthGBs &&
    from.bytesPerValue === to.bytesPerValue;
  if (same) return { value: 1, low: 1, high: 1, computeFraction: f };
  // A positive residual is a target faster than predicted, so a shorter time.
  return { value, low: value * Math.exp(-which.p95), high: value * Math.exp(-which.p05), computeFraction: f };
}

/**
 * Least squares in log speed ratio by Gauss–Newton with step halving. Two parameters and a smooth model:
 * a solver library would add a dependency for a dozen lines.
 */
function fitFraction(xs: number[][], y: number[], from: DeviceRoof, to: DeviceRoof): FractionFit {
  const d = xs[0]!.length;
  const predict = (c: number[], x: number[]): number => -Math.log(roofFactor(fraction(c, x), from, to));
  const sse = (c: number[]): number => xs.reduce((s, x, i) => s + (y[i]! - predict(c, x)) ** 2, 0);
  let coef = new Array<number>(d).fill(0);
  let best = sse(coef);
  for (let iter = 0; iter < 100; iter++) {
    const h = 1e-6;
    const jac = xs.map((x) =>
      coef.map((_, j) => {
        const c2 = [...coef];
        c2[j]! += h;
        return (predict(c2, x) - predict(coef, x)) / h;
      }),
    );
    const res = xs.map((x, i) => y[i]! - predict(coef, x));
    const a = coef.map((_, i) => coef.map((_, j) => jac.reduce((s, r) => s + r[i]! * r[j]!, 0) + (i === j ? 1e-9 : 0)));
    const b = coef.map((_, i) => jac.reduce((s, r, k) => s + r[i]! * res[k]!, 0));
    const step = solve(a, b);
    let t = 1;
    let next = coef.map((c, j) => c + step[j]!);
    let e = sse(next);
    while (e > best && t > 1e-6) {
      t /= 2;
      next = coef.map((c, j) => c + t * step[j]!);
      e = sse(next);
    }
    if (e > best) break;
    const done = best - e < 1e-12 * (1 + best);
    coef = next;
    best = e;
    if (done) break;
  }
  const res = xs.map((x, i) => y[i]! - predict(coef, x));
  return { coef, p05: quantile(res, 0.05), p95: quantile(res, 0.95) };
}

/** Fits the transfer on architectures measured on both GPUs. */
export function fitDeviceTransfer(
  pairs: readonly TransferPair[],
  from: DeviceRoof & { name: string },
  to: DeviceRoof & { name: string },
  source: string,
): TransferFit {
  if (pairs.length < 10) throw new Error('fitDeviceTransfer: need at least 10 architectures measured on both GPUs');
  const y = pairs.map((p) => Math.log(p.speedRatio));
  return {
    withActs: fitFraction(
      pairs.map((p) => features(p.fwdGflops, p.mactsM)),
      y,
      from,
      to,
    ),
    constant: fitFraction(
      pairs.map(() => [1]),
      y,
      from,
      to,
    ),
    n: pairs.length,
    between: [from.name, to.name],
    source,
  };
}

/** Pairs the rows of two timm inference benchmarks: the same model at the same image size in both. */
export function timmInferencePairs(fromCsv: string, toCsv: string): (TransferPair & { model: string })[] {
  const key = (r: CalibrationRow): string => `${r.model}@${r.imgSize}`;
  const to = new Map(timmInferenceRows(toCsv).map((r) => [key(r), r]));
  return timmInferenceRows(fromCsv).flatMap((a) => {
    const b = to.get(key(a));
    return b
      ? [{ model: key(a), fwdGflops: 2 * a.gmacs, mactsM: a.mactsM, speedRatio: b.samplesPerSec / a.samplesPerSec }]
      : [];
  });
}
