/**
 * Profiles a model: the fp32 baseline first, then each variant in its own worker process, one at a time,
 * with progress events, cancellation, per-variant errors that never stop the run, and a result cache.
 */
import { statSync } from 'node:fs';
import * as path from 'node:path';
import type { MeasureJob, MeasureOutcome } from '../protocol';
import { compareOutputs, labelAccuracy, type OutputSample } from './accuracy';
import { ResultCache, cacheKey, hashFile, machineFingerprint } from './cache';
import { ProfilerJobError, ProfilerRunner, type RunOptions, type WorkerSpec } from './runner';
import { DEFAULT_VARIANTS, parseVariantList, variantLabel } from './variants/spec';
import { loopMs, poolMetrics, Schedule, widestCi } from './schedule';
import { resolveThreads, type ThreadChoice, type ThreadSetting } from './threads';
import type { InputOptions, MachineFingerprint, ProfileProgress, ProfileResult, VariantResult, VariantSpec } from './types';

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
  /** Wall-clock budget of the whole run, ms (default 60 s); split evenly over the variants' timing loops. */
  budgetMs?: number;
  /** Target half-width of the median's 95 % confidence interval, percent (default 2). */
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
  /** The run's time budget: loop shares, observed overheads, the deadline. */
  schedule: Schedule;
  baseline?: { result: VariantResult; outputs?: OutputSample; labels?: number[] };
  inputs?: ProfileResult['inputs'];
  /** The thread count pinned for every variant; a cached baseline's count wins so that speed-ups compare like with like. */
  threads: ThreadChoice;
}

/** Share of the budget kept back from the first pass for topping up the widest intervals. */
const TOP_UP_RESERVE = 0.2;

/** The spec a worker measures: the run's pinned thread count unless the variant sets its own. */
function pinned(s: RunState, v: VariantSpec): VariantSpec {
  return v.threads !== undefined || s.threads.threads === undefined ? v : { ...v, threads: s.threads.threads };
}

function keyOf(s: RunState, v: VariantSpec): string {
  // The thread setting, not the count it resolved to: a re-run under another load still hits the cache,
  // and the cached baseline's count is then adopted (see adoptBaselineThreads).
  const settings = { inputs: s.opts.inputs ?? {}, budget: s.opts.budgetMs ?? 60_000, ci: s.opts.targetCiPct ?? 2, threads: s.opts.threads ?? 'auto' };
  return cacheKey({ modelSha256: s.sha, variant: v, settings, machine: s.machine });
}

function resultOf(v: VariantSpec, o: MeasureOutcome, s: RunState): VariantResult {
  const r: VariantResult = { id: v.id, kind: v.kind, label: variantLabel(v), status: o.status, notes: o.notes, ...(o.reason ? { reason: o.reason } : {}) };
  if (o.gpuOriented) r.gpuOriented = true;
  if (o.metrics) r.metrics = o.metrics;
  if (o.energy) r.energy = o.energy;
  if (o.modelPath) r.modelPath = o.modelPath;
  const base = s.baseline;
  if (o.outputs && v.kind === 'baseline') {
    const acc = labelAccuracy(o.outputs, o.labels);
    r.accuracy = { samples: o.outputs.samples, output: o.outputs.name, maxAbsError: 0, meanAbsError: 0, cosineSimilarity: 1, ...(acc !== undefined ? { accuracy: acc, baselineAccuracy: acc } : {}) };
  } else if (o.outputs && base?.outputs) {
    try {
      r.accuracy = compareOutputs(base.outputs, o.outputs, o.labels ?? base.labels);
    } catch (e) {
      r.notes = [...r.notes, `Accuracy not compared: ${(e as Error).message}`];
    }
  }
  const bm = base?.result.metrics;
  if (r.metrics && bm) r.speedup = (bm.p50Ms / bm.batch) / (r.metrics.p50Ms / r.metrics.batch);
  return r;
}

async function measureOne(s: RunState, v: VariantSpec, budgetMs: number): Promise<VariantResult> {
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
    modelPath: s.opts.modelPath, variant: pinned(s, v), storageDir: s.opts.storageDir, inputs: s.opts.inputs ?? {},
    budgetMs, targetCiPct: s.opts.targetCiPct, collectOutputs: true, raplRoot: s.opts.raplRoot,
  };
  const t0 = Date.now();
  const outcome = await s.runner.measure(job, jobOptions(s, v, budgetMs));
  s.schedule.record(Date.now() - t0, loopMs(outcome.metrics));
  if (outcome.inputsDescription) s.inputs = { source: outcome.inputSource ?? 'random', description: outcome.inputsDescription, labelled: Boolean(outcome.labels) };
  const result = resultOf(v, outcome, s);
  if (v.kind === 'baseline') s.baseline = { result, outputs: outcome.outputs, labels: outcome.labels };
  if (s.cache) {
    s.cache.put(key, publicResult(result));
    if (v.kind === 'baseline' && outcome.outputs) s.cache.putOutputs(key, outcome.outputs);
  }
  return result;
}

function jobOptions(s: RunState, v: VariantSpec, budgetMs: number): RunOptions {
  return {
    signal: s.opts.signal,
    timeoutMs: s.opts.variantTimeoutMs ?? budgetMs * 4 + 120_000,
    onProgress: (p) => s.opts.onProgress?.({ type: 'variant-phase', id: v.id, phase: p.phase, repetitions: p.repetitions, ciPct: p.ciPct }),
  };
}

/** A result without the per-run latencies that only the host's pooling needs. */
function publicResult(r: VariantResult): VariantResult {
  if (!r.metrics?.latenciesMs) return r;
  const { latenciesMs: _dropped, ...metrics } = r.metrics;
  return { ...r, metrics };
}

/**
 * Spends the time left after every variant ran on the variant whose median CI is widest above the
 * target: its model file is measured again in a fresh worker (no rebuild, no accuracy pass) and the new
 * runs are pooled with the first ones. Each variant is topped up at most twice.
 */
async function topUp(s: RunState, variants: VariantSpec[], results: VariantResult[]): Promise<void> {
  const target = s.opts.targetCiPct ?? 2;
  const tries = new Map<number, number>();
  const done = new Set<number>();
  for (;;) {
    const i = widestCi(results, target, done);
    const r = i === undefined ? undefined : results[i];
    const v = i === undefined ? undefined : variants[i];
    // A top-up pays for a worker, a session and a warm-up: about half a full variant's overhead. The time
    // left is shared among the intervals still too wide (at most three), widest first.
    const wide = results.filter((x, k) => !done.has(k) && x.status === 'measured' && !x.cached && (x.metrics?.ciPct ?? 0) > target).length;
    const cost = s.schedule.expectedOverheadMs(1) / 2;
    const budget = (s.schedule.leftMs() - cost * Math.min(Math.max(wide, 1), 3)) / Math.min(Math.max(wide, 1), 3);
    if (i === undefined || !r?.metrics || !r.modelPath || !v || budget < 1000 || s.opts.signal?.aborted) return;
    tries.set(i, (tries.get(i) ?? 0) + 1);
    if ((tries.get(i) ?? 0) >= 2) done.add(i);
    const job: MeasureJob = {
      modelPath: r.modelPath, variant: { ...pinned(s, v), kind: 'baseline' }, storageDir: s.opts.storageDir, inputs: s.opts.inputs ?? {},
      budgetMs: budget, targetCiPct: s.opts.targetCiPct, collectOutputs: false, raplRoot: s.opts.raplRoot,
    };
    try {
      const more = await s.runner.measure(job, jobOptions(s, v, budget));
      if (more.metrics) r.metrics = poolMetrics(r.metrics, more.metrics, target);
    } catch {
      // The first measurement stands; a failed top-up is not the variant's failure.
      done.add(i);
    }
  }
}

/** Speed-ups against the final baseline figures (a top-up may have changed either side). */
function refreshSpeedups(results: VariantResult[]): void {
  const bm = results.find((r) => r.kind === 'baseline')?.metrics;
  if (!bm) return;
  for (const r of results) if (r.metrics) r.speedup = (bm.p50Ms / bm.batch) / (r.metrics.p50Ms / r.metrics.batch);
}

/** Later variants run at the thread count the (cached) baseline was measured with. */
function adoptBaselineThreads(s: RunState, base: VariantResult): void {
  const t = base.metrics?.threads;
  if (t === s.threads.threads) return;
  s.threads = t === undefined
    ? { reason: "onnxruntime's default thread count, as the cached baseline was measured" }
    : { threads: t, reason: `${t} intra-op thread${t === 1 ? '' : 's'}, as the cached baseline was measured` };
}

function failed(v: VariantSpec, status: 'error' | 'cancelled', reason: string): VariantResult {
  return { id: v.id, kind: v.kind, label: variantLabel(v), status, reason, notes: [] };
}

/** Profiles `opts.modelPath`; resolves with every variant's result (errors included) unless cancelled before starting. */
export async function profileModel(opts: ProfileOptions): Promise<ProfileResult> {
  const started = Date.now();
  const variants = typeof opts.variants === 'string' || opts.variants === undefined ? parseVariantList(opts.variants ?? DEFAULT_VARIANTS) : opts.variants;
  const budgetMs = opts.budgetMs ?? 60_000;
  const s: RunState = {
    opts, runner: new ProfilerRunner(opts.worker), cache: opts.cacheDir ? new ResultCache(opts.cacheDir) : undefined,
    sha: await hashFile(opts.modelPath), machine: machineFingerprint(), schedule: new Schedule(started + budgetMs, Date.now, TOP_UP_RESERVE * budgetMs),
    threads: await resolveThreads(opts.threads),
  };
  const results: VariantResult[] = [];
  opts.onProgress?.({ type: 'run-started', total: variants.length, variants: variants.map((v) => v.id) });
  for (const [index, v] of variants.entries()) {
    if (opts.signal?.aborted) {
      results.push(failed(v, 'cancelled', 'Profiling was cancelled.'));
      continue;
    }
    opts.onProgress?.({ type: 'variant-started', index, total: variants.length, id: v.id, label: variantLabel(v) });
    let r: VariantResult;
    try {
      r = await measureOne(s, v, s.schedule.loopBudget(variants.slice(index)));
    } catch (e) {
      const cancelled = e instanceof ProfilerJobError && (e.reason === 'cancelled' || e.reason === 'superseded');
      r = failed(v, cancelled ? 'cancelled' : 'error', (e as Error).message);
    }
    results.push(r);
    opts.onProgress?.({ type: 'variant-finished', index, total: variants.length, result: publicResult(r) });
  }
  await topUp(s, variants, results);
  s.runner.dispose();
  refreshSpeedups(results);
  const final = results.map(publicResult);
  for (const [i, r] of final.entries()) {
    const v = variants[i];
    if (v && (r.metrics?.passes ?? 1) > 1) s.cache?.put(keyOf(s, v), r);
  }
  const result: ProfileResult = {
    modelPath: path.resolve(opts.modelPath), modelSha256: s.sha, modelBytes: statSync(opts.modelPath).size,
    startedAt: new Date(started).toISOString(), durationMs: Date.now() - started, machine: s.machine,
    inputs: s.inputs ?? { source: opts.inputs?.datasetDir ? 'dataset' : 'random', description: 'not read', labelled: false },
    budgetMs, variants: final, threads: { ...(s.threads.threads !== undefined ? { count: s.threads.threads } : {}), reason: s.threads.reason },
  };
  opts.onProgress?.({ type: 'run-finished', result });
  return result;
}
