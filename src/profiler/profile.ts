/**
 * Profiles a model in two steps. First each variant is prepared in its own worker process, one at a
 * time: built, loaded, checked and its outputs compared with the baseline's. Then one worker measures
 * all of them together, the baseline included, in randomized round-robin blocks, so that changes in the
 * machine's load hit every variant alike and each speed-up comes with an interval from paired blocks.
 * Progress events, cancellation, per-variant errors that never stop the run, and a result cache.
 */
import { statSync } from 'node:fs';
import * as path from 'node:path';
import type { Contestant, InterleaveJob, InterleaveOutcome, MeasureJob, MeasureOutcome } from './protocol';
import { compareOutputs, labelAccuracy, type OutputSample } from './accuracy';
import { ResultCache, cacheKey, hashFile, machineFingerprint, type CacheEntryMeta } from './cache';
import { ProfilerJobError, ProfilerRunner, type RunOptions, type WorkerSpec } from './runner';
import { DEFAULT_VARIANTS, parseVariantList, variantLabel } from './variants/spec';
import { heavyLoadWarning } from './load';
import { Schedule } from './schedule';
import { resolveThreads, type ThreadChoice, type ThreadSetting } from './threads';
import type {
  InputOptions,
  MachineFingerprint,
  MeasurementInfo,
  ProfileProgress,
  ProfileResult,
  VariantResult,
  VariantSpec,
} from './types';

/** Everything a profile run needs; only modelPath and storageDir are required. */
export interface ProfileOptions {
  modelPath: string;
  /** Where variant models are written (the extension's global storage); never the model's folder. */
  storageDir: string;
  /** Where results are cached; no caching when absent. */
  cacheDir?: string;
  /** Specs as a list or a comma-separated string (see VARIANT_FORMS); the baseline is always added. */
  variants?: VariantSpec[] | string;
  inputs?: InputOptions;
  /** Wall-clock budget of the whole run, ms (default 60 s); what preparing the variants leaves goes to the interleaved measurement. */
  budgetMs?: number;
  /** The measurement stops early once every latency and speed-up interval is within ± this, percent (default 2). */
  targetCiPct?: number;
  /**
   * Intra-op threads of every variant (a `threads:n` variant keeps its own): `auto` (default) pins the
   * cores that are free when the run starts (by the load now and over the last minute), a number pins
   * that many, `default` leaves onnxruntime's.
   */
  threads?: ThreadSetting;
  signal?: AbortSignal;
  onProgress?: (p: ProfileProgress) => void;
  /** Longest one variant may take, building and loading included (default: 4 × its share + 2 min). */
  variantTimeoutMs?: number;
  worker?: WorkerSpec;
  raplRoot?: string;
}

interface RunState {
  opts: ProfileOptions;
  runner: ProfilerRunner;
  cache?: ResultCache;
  sha: string;
  machine: MachineFingerprint;
  /** The run's time budget and deadline. */
  schedule: Schedule;
  baseline?: { result: VariantResult; outputs?: OutputSample; labels?: number[] };
  inputs?: ProfileResult['inputs'];
  /** The thread count pinned for every variant; a cached baseline's count wins so that speed-ups compare like with like. */
  threads: ThreadChoice;
  /** Prepared variants waiting for the interleaved measurement, by index into the run's variants. */
  pending: Map<number, { spec: VariantSpec; prepared: NonNullable<MeasureOutcome['prepared']> }>;
}

/** The measurement method is part of every cache key: results of an older method are not reused. */
const METHOD = 'interleaved-1';

/** The spec a worker measures: the run's pinned thread count unless the variant sets its own. */
function pinned(s: RunState, v: VariantSpec): VariantSpec {
  return v.threads !== undefined || s.threads.threads === undefined ? v : { ...v, threads: s.threads.threads };
}

function keySettings(s: RunState): Record<string, unknown> {
  // The thread setting, not the count it resolved to: a re-run under another load still hits the cache,
  // and the cached baseline's count is then adopted (see adoptBaselineThreads).
  return {
    inputs: s.opts.inputs ?? {},
    budget: s.opts.budgetMs ?? 60_000,
    ci: s.opts.targetCiPct ?? 2,
    threads: s.opts.threads ?? 'auto',
    method: METHOD,
  };
}

function keyOf(s: RunState, v: VariantSpec): string {
  return cacheKey({ modelSha256: s.sha, variant: v, settings: keySettings(s), machine: s.machine });
}

/** The description stored beside a result, so that it can be found by model and machine alone. */
function metaOf(s: RunState, v: VariantSpec): CacheEntryMeta {
  return {
    modelSha256: s.sha,
    variantId: v.id,
    variantKind: v.kind,
    machine: s.machine,
    settings: keySettings(s),
    writtenAt: new Date().toISOString(),
  };
}

function resultOf(v: VariantSpec, o: MeasureOutcome, s: RunState): VariantResult {
  const r: VariantResult = {
    id: v.id,
    kind: v.kind,
    label: variantLabel(v),
    status: o.status,
    notes: o.notes,
    ...(o.reason ? { reason: o.reason } : {}),
  };
  if (o.gpuOriented) r.gpuOriented = true;
  if (o.metrics) r.metrics = o.metrics;
  if (o.energy) r.energy = o.energy;
  if (o.modelPath) r.modelPath = o.modelPath;
  const base = s.baseline;
  if (o.outputs && v.kind === 'baseline') {
    const acc = labelAccuracy(o.outputs, o.labels);
    r.accuracy = {
      samples: o.outputs.samples,
      output: o.outputs.name,
      maxAbsError: 0,
      meanAbsError: 0,
      cosineSimilarity: 1,
      ...(acc !== undefined ? { accuracy: acc, baselineAccuracy: acc } : {}),
    };
  } else if (o.outputs && base?.outputs) {
    try {
      r.accuracy = compareOutputs(base.outputs, o.outputs, o.labels ?? base.labels);
    } catch (e) {
      r.notes = [...r.notes, `Accuracy not compared: ${(e as Error).message}`];
    }
  }
  return r;
}

/** A cached result, or the variant prepared in its own worker and queued for the interleaved measurement. */
async function prepareOne(s: RunState, v: VariantSpec, index: number): Promise<VariantResult> {
  const key = keyOf(s, v);
  const cached = s.cache?.get(key);
  const cachedOutputs = v.kind === 'baseline' ? s.cache?.getOutputs(key) : undefined;
  if (cached && (v.kind !== 'baseline' || cachedOutputs)) {
    if (v.kind === 'baseline') {
      s.baseline = { result: cached, outputs: cachedOutputs };
      adoptBaselineThreads(s, cached);
    }
    return { ...cached, cached: true };
  }
  const job: MeasureJob = {
    modelPath: s.opts.modelPath,
    variant: pinned(s, v),
    storageDir: s.opts.storageDir,
    inputs: s.opts.inputs ?? {},
    budgetMs: 0,
    targetCiPct: s.opts.targetCiPct,
    collectOutputs: true,
    raplRoot: s.opts.raplRoot,
    timing: false,
  };
  const outcome = await s.runner.measure(job, jobOptions(s, v.id, 60_000));
  if (outcome.inputsDescription)
    s.inputs = {
      source: outcome.inputSource ?? 'random',
      description: outcome.inputsDescription,
      labelled: Boolean(outcome.labels),
    };
  const result = resultOf(v, outcome, s);
  if (v.kind === 'baseline') {
    s.baseline = { result, outputs: outcome.outputs, labels: outcome.labels };
    if (s.cache && outcome.outputs) s.cache.putOutputs(key, outcome.outputs);
  }
  if (outcome.status === 'measured' && outcome.prepared)
    s.pending.set(index, { spec: pinned(s, v), prepared: outcome.prepared });
  return result;
}

function jobOptions(s: RunState, id: string, budgetMs: number): RunOptions {
  return {
    signal: s.opts.signal,
    timeoutMs: s.opts.variantTimeoutMs ?? budgetMs * 4 + 120_000,
    onProgress: (p) =>
      s.opts.onProgress?.({
        type: 'variant-phase',
        id,
        phase: p.phase,
        repetitions: p.repetitions,
        ciPct: p.ciPct,
        ...(p.pass !== undefined ? { pass: p.pass } : {}),
        ...(p.passes !== undefined ? { passes: p.passes } : {}),
      }),
  };
}

/** The contestants of the interleaved measurement: the baseline first (measured again when it came from the cache). */
function contestants(
  s: RunState,
  variants: VariantSpec[],
  results: VariantResult[],
): { index: number; c: Contestant }[] {
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
function applyLanes(
  s: RunState,
  results: VariantResult[],
  chosen: { index: number; c: Contestant }[],
  out: InterleaveOutcome,
): void {
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

/** One interleaved measurement of every prepared variant with the baseline; failures mark the variants. */
async function measureInterleaved(
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
    const budget = s.opts.budgetMs ?? 60_000;
    if (loadMs > budget / 4) {
      const took = (Date.now() - (s.schedule.deadline - budget)) / 1000;
      m.notes.push(
        `Loading this model's sessions took ${(loadMs / 1000).toFixed(1)} s for the ${chosen.length} variants measured; each is loaded once to be checked and once per pass to be timed, so the run took ${took.toFixed(0)} s against a budget of ${(budget / 1000).toFixed(0)} s.`,
      );
    }
    return m;
  } catch (e) {
    const cancelled = e instanceof ProfilerJobError && (e.reason === 'cancelled' || e.reason === 'superseded');
    for (const { index } of chosen) {
      const v = variants[index];
      if (v)
        results[index] = {
          ...failed(
            v,
            cancelled ? 'cancelled' : 'error',
            `The interleaved measurement failed: ${(e as Error).message}`,
          ),
          notes: results[index]?.notes ?? [],
        };
    }
    return undefined;
  }
}

/** Later variants run at the thread count the (cached) baseline was measured with. */
function adoptBaselineThreads(s: RunState, base: VariantResult): void {
  const t = base.metrics?.threads;
  if (t === s.threads.threads) return;
  s.threads =
    t === undefined
      ? { reason: "onnxruntime's default thread count, as the cached baseline was measured" }
      : { threads: t, reason: `${t} intra-op thread${t === 1 ? '' : 's'}, as the cached baseline was measured` };
}

function failed(v: VariantSpec, status: 'error' | 'cancelled', reason: string): VariantResult {
  return { id: v.id, kind: v.kind, label: variantLabel(v), status, reason, notes: [] };
}

/** Prepares every variant in turn (cache hits skip it), with progress; errors never stop the run. */
async function prepareAll(s: RunState, variants: VariantSpec[]): Promise<VariantResult[]> {
  const results: VariantResult[] = [];
  for (const [index, v] of variants.entries()) {
    if (s.opts.signal?.aborted) {
      results.push(failed(v, 'cancelled', 'Profiling was cancelled.'));
      continue;
    }
    s.opts.onProgress?.({ type: 'variant-started', index, total: variants.length, id: v.id, label: variantLabel(v) });
    try {
      results.push(await prepareOne(s, v, index));
    } catch (e) {
      const cancelled = e instanceof ProfilerJobError && (e.reason === 'cancelled' || e.reason === 'superseded');
      results.push(failed(v, cancelled ? 'cancelled' : 'error', (e as Error).message));
    }
  }
  return results;
}

/** Profiles `opts.modelPath`; resolves with every variant's result (errors included) unless cancelled before starting. */
export async function profileModel(opts: ProfileOptions): Promise<ProfileResult> {
  const started = Date.now();
  const variants =
    typeof opts.variants === 'string' || opts.variants === undefined
      ? parseVariantList(opts.variants ?? DEFAULT_VARIANTS)
      : opts.variants;
  const budgetMs = opts.budgetMs ?? 60_000;
  const threads = await resolveThreads(opts.threads);
  const s: RunState = {
    opts,
    runner: new ProfilerRunner(opts.worker),
    cache: opts.cacheDir ? new ResultCache(opts.cacheDir) : undefined,
    sha: await hashFile(opts.modelPath),
    machine: machineFingerprint(),
    schedule: new Schedule(started + budgetMs, Date.now),
    threads,
    pending: new Map(),
  };
  const warning = threads.busy !== undefined ? heavyLoadWarning(threads.busy, s.machine.cores) : undefined;
  opts.onProgress?.({
    type: 'run-started',
    total: variants.length,
    variants: variants.map((v) => v.id),
    ...(warning ? { warning } : {}),
  });
  const results = await prepareAll(s, variants);
  const measurement = opts.signal?.aborted ? undefined : await measureInterleaved(s, variants, results);
  s.runner.dispose();
  for (const [i, r] of results.entries()) {
    const v = variants[i];
    if (v && s.pending.has(i) && r.status === 'measured' && r.metrics) s.cache?.put(keyOf(s, v), r, metaOf(s, v));
    if (r.status === 'measured' && !r.metrics)
      results[i] = {
        ...failed(
          v ?? { id: r.id, kind: r.kind },
          'error',
          'The variant was prepared but not timed: the baseline it is compared with could not be measured.',
        ),
        notes: r.notes,
      };
    opts.onProgress?.({ type: 'variant-finished', index: i, total: variants.length, result: results[i] ?? r });
  }
  if (measurement && warning) measurement.notes.unshift(warning);
  const result: ProfileResult = {
    modelPath: path.resolve(opts.modelPath),
    modelSha256: s.sha,
    modelBytes: statSync(opts.modelPath).size,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    machine: s.machine,
    inputs: s.inputs ?? {
      source: opts.inputs?.datasetDir ? 'dataset' : 'random',
      description: 'not read',
      labelled: false,
    },
    budgetMs,
    variants: results,
    threads: { ...(s.threads.threads !== undefined ? { count: s.threads.threads } : {}), reason: s.threads.reason },
    ...(measurement ? { measurement } : {}),
  };
  opts.onProgress?.({ type: 'run-finished', result });
  return result;
}
