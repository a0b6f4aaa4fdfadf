/**
 * Profiles a model: the fp32 baseline first, then each variant in its own worker process, one at a time,
 * with progress events, cancellation, per-variant errors that never stop the run, and a result cache.
 */
import { statSync } from 'node:fs';
import * as path from 'node:path';
import type { MeasureJob, MeasureOutcome } from '../protocol';
import { compareOutputs, labelAccuracy, type OutputSample } from './accuracy';
import { ResultCache, cacheKey, hashFile, machineFingerprint } from './cache';
import { ProfilerJobError, ProfilerRunner, type WorkerSpec } from './runner';
import { DEFAULT_VARIANTS, parseVariantList, variantLabel } from './variants/spec';
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
  /** Wall-clock end of the run's timing budget (ms since the epoch). */
  deadline: number;
  baseline?: { result: VariantResult; outputs?: OutputSample; labels?: number[] };
  inputs?: ProfileResult['inputs'];
}

function keyOf(s: RunState, v: VariantSpec): string {
  const settings = { inputs: s.opts.inputs ?? {}, budget: s.opts.budgetMs ?? 60_000, ci: s.opts.targetCiPct ?? 2 };
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

/**
 * The timing-loop budget of the next variant: its share of what is left, so that time a variant did not
 * need (it reached the confidence target early, or it did not apply) goes to the ones after it. The
 * baseline counts twice: every speed-up is relative to it. About 40 % is kept for building, loading,
 * warm-up and the accuracy pass.
 */
function loopBudget(s: RunState, remaining: VariantSpec[]): number {
  const weight = (v: VariantSpec) => (v.kind === 'baseline' ? 2 : 1);
  const total = remaining.reduce((a, v) => a + weight(v), 0);
  const left = Math.max(0, s.deadline - Date.now());
  return Math.max(200, (left * 0.6 * weight(remaining[0] ?? { id: '', kind: 'opt' })) / Math.max(total, 1));
}

async function measureOne(s: RunState, v: VariantSpec, budgetMs: number): Promise<VariantResult> {
  const key = keyOf(s, v);
  const cached = s.cache?.get(key);
  const cachedOutputs = v.kind === 'baseline' ? s.cache?.getOutputs(key) : undefined;
  if (cached && (v.kind !== 'baseline' || cachedOutputs)) {
    if (v.kind === 'baseline') s.baseline = { result: cached, outputs: cachedOutputs };
    return { ...cached, cached: true };
  }
  const job: MeasureJob = {
    modelPath: s.opts.modelPath, variant: v, storageDir: s.opts.storageDir, inputs: s.opts.inputs ?? {},
    budgetMs, targetCiPct: s.opts.targetCiPct, collectOutputs: true, raplRoot: s.opts.raplRoot,
  };
  const outcome = await s.runner.measure(job, {
    signal: s.opts.signal,
    timeoutMs: s.opts.variantTimeoutMs ?? budgetMs * 4 + 120_000,
    onProgress: (p) => s.opts.onProgress?.({ type: 'variant-phase', id: v.id, phase: p.phase, repetitions: p.repetitions, ciPct: p.ciPct }),
  });
  if (outcome.inputsDescription) s.inputs = { source: outcome.inputSource ?? 'random', description: outcome.inputsDescription, labelled: Boolean(outcome.labels) };
  const result = resultOf(v, outcome, s);
  if (v.kind === 'baseline') s.baseline = { result, outputs: outcome.outputs, labels: outcome.labels };
  if (s.cache) {
    s.cache.put(key, result);
    if (v.kind === 'baseline' && outcome.outputs) s.cache.putOutputs(key, outcome.outputs);
  }
  return result;
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
    sha: await hashFile(opts.modelPath), machine: machineFingerprint(), deadline: started + budgetMs,
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
      r = await measureOne(s, v, loopBudget(s, variants.slice(index)));
    } catch (e) {
      const cancelled = e instanceof ProfilerJobError && (e.reason === 'cancelled' || e.reason === 'superseded');
      r = failed(v, cancelled ? 'cancelled' : 'error', (e as Error).message);
    }
    results.push(r);
    opts.onProgress?.({ type: 'variant-finished', index, total: variants.length, result: r });
  }
  s.runner.dispose();
  const result: ProfileResult = {
    modelPath: path.resolve(opts.modelPath), modelSha256: s.sha, modelBytes: statSync(opts.modelPath).size,
    startedAt: new Date(started).toISOString(), durationMs: Date.now() - started, machine: s.machine,
    inputs: s.inputs ?? { source: opts.inputs?.datasetDir ? 'dataset' : 'random', description: 'not read', labelled: false },
    budgetMs, variants: results,
  };
  opts.onProgress?.({ type: 'run-finished', result });
  return result;
}
