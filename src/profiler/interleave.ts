/**
 * Interleaved measurement: every contestant (the baseline and its variants) runs in blocks of several
 * runs, and each round times one block of every contestant in a fresh random order, all inside the same
 * time window. Slow drift in load, clock frequency or temperature then hits every contestant alike
 * (Google Benchmark's random interleaving; a paired design). Blocks are long against the clock's
 * granularity, and the bookkeeping (statistics, progress, load samples) runs between rounds, never inside
 * a timed block. Pure: the clock and the runs are passed in, so tests drive it with fakes.
 */
import { ratioHalfWidthPct, ratioInterval } from './compare';
import { medianCi, quantileSorted, sortedCopy, type LatencySummary } from './stats';

/** What the loop reads: wall time and the process's CPU time, both in ms. */
export interface Clock {
  now(): number;
  cpuMs(): number;
}

/** performance.now() and process.cpuUsage(). */
export const systemClock: Clock = {
  now: () => performance.now(),
  cpuMs: () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  },
};

/** A block's granularity must be at most this share of the block. */
export const GRANULARITY_SHARE = 0.01;

/**
 * The clock's granularity: the smallest positive step between successive readings (which is at least
 * the cost of one reading), over `calls` readings or until 50 distinct steps were seen; and the mean cost
 * of one reading. A clock that never advanced reports its granularity as Infinity.
 */
export function measureGranularity(now: () => number, calls = 20_000): { granularityMs: number; callMs: number } {
  let min = Infinity;
  let steps = 0;
  const t0 = now();
  let prev = t0;
  let i = 0;
  for (; i < calls && steps < 50; i++) {
    const t = now();
    if (t > prev) {
      min = Math.min(min, t - prev);
      steps++;
    }
    prev = t;
  }
  return { granularityMs: min, callMs: i > 0 ? (prev - t0) / i : 0 };
}

/** A random permutation of 0..n-1 (Fisher–Yates). */
export function shuffledOrder(n: number, random: () => number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] ?? j, order[i] ?? i];
  }
  return order;
}

/**
 * Duration to aim for per block: about 60 rounds in the loop budget, between 2 and 50 ms, and never
 * shorter than 1 / GRANULARITY_SHARE granularity steps.
 */
export function blockTargetMs(loopBudgetMs: number, contestants: number, granularityMs: number): number {
  const spread = Math.min(50, Math.max(2, loopBudgetMs / Math.max(1, contestants) / 60));
  return Math.max(spread, Number.isFinite(granularityMs) ? granularityMs / GRANULARITY_SHARE : spread);
}

/** Runs per block for a run of `runMs`: enough to fill the target, at least one. */
export function runsPerBlock(runMs: number, targetMs: number): number {
  return Math.max(1, Math.ceil(targetMs / Math.max(runMs, 1e-6)));
}

/**
 * One count of runs per block for every lane, so that every lane is treated alike: the same number of
 * per-block costs (the first run after another lane's block, the clock and meter readings around it) is
 * spread over the same number of runs, and a block's mean carries the same share of them. Counts sized
 * per lane from each lane's own quick timing differ by tens of percent between two sessions of one model
 * on a busy machine, and where blocks are summarized by their mean that difference alone moves the
 * per-run figure by far more than the intervals allow. The count fills `targetMs` per block on average
 * over a round (so the rounds keep their length) and never leaves the fastest lane's block under
 * 1 / GRANULARITY_SHARE clock steps.
 */
export function sharedRunsPerBlock(runMs: number[], targetMs: number, granularityMs: number): number {
  const runs = runMs.map((r) => Math.max(r, 1e-6));
  if (runs.length === 0) return 1;
  const meanRun = runs.reduce((a, b) => a + b, 0) / runs.length;
  const floorMs = Number.isFinite(granularityMs) ? granularityMs / GRANULARITY_SHARE : 0;
  return Math.max(runsPerBlock(meanRun, targetMs), Math.ceil(floorMs / Math.min(...runs)));
}

/** Blocks of at least this many runs start with an untimed lead-in run (it costs at most a quarter more wall time). */
export const LEAD_IN_FROM_RUNS = 4;

/** One contestant: a run to repeat, how many runs a block has, and an optional energy meter read per block. */
export interface Lane {
  run: () => Promise<unknown> | unknown;
  runs: number;
  /** Samples per run (the batch), so that per-sample figures compare across batch sizes. */
  batch: number;
  meter?: { begin(): void; end(): number };
  /**
   * One untimed run before each block: the first run after another contestant's block finds the caches
   * holding that one's weights, a cost the contestant with fewer runs per block would pay more often.
   */
  leadIn?: boolean;
}

/** What was timed for one lane; index r of every block array is round r. */
export interface LaneLog {
  blockMs: number[];
  blockCpuMs: number[];
  /** Joules per block when a meter was read. */
  blockJ: number[];
  runs: number;
  /** Per-run latencies in run order, up to their capacity (for percentiles). */
  runTimes: Float64Array;
  recorded: number;
  /** Median run time of each block, ms, when computed elsewhere (the PyTorch harness sends them). */
  blockMedianMs?: number[];
}

/** At most this many per-run latencies are kept per lane (8 MB of float64). */
const MAX_RUN_TIMES = 1 << 20;

function newLog(): LaneLog {
  return { blockMs: [], blockCpuMs: [], blockJ: [], runs: 0, runTimes: new Float64Array(4096), recorded: 0 };
}

/** Times one block: the meter and CPU time are read outside the timed runs; one clock reading per run. */
async function timeBlock(lane: Lane, clock: Clock, log: LaneLog): Promise<void> {
  if (log.recorded + lane.runs > log.runTimes.length && log.runTimes.length < MAX_RUN_TIMES) {
    const grown = new Float64Array(
      Math.min(MAX_RUN_TIMES, Math.max(log.runTimes.length * 2, log.recorded + lane.runs)),
    );
    grown.set(log.runTimes.subarray(0, log.recorded));
    log.runTimes = grown;
  }
  if (lane.leadIn) await lane.run();
  const cpu0 = clock.cpuMs();
  lane.meter?.begin();
  const t0 = clock.now();
  let last = t0;
  const times = log.runTimes;
  let at = log.recorded;
  for (let k = 0; k < lane.runs; k++) {
    await lane.run();
    const t = clock.now();
    if (at < times.length) times[at++] = t - last;
    last = t;
  }
  const joules = lane.meter?.end();
  log.blockCpuMs.push(clock.cpuMs() - cpu0);
  log.blockMs.push(last - t0);
  if (joules !== undefined) log.blockJ.push(joules);
  log.recorded = at;
  log.runs += lane.runs;
}

/** Settings of an interleaved loop. */
export interface InterleaveOptions {
  budgetMs: number;
  /** Stop once the worst interval (see `worstPct`) is at most this, percent. */
  targetPct: number;
  clock: Clock;
  random: () => number;
  /** Fewest rounds before stopping for the target (default 12). */
  minRounds?: number;
  maxRounds?: number;
  /** How long past the budget the loop may run to reach 8 rounds, ms (default: three budgets). */
  graceMs?: number;
  /** The widest interval over the lanes so far, percent; called between rounds at growing intervals. */
  worstPct: (logs: LaneLog[]) => number;
  /** Called between rounds (load samples, progress); never inside a timed block. */
  between?: (rounds: number, worstPct: number | undefined) => void;
}

/** The outcome of an interleaved loop. */
export interface InterleaveResult {
  logs: LaneLog[];
  rounds: number;
  /** Wall time of the loop, bookkeeping included, ms. */
  wallMs: number;
  stoppedBy: 'target' | 'budget' | 'max-rounds';
}

/**
 * Rounds of one block per lane in a random order, until the worst interval meets the target (after the
 * minimum rounds) or the budget ends. At least 8 rounds are run even past the budget, since fewer give
 * no 99 % interval, unless the grace time (three budgets unless set) has passed too.
 */
export async function interleave(lanes: Lane[], o: InterleaveOptions): Promise<InterleaveResult> {
  const logs = lanes.map(newLog);
  const minRounds = o.minRounds ?? 12;
  const t0 = o.clock.now();
  let rounds = 0;
  let nextCheck = minRounds;
  for (;;) {
    for (const i of shuffledOrder(lanes.length, o.random)) {
      const lane = lanes[i];
      const log = logs[i];
      if (lane && log) await timeBlock(lane, o.clock, log);
    }
    rounds++;
    let worst: number | undefined;
    if (rounds >= nextCheck) {
      worst = o.worstPct(logs);
      nextCheck = rounds + Math.max(2, Math.floor(rounds / 10));
    }
    o.between?.(rounds, worst);
    const elapsed = o.clock.now() - t0;
    const result = (stoppedBy: InterleaveResult['stoppedBy']): InterleaveResult => ({
      logs,
      rounds,
      wallMs: elapsed,
      stoppedBy,
    });
    if (worst !== undefined && worst <= o.targetPct) return result('target');
    if (rounds >= (o.maxRounds ?? Infinity)) return result('max-rounds');
    if (elapsed >= o.budgetMs && (rounds >= 8 || elapsed >= o.budgetMs + (o.graceMs ?? 3 * o.budgetMs)))
      return result('budget');
  }
}

/**
 * What one block says about a run: the median of its runs where every run is long against the clock
 * (robust to a preemption that hits one run of the block, the estimator BenchmarkTools argues for), or
 * the block's mean where runs are too short for the clock and only the block as a whole is resolved.
 */
export type BlockEstimator = 'median' | 'mean';

export function runsPer(log: LaneLog): number {
  return log.blockMs.length > 0 ? log.runs / log.blockMs.length : 1;
}

function medianOf(values: ArrayLike<number>): number {
  return quantileSorted(sortedCopy(values), 0.5);
}

/** The median estimator where the typical run of every lane lasts at least 1 / GRANULARITY_SHARE clock steps. */
export function estimatorFor(logs: LaneLog[], granularityMs: number): BlockEstimator {
  if (!Number.isFinite(granularityMs)) return 'mean';
  const ok = logs.every((log) => {
    const typical = log.blockMedianMs
      ? medianOf(log.blockMedianMs)
      : log.recorded >= log.runs
        ? medianOf(log.runTimes.subarray(0, log.recorded))
        : NaN;
    return typical >= granularityMs / GRANULARITY_SHARE;
  });
  return ok ? 'median' : 'mean';
}

/** The per-run figure of every block under `mode`. */
export function blockFigures(log: LaneLog, mode: BlockEstimator): number[] {
  const k = runsPer(log);
  if (mode === 'median') {
    if (log.blockMedianMs && log.blockMedianMs.length === log.blockMs.length) return log.blockMedianMs;
    if (log.recorded >= log.runs) return log.blockMs.map((_, b) => medianOf(log.runTimes.subarray(b * k, (b + 1) * k)));
  }
  return log.blockMs.map((ms) => ms / k);
}

/** Relative resolution of a lane's figures: the clock's granularity against a typical run (median) or block (mean). */
export function resolutionOf(log: LaneLog, granularityMs: number, mode: BlockEstimator = 'mean'): number {
  if (!Number.isFinite(granularityMs) || log.blockMs.length === 0) return 0;
  const unit = mode === 'median' ? medianOf(blockFigures(log, 'median')) : medianOf(log.blockMs);
  return granularityMs / Math.max(unit, 1e-9);
}

/** Latency summary of a lane from its blocks (interval) and its runs (percentiles). */
export interface LaneSummary extends LatencySummary {
  /** Half-width of the interval of the median block figure, percent, never under the clock's resolution. */
  ciPct: number;
  blocks: number;
  cpuMsPerRun: number;
}

/** Half-width of the interval of a lane's median block figure, percent, floored at the clock's resolution. */
export function laneCiPct(
  log: LaneLog,
  granularityMs: number,
  level = 0.95,
  mode = estimatorFor([log], granularityMs),
): number {
  const ci = medianCi(sortedCopy(blockFigures(log, mode)), level);
  return Math.max(ci.halfWidthPct, resolutionOf(log, granularityMs, mode) * 100);
}

/** Summarises one lane; the interval comes from the blocks, which are independent rounds, not from runs inside one. */
export function summarizeLane(
  log: LaneLog,
  granularityMs: number,
  level = 0.95,
  mode = estimatorFor([log], granularityMs),
): LaneSummary {
  const runs = sortedCopy(log.runTimes.subarray(0, log.recorded));
  const total = log.blockMs.reduce((a, b) => a + b, 0);
  const cpu = log.blockCpuMs.reduce((a, b) => a + b, 0);
  return {
    p50: quantileSorted(runs, 0.5),
    p95: quantileSorted(runs, 0.95),
    p99: quantileSorted(runs, 0.99),
    mean: log.runs > 0 ? total / log.runs : NaN,
    ciPct: laneCiPct(log, granularityMs, level, mode),
    n: log.runs,
    blocks: log.blockMs.length,
    cpuMsPerRun: log.runs > 0 ? cpu / log.runs : NaN,
  };
}

/**
 * Energy weight of each block per sample: metered joules when every block was metered, otherwise the CPU
 * time the estimator charges (capped at wall time × cores, as the estimator caps its share).
 */
export function blockEnergy(log: LaneLog, batch: number, cores: number): { values: number[]; metered: boolean } {
  const k = runsPer(log);
  const metered = log.blockJ.length === log.blockMs.length && log.blockJ.length > 0;
  const values = log.blockMs.map(
    (ms, r) => (metered ? (log.blockJ[r] ?? NaN) : Math.min(log.blockCpuMs[r] ?? NaN, ms * cores)) / k / batch,
  );
  return { values, metered };
}

/** Speed-up and energy ratio of lane `v` against the baseline lane, from the rounds both ran. */
export function compareLanes(
  base: LaneLog,
  baseBatch: number,
  v: LaneLog,
  vBatch: number,
  o: { granularityMs: number; level: number; cores: number; mode?: BlockEstimator },
) {
  const mode = o.mode ?? estimatorFor([base, v], o.granularityMs);
  const perSample = (log: LaneLog, batch: number) => blockFigures(log, mode).map((x) => x / batch);
  const floor = resolutionOf(base, o.granularityMs, mode) + resolutionOf(v, o.granularityMs, mode);
  const speedup = ratioInterval(perSample(base, baseBatch), perSample(v, vBatch), o.level, floor);
  const eb = blockEnergy(base, baseBatch, o.cores);
  const ev = blockEnergy(v, vBatch, o.cores);
  const energyRatio = ratioInterval(
    ev.values,
    eb.values,
    o.level,
    resolutionOf(base, o.granularityMs) + resolutionOf(v, o.granularityMs),
  );
  return { speedup, energyRatio, metered: eb.metered && ev.metered, mode };
}

/** The widest interval over lanes (latency) and comparisons with lane 0 (speed-up), percent. */
export function worstIntervalPct(logs: LaneLog[], batches: number[], granularityMs: number, level = 0.95): number {
  const base = logs[0];
  if (!base) return Infinity;
  const mode = estimatorFor(logs, granularityMs);
  let worst = 0;
  for (const [i, log] of logs.entries()) {
    worst = Math.max(worst, laneCiPct(log, granularityMs, level, mode));
    if (i > 0)
      worst = Math.max(
        worst,
        ratioHalfWidthPct(
          compareLanes(base, batches[0] ?? 1, log, batches[i] ?? 1, { granularityMs, level, cores: 1, mode }).speedup,
        ),
      );
  }
  return worst;
}
