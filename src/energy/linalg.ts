/**
 * Ridge regression on standardized features, solved exactly through the normal equations. The models in
 * GreenLens have at most a dozen features and a few thousand rows, so a 60-line solver is clearer than a
 * dependency (ml-matrix would be the candidate) and keeps the extension free of native or large packages.
 */

/** A fitted linear model: y ≈ intercept + Σ coef_i · (x_i − mean_i) / scale_i. Plain data, JSON-safe. */
export interface LinearModel {
  mean: number[];
  scale: number[];
  coef: number[];
  intercept: number;
  lambda: number;
}

/** Solves A x = b for a symmetric positive-definite A by Gaussian elimination with partial pivoting. */
export function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i] ?? 0]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    const p = m[col]![col]!;
    if (Math.abs(p) < 1e-12) throw new Error('singular system: features are collinear and lambda is 0');
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r]![col]! / p;
      if (f !== 0) for (let c = col; c <= n; c++) m[r]![c]! -= f * m[col]![c]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}

function columnStats(x: number[][]): { mean: number[]; scale: number[] } {
  const d = x[0]?.length ?? 0;
  const mean = Array.from({ length: d }, (_, j) => x.reduce((s, r) => s + r[j]!, 0) / x.length);
  const scale = mean.map((mu, j) => {
    const sd = Math.sqrt(x.reduce((s, r) => s + (r[j]! - mu) ** 2, 0) / x.length);
    // A constant column carries no information; a unit scale keeps it harmless instead of dividing by 0.
    return sd > 1e-12 ? sd : 1;
  });
  return { mean, scale };
}

/** Fits ridge regression (penalty `lambda` on standardized coefficients, intercept unpenalized). */
export function fitRidge(x: number[][], y: number[], lambda: number): LinearModel {
  if (x.length === 0 || x.length !== y.length) throw new Error('fitRidge: need as many rows as targets, at least one');
  const { mean, scale } = columnStats(x);
  const z = x.map((r) => r.map((v, j) => (v - mean[j]!) / scale[j]!));
  const ybar = y.reduce((s, v) => s + v, 0) / y.length;
  const d = mean.length;
  const a = Array.from({ length: d }, (_, i) =>
    Array.from({ length: d }, (_, j) => z.reduce((s, r) => s + r[i]! * r[j]!, 0) + (i === j ? lambda : 0)),
  );
  const b = Array.from({ length: d }, (_, i) => z.reduce((s, r, k) => s + r[i]! * (y[k]! - ybar), 0));
  return { mean, scale, coef: d ? solve(a, b) : [], intercept: ybar, lambda };
}

/** Evaluates a fitted linear model on one feature vector. */
export function predictLinear(model: LinearModel, x: readonly number[]): number {
  return model.coef.reduce((s, c, j) => s + c * ((x[j]! - model.mean[j]!) / model.scale[j]!), model.intercept);
}

/** The q-quantile (0..1) of a list by linear interpolation; NaN for an empty list. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}
