/**
 * The second step of a profile run: one worker measures every prepared variant together with the
 * baseline, in randomized round-robin blocks (see inWorker/interleaved.ts), in the time the budget has
 * left. Its lanes are merged into the prepared results; when it fails, every variant it measured is marked.
 */
import type { Contestant, InterleaveJob, InterleaveOutcome } from './protocol';
import { ProfilerJobError } from './runner';
import { DEFAULT_BUDGET_MS, failed, jobOptions, pinned, wasCancelled, type RunState } from './runState';
import type { MeasurementInfo, VariantResult, VariantSpec } from './types';

type Chosen = { index: number; c: Contestant }[];

/** The contestants of the interleaved measurement: the baseline first (measured again when it came from the cache). */
function contestants(s: RunState, variants: VariantSpec[], results: VariantResult[]): Chosen {
  const batchOf = (v: VariantSpec) => v.batch ?? s.opts.inputs?.batch ?? 1;
  const of = (i: number, v: VariantSpec, modelPath: string): { index: number; c: Contestant } => ({
    index: i,
    c: {
      id: v.id,
      modelPath,
      batch: batchOf(v),
      ...(v.threads !== undefined ? { threads: v.threads } : {}),
      ...(v.kind === 'opt' || v.level ? { level: v.level } : {}),
    },
  });
  const others = [...s.pending.entries()]
    .filter(([i]) => variants[i]?.kind !== 'baseline')
    .map(([i, p]) => of(i, p.spec, results[i]?.modelPath ?? s.opts.modelPath));
  const bi = variants.findIndex((v) => v.kind === 'baseline');
  const base = variants[bi];
  if (!base || results[bi]?.status !== 'measured' || (others.length === 0 && !s.pending.has(bi))) return [];
  return [of(bi, pinned(s, base), s.opts.modelPath), ...others];
}

/** Merges the interleaved figures into the prepared results. */
function applyLanes(s: RunState, results: VariantResult[], chosen: Chosen, out: InterleaveOutcome): void {
  for (const [k, { index }] of chosen.entries()) {
    const lane = out.lanes[k];
    const r = results[index];
    if (!lane || !r) continue;
    const prepared = s.pending.get(index)?.prepared ?? {
      loadMs: r.metrics?.loadMs ?? 0,
      buildMs: r.metrics?.buildMs ?? 0,
      fileBytes: r.metrics?.fileBytes ?? 0,
      peakRssBytes: r.metrics?.peakRssBytes ?? 0,
    };
    r.metrics = { ...prepared, ...lane.metrics };
    r.energy = lane.energy;
    if (k === 0) {
      r.speedup = { value: 1, low: 1, high: 1 };
      r.cached = undefined;
      delete r.cached;
    } else {
      if (lane.speedup) r.speedup = lane.speedup;
      if (lane.energyRatio) r.energyRatio = lane.energyRatio;
      if (lane.verdict) r.verdict = lane.verdict;
      if (lane.resolution) r.resolution = lane.resolution;
      if (lane.passSpeedups) r.passSpeedups = lane.passSpeedups;
    }
  }
}

/** A note when loading the sessions took more than a quarter of the budget, which then overruns. */
function slowLoadNote(s: RunState, loadMs: number, variants: number): string | undefined {
  const budget = s.opts.budgetMs ?? DEFAULT_BUDGET_MS;
  if (loadMs <= budget / 4) return undefined;
  const took = (Date.now() - (s.schedule.deadline - budget)) / 1000;
  return `Loading this model's sessions took ${(loadMs / 1000).toFixed(1)} s for the ${variants} variants measured; each is loaded once to be checked and once per pass to be timed, so the run took ${took.toFixed(0)} s against a budget of ${(budget / 1000).toFixed(0)} s.`;
}

/** Marks every variant of a failed interleaved measurement, keeping the notes of its preparation. */
function markFailed(variants: VariantSpec[], results: VariantResult[], chosen: Chosen, e: unknown): void {
  const status = wasCancelled(e) ? 'cancelled' : 'error';
  for (const { index } of chosen) {
    const v = variants[index];
    if (v)
      results[index] = {
        ...failed(v, status, `The interleaved measurement failed: ${(e as Error).message}`),
        notes: results[index]?.notes ?? [],
      };
  }
}

/** One interleaved measurement of every prepared variant with the baseline; failures mark the variants. */
export async function measureInterleaved(
  s: RunState,
  variants: VariantSpec[],
  results: VariantResult[],
): Promise<MeasurementInfo | undefined> {
  const chosen = contestants(s, variants, results);
  if (chosen.length === 0) return undefined;
  const loadMs = chosen.reduce((a, { index }) => a + (s.pending.get(index)?.prepared.loadMs ?? 0), 0);
  const budgetMs = s.schedule.interleaveBudgetMs(chosen.length, loadMs);
  const job: InterleaveJob = {
    sourceModelPath: s.opts.modelPath,
    contestants: chosen.map((x) => x.c),
    inputs: s.opts.inputs ?? {},
    budgetMs,
    targetCiPct: s.opts.targetCiPct,
    seed: s.opts.inputs?.seed ?? 1,
    raplRoot: s.opts.raplRoot,
  };
  try {
    const answer = await s.runner.request({ type: 'interleave', job }, jobOptions(s, 'interleaved', budgetMs));
    if (answer.type === 'error') throw new ProfilerJobError(answer.message, 'failed');
    if (answer.type !== 'interleaved') throw new ProfilerJobError(`unexpected answer ${answer.type}`, 'failed');
    applyLanes(s, results, chosen, answer.outcome);
    const m = answer.outcome.measurement;
    const note = slowLoadNote(s, loadMs, chosen.length);
    if (note) m.notes.push(note);
    return m;
  } catch (e) {
    markFailed(variants, results, chosen, e);
    return undefined;
  }
}
