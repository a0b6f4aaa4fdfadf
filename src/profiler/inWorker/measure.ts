/**
 * The measurement loop: warm-up, then repetitions until the 95 % confidence interval of the median is
 * within the target or the budget ends; and the pass over the accuracy samples whose outputs the host
 * compares with the baseline's.
 */
import type * as Ort from 'onnxruntime-node';
import { batchFeeds, type SampleSet } from '../inputs';
import { medianCi, sortedCopy, summarizeLatencies, type LatencySummary } from '../stats';
import { floatData, toFeeds } from './ort';

/** Settings of the timing loop. */
export interface LoopSettings {
  budgetMs: number;
  /** Stop once the median's 95 % CI half-width is at most this, in percent (default 2). */
  targetCiPct?: number;
  minRepetitions?: number;
  /** Stop after this many repetitions whatever the interval (benchmarks of the harness itself). */
  maxRepetitions?: number;
  /** Skip the warm-up (default false): for a session that has just been timed, as benchmarks of the harness do. */
  skipWarmUp?: boolean;
  onProgress?: (repetitions: number, ciPct: number) => void;
}

/** What the loop measured. */
export interface LoopResult {
  latency: LatencySummary;
  /** Per-run latencies in run order, ms (warm-up excluded). */
  times: Float64Array;
  warmupRuns: number;
  cpuMsPerRun: number;
  wallMs: number;
  budgetExhausted: boolean;
}

/**
 * Warm-up: at least 3 runs and until two consecutive runs differ by under 10 % or 10 % of the budget is
 * spent, because the first runs pay for memory allocation and lazy kernel set-up.
 */
export async function warmUp(
  session: Ort.InferenceSession,
  feeds: Record<string, Ort.Tensor>,
  budgetMs: number,
): Promise<{ runs: number; lastMs: number }> {
  const t0 = performance.now();
  let prev = Infinity;
  let runs = 0;
  for (;;) {
    const s = performance.now();
    await session.run(feeds);
    const d = performance.now() - s;
    runs++;
    const settled = Math.abs(d - prev) < 0.1 * Math.min(d, prev);
    if (runs >= 3 && (settled || performance.now() - t0 > 0.1 * budgetMs)) return { runs, lastMs: d };
    prev = d;
  }
}

/**
 * Fewest timed runs before the loop may stop: 10, and up to 30 when they fit in a fifth of the budget.
 * Stopping as soon as the interval first looks narrow favours a short calm spell of the machine; a
 * larger first sample makes that less likely.
 */
function defaultMinRepetitions(budgetMs: number, runMs: number): number {
  return Math.max(10, Math.min(30, Math.floor((0.2 * budgetMs) / Math.max(runMs, 1e-3))));
}

/** Times session.run on fixed feeds; the per-run cost of the harness is one performance.now() call. */
export async function timeSession(
  session: Ort.InferenceSession,
  feeds: Record<string, Ort.Tensor>,
  s: LoopSettings,
): Promise<LoopResult> {
  const warm = s.skipWarmUp ? { runs: 0, lastMs: Infinity } : await warmUp(session, feeds, s.budgetMs);
  const warmupRuns = warm.runs;
  const target = s.targetCiPct ?? 2;
  const minReps = s.minRepetitions ?? defaultMinRepetitions(s.budgetMs, warm.lastMs);
  let times = new Float64Array(1024);
  let n = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let last = t0;
  let nextCheck = minReps;
  let ci = Infinity;
  let exhausted = false;
  let bookkeepingMs = 0;
  let bookkeepingCpuUs = 0;
  for (;;) {
    await session.run(feeds);
    const now = performance.now();
    if (n === times.length) times = Float64Array.from({ length: n * 2 }, (_, i) => times[i] ?? 0);
    times[n++] = now - last;
    last = now;
    if (n >= nextCheck) {
      // Checking costs a sort, so check at growing intervals: about 5 % of the runs so far. Its wall and
      // CPU time are kept out of the samples: the next sample starts after it.
      const c0 = process.cpuUsage();
      ci = medianCi(sortedCopy(times.subarray(0, n))).halfWidthPct;
      s.onProgress?.(n, ci);
      nextCheck = n + Math.max(5, Math.floor(n / 20));
      const c = process.cpuUsage(c0);
      bookkeepingCpuUs += c.user + c.system;
      if (ci <= target) break;
      const after = performance.now();
      bookkeepingMs += after - now;
      last = after;
    }
    if (n >= (s.maxRepetitions ?? Infinity)) break;
    if (now - t0 - bookkeepingMs >= s.budgetMs) {
      exhausted = n < minReps || ci > target;
      break;
    }
  }
  const cpu = process.cpuUsage(cpu0);
  const cpuUs = Math.max(0, cpu.user + cpu.system - bookkeepingCpuUs);
  return {
    latency: summarizeLatencies(times.subarray(0, n)),
    times: times.slice(0, n),
    warmupRuns,
    cpuMsPerRun: cpuUs / 1000 / n,
    wallMs: last - t0 - bookkeepingMs,
    budgetExhausted: exhausted,
  };
}

/** The first output over all accuracy samples, flattened per sample. */
export interface CollectedOutput {
  name: string;
  /** Dims of one sample's output (the batch axis removed). */
  sampleDims: number[];
  samples: number;
  data: Float32Array;
}

/** At most this many output values are sent back to the host (64 MB of float32). */
const MAX_OUTPUT_VALUES = 16 * 1024 * 1024;

/** Runs every accuracy sample in chunks of `chunk` and keeps the first output. */
export async function collectOutputs(
  session: Ort.InferenceSession,
  samples: SampleSet,
  chunk: number,
): Promise<CollectedOutput | undefined> {
  const name = session.outputNames[0];
  if (!name) return undefined;
  const parts: Float32Array[] = [];
  let total = 0;
  let done = 0;
  let sampleDims: number[] = [];
  for (let start = 0; start < samples.count && total < MAX_OUTPUT_VALUES; start += chunk) {
    const count = Math.min(chunk, samples.count - start);
    const out = await session.run(toFeeds(batchFeeds(samples, start, count)), [name]);
    const t = out[name];
    const v = t ? floatData(t) : undefined;
    if (!t || !v) return undefined;
    // Outputs whose first axis is not the batch (a fixed-size state) are compared as one sample.
    sampleDims = t.dims[0] === count ? t.dims.slice(1).map(Number) : t.dims.map(Number);
    parts.push(v);
    total += v.length;
    done += t.dims[0] === count ? count : 1;
  }
  const data = new Float32Array(total);
  let o = 0;
  for (const p of parts) {
    data.set(p, o);
    o += p.length;
  }
  return { name, sampleDims, samples: done, data };
}
