/**
 * Passes of an interleaved measurement: each pass creates every contestant afresh (new sessions or model
 * instances, a new memory layout), so the pass, not the round, replicates what stays fixed for an
 * instance's life. How many passes a budget affords, and how the passes' logs are merged, split and
 * compared. Pure.
 */
import { combinePasses } from './compare';
import { compareLanes, runsPer, type BlockEstimator, type LaneLog } from './interleave';
import type { RatioInterval } from './types';

/** One lane's log over several passes: the blocks and runs of each, in order. */
export function mergeLogs(logs: LaneLog[]): LaneLog {
  const recorded = logs.reduce((a, l) => a + l.recorded, 0);
  const runTimes = new Float64Array(recorded);
  let at = 0;
  for (const l of logs) {
    runTimes.set(l.runTimes.subarray(0, l.recorded), at);
    at += l.recorded;
  }
  const merged: LaneLog = {
    blockMs: logs.flatMap((l) => l.blockMs),
    blockCpuMs: logs.flatMap((l) => l.blockCpuMs),
    blockJ: logs.flatMap((l) => l.blockJ),
    runs: logs.reduce((a, l) => a + l.runs, 0),
    runTimes,
    recorded,
  };
  if (logs.every((l) => l.blockMedianMs)) merged.blockMedianMs = logs.flatMap((l) => l.blockMedianMs ?? []);
  return merged;
}

/** Rounds a pass needs for an interval of its own that says something (the sign test needs six). */
export const MIN_PASS_ROUNDS = 12;

/**
 * The shortest loop worth a pass, ms: MIN_PASS_ROUNDS rounds, each one block of every contestant, a block
 * lasting at least one run and at least 2 ms (the shortest block target).
 */
export function minPassLoopMs(runMs: number[]): number {
  return MIN_PASS_ROUNDS * runMs.reduce((a, r) => a + Math.max(Number.isFinite(r) ? r : 0, 2), 0);
}

/**
 * Passes worth their loading: as many as creating every session again fits in 60 % of the budget, up to
 * ten, and no more than leave every pass its shortest useful loop (`minLoopMs`, see minPassLoopMs): a pass
 * of a few rounds has no interval and only costs its loading. The pass, not the round, replicates the
 * memory layout, and two sessions of one model can differ by a few percent for their whole life, far more
 * than the rounds of one pass leave uncertain; the combined interval uses a t quantile with passes − 1
 * degrees of freedom (12.7 for two, 4.3 for three, 2.8 for five), so more, shorter passes give narrower
 * honest intervals than longer rounds would. Two passes would make the interval useless, so a third is
 * afforded while three fit (creating them in 80 % of the budget), or the run keeps one pass. One pass
 * when creating sessions or one round is slow against the budget.
 */
export function passCount(budgetMs: number, createMs: number, minLoopMs = 0): number {
  const perPass = createMs + minLoopMs;
  const n = Math.max(
    1,
    Math.min(10, Math.floor((0.6 * budgetMs) / Math.max(createMs, 1)), Math.floor(budgetMs / Math.max(perPass, 1))),
  );
  if (n !== 2) return n;
  return 3 * createMs <= 0.8 * budgetMs && 3 * perPass <= budgetMs ? 3 : 1;
}

/**
 * Creating every session of one pass, ms, from the creations of the first pass in their order. The first
 * session a process creates also starts onnxruntime's environment (several times a later creation on a
 * busy machine), a cost no later pass pays: it is replaced by the mean of the others.
 */
export function passCreateMs(creations: number[], firstInProcess: boolean): number {
  const total = creations.reduce((a, b) => a + b, 0);
  if (!firstInProcess || creations.length < 2) return total;
  const rest = creations.slice(1);
  return (rest.reduce((a, b) => a + b, 0) / rest.length) * creations.length;
}

/** True when another pass fits the time left: creating its sessions and the shortest loop worth running. */
export function anotherPassFits(leftMs: number, createMs: number, contestants: number): boolean {
  return leftMs >= createMs + 100 * contestants;
}

/**
 * Speed-up and energy ratio of a lane against the baseline over several passes: the pooled rounds of all
 * passes, widened by the spread between the passes (combinePasses), with each pass's own speed-up.
 * `base[p]` and `v[p]` are the two lanes' logs of pass p.
 */
export function comparePasses(
  base: LaneLog[],
  baseBatch: number,
  v: LaneLog[],
  vBatch: number,
  o: { granularityMs: number; level: number; cores: number; mode: BlockEstimator },
) {
  const pooled = compareLanes(mergeLogs(base), baseBatch, mergeLogs(v), vBatch, o);
  const none: RatioInterval = { value: NaN, low: 0, high: Infinity };
  const passes = base.map((b, p) => {
    const vp = v[p];
    return vp ? compareLanes(b, baseBatch, vp, vBatch, o) : undefined;
  });
  return {
    speedup: combinePasses(
      pooled.speedup,
      passes.map((p) => p?.speedup ?? none),
      o.level,
    ),
    energyRatio: combinePasses(
      pooled.energyRatio,
      passes.map((p) => p?.energyRatio ?? none),
      o.level,
    ),
    passSpeedups: passes.map((p) => p?.speedup ?? none),
  };
}

/**
 * A lane's log cut into its passes by the pass of each block (`passOf[b]`); the per-run latencies stay
 * with the whole log (a pass's figures come from its blocks). Without tags, the log is one pass.
 */
export function splitPasses(log: LaneLog, passOf: number[] | undefined): LaneLog[] {
  if (!passOf || passOf.length !== log.blockMs.length) return [log];
  const count = Math.max(0, ...passOf) + 1;
  const k = runsPer(log);
  return Array.from({ length: count }, (_, p) => {
    const pick = <T>(xs: T[]) => xs.filter((_, b) => passOf[b] === p);
    const blockMs = pick(log.blockMs);
    const out: LaneLog = {
      blockMs,
      blockCpuMs: pick(log.blockCpuMs),
      blockJ: log.blockJ.length === log.blockMs.length ? pick(log.blockJ) : [],
      runs: k * blockMs.length,
      runTimes: new Float64Array(0),
      recorded: 0,
    };
    if (log.blockMedianMs) out.blockMedianMs = pick(log.blockMedianMs);
    return out;
  }).filter((l) => l.blockMs.length > 0);
}
