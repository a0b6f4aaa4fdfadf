/**
 * Comparisons of a variant with its baseline from paired blocks: both were timed in the same round of an
 * interleaved measurement, so drift in load, clock frequency or temperature hits both sides of a pair
 * alike and cancels in their ratio. The ratio's interval is the sign-test interval of the median of the
 * per-round ratios (an exact, distribution-free method: no bootstrap, nothing random), widened to what
 * the clock can resolve. Pure.
 */
import { medianCi, sortedCopy } from './stats';
import type { MeasurementInfo, RatioInterval, SpeedVerdict } from './types';

/** The words of the verdict when the interval holds 1. */
export const NO_DIFFERENCE: SpeedVerdict = 'no measurable difference';

/**
 * The median of `num[i] / den[i]` over the rounds and its interval at `level`, computed on log ratios
 * (so that the interval of a ratio and of its inverse are inverses) and widened to at least
 * ±`floorRel` (relative) around the median, which is what the clock's granularity allows. Pairs with a
 * non-positive or non-finite member are left out. Fewer than six pairs give an unbounded interval.
 */
export function ratioInterval(
  num: ArrayLike<number>,
  den: ArrayLike<number>,
  level = 0.95,
  floorRel = 0,
): RatioInterval {
  const logs: number[] = [];
  const n = Math.min(num.length, den.length);
  for (let i = 0; i < n; i++) {
    const a = num[i] ?? NaN;
    const b = den[i] ?? NaN;
    if (a > 0 && b > 0 && Number.isFinite(a) && Number.isFinite(b)) logs.push(Math.log(a / b));
  }
  if (logs.length === 0) return { value: NaN, low: 0, high: Infinity };
  const ci = medianCi(sortedCopy(logs), level);
  const value = Math.exp(ci.median);
  if (!Number.isFinite(ci.low) || !Number.isFinite(ci.high)) return { value, low: 0, high: Infinity };
  const floor = Math.log1p(Math.max(0, floorRel));
  return {
    value,
    low: Math.exp(Math.min(ci.low, ci.median - floor)),
    high: Math.exp(Math.max(ci.high, ci.median + floor)),
  };
}

/** Largest distance of the interval's ends from its value, as a percentage of the value. */
export function ratioHalfWidthPct(r: RatioInterval): number {
  if (!(r.value > 0) || !Number.isFinite(r.high)) return Infinity;
  return (Math.max(r.value - r.low, r.high - r.value) / r.value) * 100;
}

/** "faster" when the whole speed-up interval is above 1, "slower" when below, otherwise no measurable difference. */
export function speedVerdict(speedup: RatioInterval): SpeedVerdict {
  if (speedup.low > 1) return 'faster';
  if (speedup.high < 1) return 'slower';
  return NO_DIFFERENCE;
}

/** True when an energy ratio (variant ÷ baseline) shows a real saving: its whole interval is below 1. */
export function savesEnergy(energyRatio: RatioInterval | undefined): boolean {
  return energyRatio !== undefined && energyRatio.high < 1;
}

/**
 * What a longer run could tell, for an interval that holds 1. An interval narrows like 1/√(rounds), so
 * resolving the measured difference |log value| from a half-width h takes about (h / |log value|)² times
 * the rounds this run had. Beyond a hundredfold, or for a difference under half a percent, the two are
 * called equal for practical purposes. Undefined when the interval does not hold 1.
 */
export function resolutionNote(r: RatioInterval, measuredMs: number): string | undefined {
  if (speedVerdict(r) !== NO_DIFFERENCE) return undefined;
  if (!Number.isFinite(r.high) || !(r.low > 0))
    return 'Too few interleaved rounds for an interval; measure longer to compare this variant with the baseline.';
  const diff = Math.abs(Math.log(r.value));
  const half = Math.max(Math.log(r.high / r.value), Math.log(r.value / r.low));
  const span = `${((r.low - 1) * 100).toFixed(1)} % to +${((r.high - 1) * 100).toFixed(1)} %`;
  if (diff < 0.005) return `Within ${span} of the baseline: no difference that matters was seen.`;
  const factor = Math.max(1, (half / diff) ** 2 * 1.1);
  const pct = ((r.value - 1) * 100).toFixed(1);
  if (factor > 100)
    return `The measured difference (${pct} %) is far inside the interval (${span}); it would take over 100 times this run's measuring time to tell it, so treat the two as equal.`;
  const seconds = (factor * measuredMs) / 1000;
  return `If the measured difference (${pct} %) is real, about ${factor.toFixed(1)} times this run's measuring time (about ${seconds < 120 ? `${seconds.toFixed(0)} s` : `${(seconds / 60).toFixed(0)} min`} of interleaved measuring) would tell it from noise.`;
}

/** A speed-up with its interval, `1.23× (1.18–1.29)`; the baseline's is just 1.00×. */
export function formatSpeedup(s: RatioInterval | undefined): string {
  if (!s || !Number.isFinite(s.value)) return '';
  if (s.low === s.value && s.high === s.value) return `${s.value.toFixed(2)}×`;
  const hi = Number.isFinite(s.high) ? s.high.toFixed(2) : '∞';
  return `${s.value.toFixed(2)}× (${s.low.toFixed(2)}–${hi})`;
}

/** How the figures were measured: interleaved rounds, the intervals' level, the machine's load. */
export function formatMeasurement(m: MeasurementInfo | undefined): string[] {
  if (!m) return [];
  const level = `${Math.round(m.level * 100)} %`;
  return [
    `measured interleaved: ${m.rounds} rounds of randomized blocks (about ${m.blockTargetMs.toFixed(1)} ms each, clock step ${m.clockGranularityUs.toFixed(3)} µs); intervals are ${level}`,
    ...m.notes.map((n) => `  ${n}`),
  ];
}

/** Two-sided Student t quantiles for 1..10 degrees of freedom at 95 % and 99 %. */
const T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228];
const T99 = [63.657, 9.925, 5.841, 4.604, 4.032, 3.707, 3.499, 3.355, 3.25, 3.169];

/** The two-sided t quantile for `df` degrees of freedom at `level` (0.95 or 0.99; beyond ten, an approximation). */
export function tQuantile(df: number, level: number): number {
  const table = level >= 0.99 ? T99 : T95;
  if (df >= 1 && df <= table.length) return table[df - 1] ?? Infinity;
  const z = level >= 0.99 ? 2.576 : 1.96;
  return df > 0 ? z + (z * z * z + z) / (4 * df) : Infinity;
}

/**
 * Widens a ratio interval pooled over the rounds of several passes by the spread between the passes. Each
 * pass loads fresh sessions, so its memory layout (and with it a speed difference of a few percent that
 * stays fixed for a session's life) differs; rounds within one pass cannot show that, so the pass, not the
 * round, is the unit that replicates the layout. The passes are combined as a random-effects
 * meta-analysis: each pass's ratio and its own interval give a within-pass variance on the log scale,
 * DerSimonian and Laird's τ² (from Cochran's Q) is the excess spread those variances do not explain, and
 * the passes are weighted by 1 / (variance + τ²). The interval of the weighted mean is the modified
 * Hartung–Knapp–Sidik–Jonkman interval (Röver, Knapp and Friede 2015): Student's t with passes − 1
 * degrees of freedom, and a variance scaled by the passes' observed weighted spread, never below the
 * random-effects variance. With the normal quantile and τ² alone, three or four passes that happen to lie
 * close together give τ² = 0 (Q falls below its degrees of freedom more often than not when the layout
 * effect is about as large as each pass's own noise), and the interval then claims a layout effect of
 * zero from a handful of draws; the t quantile and the observed spread carry the uncertainty of so few
 * draws, which is what keeps an A/A comparison's interval around 1 at its nominal rate. The result spans
 * the pooled and the combined interval. Passes without a finite interval are left out; with fewer than two
 * nothing changes.
 */
export function combinePasses(pooled: RatioInterval, passes: RatioInterval[], level = 0.95): RatioInterval {
  const z = level >= 0.99 ? 2.576 : 1.96;
  const usable = passes.filter((p) => p.value > 0 && p.low > 0 && Number.isFinite(p.high) && p.high > p.low);
  if (usable.length < 2 || !(pooled.value > 0)) return pooled;
  const theta = usable.map((p) => Math.log(p.value));
  const v = usable.map((p) => ((Math.log(p.high) - Math.log(p.low)) / (2 * z)) ** 2);
  const w = v.map((x) => 1 / x);
  const sw = w.reduce((a, b) => a + b, 0);
  const mean = w.reduce((a, wi, i) => a + wi * (theta[i] ?? 0), 0) / sw;
  const q = w.reduce((a, wi, i) => a + wi * ((theta[i] ?? 0) - mean) ** 2, 0);
  const tau2 = Math.max(0, (q - (usable.length - 1)) / (sw - w.reduce((a, b) => a + b * b, 0) / sw));
  const ws = v.map((x) => 1 / (x + tau2));
  const sws = ws.reduce((a, b) => a + b, 0);
  const re = ws.reduce((a, wi, i) => a + wi * (theta[i] ?? 0), 0) / sws;
  const spread = ws.reduce((a, wi, i) => a + wi * ((theta[i] ?? 0) - re) ** 2, 0) / (usable.length - 1);
  const half = tQuantile(usable.length - 1, level) * Math.sqrt(Math.max(1, spread) / sws);
  return {
    value: pooled.value,
    low: Math.min(pooled.low, Math.exp(re - half)),
    high: Math.max(pooled.high, Math.exp(re + half)),
  };
}
