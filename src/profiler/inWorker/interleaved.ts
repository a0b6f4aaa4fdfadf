/**
 * The interleaved measurement inside the worker: one session per contestant (the baseline first), each
 * warmed up, then randomized round-robin blocks until the intervals meet the target or the budget ends.
 * The clock's granularity is measured first and sets the shortest block; the machine's load is sampled
 * between rounds. Statistics are computed here, after the loop, from the blocks.
 */
import { cpus } from 'node:os';
import type * as Ort from 'onnxruntime-node';
import type { InterleaveJob, InterleaveOutcome, LaneOutcome, WorkerProgress } from '../protocol';
import { resolutionNote, speedVerdict } from '../compare';
import { batchFeeds } from '../inputs';
import {
  blockTargetMs,
  estimatorFor,
  interleave,
  LEAD_IN_FROM_RUNS,
  measureGranularity,
  sharedRunsPerBlock,
  shuffledOrder,
  summarizeLane,
  systemClock,
  worstIntervalPct,
  type InterleaveResult,
  type Lane,
  type LaneLog,
} from '../interleave';
import { anotherPassFits, comparePasses, mergeLogs, minPassLoopMs, passCount, passCreateMs } from '../passes';
import { seededRandom } from '../../random';
import { LoadMonitor, loadNotes, systemReaders } from '../load';
import { chooseMeter, estimatedReading, measuredReading, type EnergyMeter } from '../meters/index';
import type { EnergyReading, VariantMetrics } from '../types';
import { jobSamples, modelInputs } from './job';
import { warmUp } from './measure';
import { createSession, ort, toFeeds } from './ort';

type Progress = (p: Omit<WorkerProgress, 'type' | 'id'>) => void;

/** A meter that every block can read, or none; the choice is made once per job. */
function blockMeter(job: InterleaveJob): { meter?: EnergyMeter; note?: string } {
  const choice = chooseMeter({ raplRoot: job.raplRoot });
  if (!choice.meter) return choice;
  try {
    choice.meter.begin();
    choice.meter.end();
    return choice;
  } catch (e) {
    return { note: `${choice.meter.name} could not be read: ${(e as Error).message}` };
  }
}

interface Loaded {
  session: Ort.InferenceSession;
  feeds: Record<string, Ort.Tensor>;
  runMs: number;
}

/**
 * A run's duration for sizing blocks: the median of five. The runs per block are sized once, in the first
 * pass, and shared by all contestants; the median, not the fastest, is what a run takes under the load
 * of the moment, so that blocks (and rounds) last about as long as planned on a busy machine instead of
 * several times longer, which would leave too few rounds for an interval.
 */
async function typicalRunMs(session: Ort.InferenceSession, feeds: Record<string, Ort.Tensor>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await session.run(feeds);
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[2] ?? Infinity;
}

/**
 * Loads every contestant's session in a random order, with a random amount of native memory taken between
 * them. Sessions created in a fixed order land in the same relative memory layout every time, and a layout
 * can make one session a few percent faster than an identical one for its whole life; shuffling the layout
 * per pass turns that into spread between passes, which the intervals then include.
 */
async function loadAll(
  job: InterleaveJob,
  progress: Progress,
  o: { warmBudgetMs: number; random: () => number; size: boolean },
): Promise<{ loaded: Loaded[]; padding: ArrayBuffer[]; creations: number[] }> {
  const { random } = o;
  const inputs = modelInputs(job.sourceModelPath, job);
  const loaded: Loaded[] = new Array<Loaded>(job.contestants.length);
  const padding: ArrayBuffer[] = [];
  const creations: number[] = [];
  try {
    for (const i of shuffledOrder(job.contestants.length, random)) {
      const c = job.contestants[i]!;
      progress({ phase: 'loading' });
      padding.push(new ArrayBuffer(64 + Math.floor(random() * 256) * 1024));
      const samples = jobSamples(inputs, { inputs: job.inputs, variant: { batch: c.batch } });
      const t0 = performance.now();
      const session = await createSession(c.modelPath, { threads: c.threads, level: c.level });
      creations.push(performance.now() - t0);
      const feeds = toFeeds(batchFeeds(samples, 0, c.batch));
      progress({ phase: 'warming-up' });
      await warmUp(session, feeds, o.warmBudgetMs);
      loaded[i] = { session, feeds, runMs: o.size ? await typicalRunMs(session, feeds) : NaN };
    }
  } catch (e) {
    await Promise.all(loaded.filter(Boolean).map((l) => l.session.release()));
    throw e;
  }
  return { loaded, padding, creations };
}

function energyOf(
  lane: { blockJ: number[]; blocks: number },
  samples: number,
  meter: EnergyMeter | undefined,
  note: string | undefined,
  p50Ms: number,
  cpuMsPerRun: number,
  batch: number,
): EnergyReading {
  if (meter && lane.blockJ.length === lane.blocks && lane.blocks > 0)
    return measuredReading(
      lane.blockJ.reduce((a, b) => a + b, 0),
      samples,
      meter.name,
      note,
    );
  return estimatedReading(p50Ms / 1000 / batch, cpuMsPerRun / 1000 / batch, note);
}

interface Passes {
  /** Each lane's log over all passes. */
  logs: LaneLog[];
  /** Each pass's logs, lane by lane. */
  perPass: LaneLog[][];
  rounds: number;
  wallMs: number;
  stoppedBy: InterleaveResult['stoppedBy'];
}

function laneOutcomes(
  job: InterleaveJob,
  run: Passes,
  o: { granularityMs: number; level: number; meter?: EnergyMeter; meterNote?: string },
): LaneOutcome[] {
  const base = run.logs[0];
  const baseBatch = job.contestants[0]?.batch ?? 1;
  const mode = estimatorFor(run.logs, o.granularityMs);
  const cores = cpus().length;
  return job.contestants.map((c, i) => {
    const log = run.logs[i];
    if (!log || !base) throw new Error('the interleaved loop lost a contestant');
    const s = summarizeLane(log, o.granularityMs, o.level, mode);
    const metrics: Omit<VariantMetrics, 'loadMs' | 'buildMs' | 'peakRssBytes' | 'fileBytes'> = {
      p50Ms: s.p50,
      p95Ms: s.p95,
      p99Ms: s.p99,
      meanMs: s.mean,
      ciPct: s.ciPct,
      repetitions: s.n,
      warmupRuns: 0,
      throughput: (c.batch * 1000) / s.p50,
      batch: c.batch,
      ...(c.threads !== undefined ? { threads: c.threads } : {}),
      cpuMsPerRun: s.cpuMsPerRun,
      budgetExhausted: run.stoppedBy !== 'target',
      blocks: s.blocks,
      runsPerBlock: log.runs / Math.max(1, s.blocks),
    };
    const out: LaneOutcome = {
      id: c.id,
      metrics,
      energy: energyOf(
        { blockJ: log.blockJ, blocks: s.blocks },
        s.n * c.batch,
        o.meter,
        o.meterNote,
        s.p50,
        s.cpuMsPerRun,
        c.batch,
      ),
    };
    if (i > 0) {
      const opts = { granularityMs: o.granularityMs, level: o.level, cores, mode };
      const pairs = run.perPass.filter((p) => p[0] && p[i]);
      const cmp = comparePasses(
        pairs.map((p) => p[0]!),
        baseBatch,
        pairs.map((p) => p[i]!),
        c.batch,
        opts,
      );
      out.speedup = cmp.speedup;
      out.energyRatio = cmp.energyRatio;
      out.verdict = speedVerdict(out.speedup);
      if (pairs.length > 1) out.passSpeedups = cmp.passSpeedups;
      const note = resolutionNote(out.speedup, run.wallMs);
      if (note) out.resolution = note;
    }
    return out;
  });
}

/** Sessions, block sizes and the interleaved rounds of one pass; the sessions are released after it. */
async function onePass(
  job: InterleaveJob,
  progress: Progress,
  o: {
    random: () => number;
    warmMs: number;
    budgetOf: (creations: number[], loadMs: number, runMs: number[]) => number;
    graceMs: () => number;
    runs?: number[];
    target?: number;
    granularityMs: number;
    meter?: EnergyMeter;
    monitor: LoadMonitor;
    t0: number;
  },
) {
  const loadStart = performance.now();
  const { loaded, padding, creations } = await loadAll(job, progress, {
    warmBudgetMs: o.warmMs,
    random: o.random,
    size: o.runs === undefined,
  });
  const budgetMs = o.budgetOf(
    creations,
    performance.now() - loadStart,
    loaded.map((l) => l.runMs),
  );
  try {
    const target = o.target ?? blockTargetMs(budgetMs, loaded.length, o.granularityMs);
    const shared = sharedRunsPerBlock(
      loaded.map((l) => l.runMs),
      target,
      o.granularityMs,
    );
    const runs = o.runs ?? loaded.map(() => shared);
    const lanes: Lane[] = job.contestants.map((c, i) => {
      const l = loaded[i]!;
      const k = runs[i] ?? 1;
      return {
        run: () => l.session.run(l.feeds),
        runs: k,
        batch: c.batch,
        leadIn: k >= LEAD_IN_FROM_RUNS,
        ...(o.meter ? { meter: o.meter } : {}),
      };
    });
    progress({ phase: 'measuring', repetitions: 0 });
    const run = await interleave(lanes, {
      budgetMs,
      targetPct: job.targetCiPct ?? 2,
      clock: systemClock,
      random: o.random,
      graceMs: Math.max(3 * budgetMs, o.graceMs()),
      worstPct: (logs) =>
        worstIntervalPct(
          logs,
          lanes.map((l) => l.batch),
          o.granularityMs,
        ),
      between: (rounds, worst) => {
        o.monitor.sample(performance.now() - o.t0);
        if (worst !== undefined) progress({ phase: 'measuring', repetitions: rounds, ciPct: worst });
      },
    });
    return { run, runs, target, padding: padding.length, creations };
  } finally {
    await Promise.all(loaded.map((l) => l.session.release()));
  }
}

/**
 * Runs an interleaved job in passes: each loads fresh sessions of every contestant, so that a speed
 * difference tied to one session's memory layout shows up as a difference between passes and widens the
 * intervals instead of passing for a real effect. Throws for errors (the worker answers with them).
 */
export async function runInterleaved(job: InterleaveJob, progress: Progress): Promise<InterleaveOutcome> {
  const started = performance.now();
  const n = job.contestants.length;
  ort();
  const { granularityMs } = measureGranularity(() => performance.now());
  const { meter, note: meterNote } = blockMeter(job);
  const monitor = new LoadMonitor(systemReaders(cpus().length));
  const t0 = performance.now();
  monitor.sample(0);
  const results: InterleaveResult[] = [];
  const random = seededRandom(job.seed ?? 1);
  let passes = 1;
  let sizing: { runs?: number[]; target?: number } = {};
  let createMs = 0;
  let decided = false;
  const left = () => job.budgetMs - (performance.now() - started);
  for (let p = 0; p < passes; p++) {
    // A later pass starts only while creating its sessions and a short loop still fit: the budget bounds the passes.
    if (p > 0 && !anotherPassFits(left(), createMs, n)) break;
    // Loading the first pass tells how many passes are worth it; each pass then gets its share of the time left.
    const budgetOf = (creations: number[], loadMs: number, runMs: number[]) => {
      if (p === 0) {
        passes = passCount(Math.max(0, left()), passCreateMs(creations, true), minPassLoopMs(runMs));
        decided = true;
      }
      return Math.max(100 * n, (Math.max(200 * n, left()) - loadMs * (passes - p - 1)) / (passes - p));
    };
    // Every message of a pass says which pass it is, and how many there are once the first pass decided it.
    const passProgress: Progress = (x) => progress({ ...x, pass: p + 1, ...(p > 0 || decided ? { passes } : {}) });
    // On a starved machine loading can take most of a pass's share: the loop may then run on for eight
    // rounds (an interval) up to half the pass's share of the whole budget, so the run ends within 1.5 budgets.
    const graceMs = () => job.budgetMs / passes / 2;
    const pass = await onePass(job, passProgress, {
      random,
      warmMs: (0.05 * Math.max(200 * n, left())) / n / 3,
      budgetOf,
      graceMs,
      granularityMs,
      monitor,
      t0,
      ...sizing,
      ...(meter ? { meter } : {}),
    });
    sizing = { runs: pass.runs, target: pass.target };
    createMs = passCreateMs(pass.creations, p === 0);
    results.push(pass.run);
  }
  const load = monitor.report();
  const level = load?.rose ? 0.99 : 0.95;
  const run: Passes = {
    logs: job.contestants.map((_, i) => mergeLogs(results.map((r) => r.logs[i]!))),
    perPass: results.map((r) => r.logs),
    rounds: results.reduce((a, r) => a + r.rounds, 0),
    wallMs: results.reduce((a, r) => a + r.wallMs, 0),
    stoppedBy: results.every((r) => r.stoppedBy === 'target') ? 'target' : 'budget',
  };
  const notes = loadNotes(load, cpus().length);
  if (results.length > 1)
    notes.push(
      `Measured in ${results.length} passes, each with freshly loaded sessions; the intervals include the spread between passes.`,
    );
  else
    notes.push(
      "Measured in one pass: loading the sessions again would have cost too much of the budget, so a difference tied to one session's memory layout cannot be told from a real one.",
    );
  return {
    lanes: laneOutcomes(job, run, {
      granularityMs,
      level,
      ...(meter ? { meter } : {}),
      ...(meterNote ? { meterNote } : {}),
    }),
    measurement: {
      method: 'interleaved',
      rounds: run.rounds,
      blockTargetMs: sizing.target ?? 0,
      clockGranularityUs: granularityMs * 1000,
      level,
      wallMs: run.wallMs,
      passes: results.length,
      ...(load ? { load } : {}),
      notes,
    },
  };
}
