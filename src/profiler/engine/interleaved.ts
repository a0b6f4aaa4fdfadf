/**
 * The interleaved measurement inside the worker: one session per contestant (the baseline first), each
 * warmed up, then randomized round-robin blocks until the intervals meet the target or the budget ends.
 * The clock's granularity is measured first and sets the shortest block; the machine's load is sampled
 * between rounds. Statistics are computed here, after the loop, from the blocks.
 */
import { cpus } from 'node:os';
import type * as Ort from 'onnxruntime-node';
import type { InterleaveJob, InterleaveOutcome, LaneOutcome, WorkerProgress } from '../../protocol';
import { speedVerdict, resolutionNote } from '../compare';
import { batchFeeds } from '../inputs';
import {
  blockTargetMs, compareLanes, interleave, measureGranularity, runsPerBlock, seededRandom, summarizeLane, systemClock,
  worstIntervalPct, type InterleaveResult, type Lane,
} from '../interleave';
import { LoadMonitor, loadNotes, systemReaders } from '../load';
import { chooseMeter, estimatedReading, measuredReading, type EnergyMeter } from '../meters/index';
import type { EnergyReading, VariantMetrics } from '../types';
import { jobSamples, modelInputs } from './job';
import { warmUp } from './measure';
import { createSession, toFeeds } from './ort';

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

async function loadAll(job: InterleaveJob, progress: Progress, warmBudgetMs: number): Promise<Loaded[]> {
  const inputs = modelInputs(job.sourceModelPath, job);
  const loaded: Loaded[] = [];
  try {
    for (const c of job.contestants) {
      progress({ phase: 'loading' });
      const samples = jobSamples(inputs, { inputs: job.inputs, variant: { batch: c.batch } });
      const session = await createSession(c.modelPath, { threads: c.threads, level: c.level });
      const feeds = toFeeds(batchFeeds(samples, 0, c.batch));
      progress({ phase: 'warming-up' });
      const warm = await warmUp(session, feeds, warmBudgetMs);
      loaded.push({ session, feeds, runMs: warm.lastMs });
    }
  } catch (e) {
    await Promise.all(loaded.map((l) => l.session.release()));
    throw e;
  }
  return loaded;
}

function energyOf(lane: { blockJ: number[]; blocks: number }, samples: number, meter: EnergyMeter | undefined, note: string | undefined, p50Ms: number, cpuMsPerRun: number, batch: number): EnergyReading {
  if (meter && lane.blockJ.length === lane.blocks && lane.blocks > 0) return measuredReading(lane.blockJ.reduce((a, b) => a + b, 0), samples, meter.name, note);
  return estimatedReading(p50Ms / 1000 / batch, cpuMsPerRun / 1000 / batch, note);
}

function laneOutcomes(job: InterleaveJob, run: InterleaveResult, o: { granularityMs: number; level: number; meter?: EnergyMeter; meterNote?: string; budgetMs: number }): LaneOutcome[] {
  const base = run.logs[0];
  const baseBatch = job.contestants[0]?.batch ?? 1;
  return job.contestants.map((c, i) => {
    const log = run.logs[i];
    if (!log || !base) throw new Error('the interleaved loop lost a contestant');
    const s = summarizeLane(log, o.granularityMs, o.level);
    const metrics: Omit<VariantMetrics, 'loadMs' | 'buildMs' | 'peakRssBytes' | 'fileBytes'> = {
      p50Ms: s.p50, p95Ms: s.p95, p99Ms: s.p99, meanMs: s.mean, ciPct: s.ciPct, repetitions: s.n, warmupRuns: 0,
      throughput: (c.batch * 1000) / s.p50, batch: c.batch, ...(c.threads !== undefined ? { threads: c.threads } : {}),
      cpuMsPerRun: s.cpuMsPerRun, budgetExhausted: run.stoppedBy !== 'target', blocks: s.blocks, runsPerBlock: log.runs / Math.max(1, s.blocks),
    };
    const out: LaneOutcome = { id: c.id, metrics, energy: energyOf({ blockJ: log.blockJ, blocks: s.blocks }, s.n * c.batch, o.meter, o.meterNote, s.p50, s.cpuMsPerRun, c.batch) };
    if (i > 0) {
      const cmp = compareLanes(base, baseBatch, log, c.batch, { granularityMs: o.granularityMs, level: o.level, cores: cpus().length });
      out.speedup = cmp.speedup;
      out.energyRatio = cmp.energyRatio;
      out.verdict = speedVerdict(cmp.speedup);
      const note = resolutionNote(cmp.speedup, run.wallMs);
      if (note) out.resolution = note;
    }
    return out;
  });
}

/** Runs an interleaved job; throws for errors (the worker turns them into error answers). */
export async function runInterleaved(job: InterleaveJob, progress: Progress): Promise<InterleaveOutcome> {
  const started = performance.now();
  const n = job.contestants.length;
  const loaded = await loadAll(job, progress, (0.05 * job.budgetMs) / Math.max(1, n));
  try {
    const { granularityMs } = measureGranularity(() => performance.now());
    const loopBudget = Math.max(200 * n, job.budgetMs - (performance.now() - started));
    const target = blockTargetMs(loopBudget, n, granularityMs);
    const { meter, note: meterNote } = blockMeter(job);
    const lanes: Lane[] = job.contestants.map((c, i) => {
      const l = loaded[i]!;
      return { run: () => l.session.run(l.feeds), runs: runsPerBlock(l.runMs, target), batch: c.batch, ...(meter ? { meter } : {}) };
    });
    const monitor = new LoadMonitor(systemReaders(cpus().length));
    const t0 = performance.now();
    monitor.sample(0);
    progress({ phase: 'measuring', repetitions: 0 });
    const run = await interleave(lanes, {
      budgetMs: loopBudget, targetPct: job.targetCiPct ?? 2, clock: systemClock, random: seededRandom(job.seed ?? 1),
      worstPct: (logs) => worstIntervalPct(logs, lanes.map((l) => l.batch), granularityMs),
      between: (rounds, worst) => {
        monitor.sample(performance.now() - t0);
        if (worst !== undefined) progress({ phase: 'measuring', repetitions: rounds, ciPct: worst });
      },
    });
    const load = monitor.report();
    const level = load?.rose ? 0.99 : 0.95;
    return {
      lanes: laneOutcomes(job, run, { granularityMs, level, ...(meter ? { meter } : {}), ...(meterNote ? { meterNote } : {}), budgetMs: loopBudget }),
      measurement: {
        method: 'interleaved', rounds: run.rounds, blockTargetMs: target, clockGranularityUs: granularityMs * 1000, level, wallMs: run.wallMs,
        ...(load ? { load } : {}), notes: loadNotes(load, cpus().length),
      },
    };
  } finally {
    await Promise.all(loaded.map((l) => l.session.release()));
  }
}
