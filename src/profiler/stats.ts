/** Latency statistics: percentiles and a distribution-free confidence interval of the median. Pure. */

/** The q-quantile (0..1) of ascending-sorted values, linearly interpolated. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = Math.min(Math.max(q, 0), 1) * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo] ?? NaN;
  const b = sorted[hi] ?? NaN;
  return a + (b - a) * (pos - lo);
}

/** A sorted copy as a Float64Array (numeric sort, unlike Array.prototype.sort). */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

/**
 * 95 % confidence interval of the median from order statistics (the binomial method): ranks
 * n/2 ± 1.96·√n/2. It needs no assumption about the latency distribution, which is skewed and often
 * bimodal (cache, frequency scaling), so a normal-theory interval would be too optimistic.
 */
export function medianCi(sorted: ArrayLike<number>): { median: number; low: number; high: number; halfWidthPct: number } {
  const n = sorted.length;
  const median = quantileSorted(sorted, 0.5);
  if (n < 6) return { median, low: NaN, high: NaN, halfWidthPct: Infinity };
  const d = 0.98 * Math.sqrt(n);
  const j = Math.max(0, Math.floor(n / 2 - d) - 1);
  const k = Math.min(n - 1, Math.ceil(n / 2 + d));
  const low = sorted[j] ?? NaN;
  const high = sorted[k] ?? NaN;
  const halfWidthPct = median > 0 ? (Math.max(median - low, high - median) / median) * 100 : Infinity;
  return { median, low, high, halfWidthPct };
}

/** Summary of a latency sample in milliseconds. */
export interface LatencySummary {
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  ciPct: number;
  n: number;
}

/** Percentiles, mean and the median's confidence half-width of latencies in ms. */
export function summarizeLatencies(values: ArrayLike<number>): LatencySummary {
  const s = sortedCopy(values);
  let sum = 0;
  for (const v of s) sum += v;
  return { p50: quantileSorted(s, 0.5), p95: quantileSorted(s, 0.95), p99: quantileSorted(s, 0.99), mean: s.length ? sum / s.length : NaN, ciPct: medianCi(s).halfWidthPct, n: s.length };
}
