/**
 * How a run spends its time budget: each variant's timing loop gets its share of what is left (less a
 * reserve) after the expected building, loading and accuracy costs of the variants still to come; time a
 * loop does not need passes on; and what remains at the end, the reserve included, tops up the variants
 * whose confidence intervals are widest, their new runs pooled with the first ones. Pure.
 */
import { summarizeLatencies } from './stats';
import type { VariantMetrics, VariantResult, VariantSpec } from './types';

/** Shortest timing loop worth starting, ms. */
export const MIN_LOOP_MS = 200;

/** Time bookkeeping of one run. */
export class Schedule {
  /** Wall time each measured variant spent outside its timing loop (spawn, build, load, warm-up, accuracy), ms. */
  private readonly overheads: number[] = [];

  /**
   * @param reserveMs time kept back from the first pass for top-ups: it goes where the interval is widest,
   *   which for a worst-case target beats an even split (an interval narrows like 1/√runs).
   */
  constructor(readonly deadline: number, private readonly now: () => number = Date.now, private readonly reserveMs = 0) {}

  leftMs(): number {
    return Math.max(0, this.deadline - this.now());
  }

  /** Time left for the first pass over the variants. */
  firstPassLeftMs(): number {
    return Math.max(0, this.leftMs() - this.reserveMs);
  }

  /** Records a finished measurement: its wall time and the time its timing loop ran. */
  record(wallMs: number, loopMs: number): void {
    this.overheads.push(Math.max(0, wallMs - loopMs));
  }

  /** Expected time a variant spends outside its loop; before any is known, 40 % of an even share. */
  expectedOverheadMs(remaining: number): number {
    if (this.overheads.length === 0) return (0.4 * this.firstPassLeftMs()) / Math.max(remaining, 1);
    return this.overheads.reduce((a, b) => a + b, 0) / this.overheads.length;
  }

  /**
   * The loop budget of `remaining[0]`: its weighted share of the time left after the others' expected
   * overheads. The baseline counts twice: every speed-up is relative to it.
   */
  loopBudget(remaining: VariantSpec[]): number {
    const weight = (v: VariantSpec) => (v.kind === 'baseline' ? 2 : 1);
    const total = remaining.reduce((a, v) => a + weight(v), 0);
    const loops = this.firstPassLeftMs() - this.expectedOverheadMs(remaining.length) * remaining.length;
    return Math.max(MIN_LOOP_MS, (loops * weight(remaining[0] ?? { id: '', kind: 'opt' })) / Math.max(total, 1));
  }
}

/** Sum of a loop's latencies: the time the loop itself ran, ms. */
export function loopMs(m: VariantMetrics | undefined): number {
  return (m?.latenciesMs ?? []).reduce((a, b) => a + b, 0);
}

/**
 * Index of the measured variant whose median CI is widest above `targetPct`, skipping those in
 * `exclude`, or undefined when every measured variant met the target.
 */
export function widestCi(results: VariantResult[], targetPct: number, exclude: Set<number>): number | undefined {
  let best: number | undefined;
  let width = targetPct;
  for (const [i, r] of results.entries()) {
    const ci = r.metrics?.ciPct;
    if (r.status !== 'measured' || r.cached || exclude.has(i) || ci === undefined || !r.metrics?.latenciesMs) continue;
    if (ci > width) {
      width = ci;
      best = i;
    }
  }
  return best;
}

/**
 * Pools a top-up loop into a variant's metrics: the same model file and session settings measured
 * again later in the run, so both samples come from the variant's latency distribution on this machine
 * and their union is summarised as one sample (percentiles, mean, the median's CI).
 */
export function poolMetrics(a: VariantMetrics, b: VariantMetrics, targetPct: number): VariantMetrics {
  const all = [...(a.latenciesMs ?? []), ...(b.latenciesMs ?? [])];
  const l = summarizeLatencies(all);
  const na = a.repetitions;
  const nb = b.repetitions;
  return {
    ...a,
    p50Ms: l.p50, p95Ms: l.p95, p99Ms: l.p99, meanMs: l.mean, ciPct: l.ciPct, repetitions: l.n,
    warmupRuns: a.warmupRuns + b.warmupRuns,
    throughput: (a.batch * 1000) / l.p50,
    cpuMsPerRun: (a.cpuMsPerRun * na + b.cpuMsPerRun * nb) / Math.max(na + nb, 1),
    peakRssBytes: Math.max(a.peakRssBytes, b.peakRssBytes),
    budgetExhausted: l.ciPct > targetPct,
    latenciesMs: all,
    passes: (a.passes ?? 1) + (b.passes ?? 1),
  };
}
