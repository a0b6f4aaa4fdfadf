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

/** Standard normal CDF (Abramowitz & Stegun 7.1.26, absolute error < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** P(B ≤ k) for B ~ Binomial(n, ½): exact up to n = 1000, normal with continuity correction above. */
export function binomHalfCdf(n: number, k: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  if (n > 1000) return normalCdf((k + 0.5 - n / 2) / (Math.sqrt(n) / 2));
  let p = 0.5 ** n;
  let sum = p;
  for (let i = 1; i <= k; i++) {
    p = (p * (n - i + 1)) / i;
    sum += p;
  }
  return Math.min(1, sum);
}

/** Coverage of the order-statistic interval [X(d), X(n−d+1)] (1-based ranks) for the median. */
function coverage(n: number, d: number): number {
  return 1 - 2 * binomHalfCdf(n, d - 1);
}

/**
 * Confidence interval of the median (95 % unless `level` says otherwise) from order statistics: the sign-test interval
 * [X(d), X(n−d+1)] with the largest d whose exact binomial coverage is at least 95 %, interpolated
 * towards the next inner pair as Hettmansperger & Sheather (1986, Statist. Probab. Lett. 4:75–79)
 * propose, so that the coverage is close to 95 % rather than anywhere above it. No assumption about
 * the latency distribution, which is skewed and often bimodal (cache, frequency scaling, other load),
 * is needed; a normal-theory interval would be too optimistic.
 */
export function medianCi(
  sorted: ArrayLike<number>,
  level = 0.95,
): { median: number; low: number; high: number; halfWidthPct: number } {
  const n = sorted.length;
  const median = quantileSorted(sorted, 0.5);
  if (n < 6 || coverage(n, 1) < level) return { median, low: NaN, high: NaN, halfWidthPct: Infinity };
  let d = Math.max(1, Math.floor(n / 2 - 0.98 * Math.sqrt(n)));
  while (d > 1 && coverage(n, d) < level) d--;
  while (d + 1 <= n / 2 && coverage(n, d + 1) >= level) d++;
  const x = (rank: number) => sorted[rank - 1] ?? NaN;
  let low = x(d);
  let high = x(n - d + 1);
  const outer = coverage(n, d);
  const inner = coverage(n, d + 1);
  if (d + 1 <= n - d && outer > inner) {
    const i = (outer - level) / (outer - inner);
    const lambda = ((n - d) * i) / (d + (n - 2 * d) * i);
    low = (1 - lambda) * low + lambda * x(d + 1);
    high = (1 - lambda) * high + lambda * x(n - d);
  }
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
  return {
    p50: quantileSorted(s, 0.5),
    p95: quantileSorted(s, 0.95),
    p99: quantileSorted(s, 0.99),
    mean: s.length ? sum / s.length : NaN,
    ciPct: medianCi(s).halfWidthPct,
    n: s.length,
  };
}
