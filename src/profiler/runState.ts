/**
 * The state one profile run carries from preparing the variants to measuring them together, and the small
 * rules every step applies to it: the thread count a variant is pinned to, the cache key and description
 * of a result, the options of a worker job, and the result of a variant that failed.
 */
import type { MeasureOutcome } from './protocol';
import type { OutputSample } from './accuracy';
import { ProfilerJobError, type ProfilerRunner, type RunOptions, type WorkerSpec } from './runner';
import { cacheKey, type CacheEntryMeta, type ResultCache } from './cache';
import { variantLabel } from './variants/spec';
import type { Schedule } from './schedule';
import type { ThreadChoice, ThreadSetting } from './threads';
import type {
  InputOptions,
  MachineFingerprint,
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
   * cores that are free when the run starts (by a 250 ms sample of the CPU time counters), a number pins
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

export interface RunState {
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

/** The budget of a run that sets none, ms. */
export const DEFAULT_BUDGET_MS = 60_000;

/** The measurement method is part of every cache key: results of an older method are not reused. */
const METHOD = 'interleaved-1';

/** The spec a worker measures: the run's pinned thread count unless the variant sets its own. */
export function pinned(s: RunState, v: VariantSpec): VariantSpec {
  return v.threads !== undefined || s.threads.threads === undefined ? v : { ...v, threads: s.threads.threads };
}

function keySettings(s: RunState): Record<string, unknown> {
  // The thread setting, not the count it resolved to: a re-run under another load still hits the cache,
  // and the cached baseline's count is then adopted (see adoptBaselineThreads).
  return {
    inputs: s.opts.inputs ?? {},
    budget: s.opts.budgetMs ?? DEFAULT_BUDGET_MS,
    ci: s.opts.targetCiPct ?? 2,
    threads: s.opts.threads ?? 'auto',
    method: METHOD,
  };
}

export function keyOf(s: RunState, v: VariantSpec): string {
  return cacheKey({ modelSha256: s.sha, variant: v, settings: keySettings(s), machine: s.machine });
}

/** The description stored beside a result, so that it can be found by model and machine alone. */
export function metaOf(s: RunState, v: VariantSpec): CacheEntryMeta {
  return {
    modelSha256: s.sha,
    variantId: v.id,
    variantKind: v.kind,
    machine: s.machine,
    settings: keySettings(s),
    writtenAt: new Date().toISOString(),
  };
}

/** Later variants run at the thread count the (cached) baseline was measured with. */
export function adoptBaselineThreads(s: RunState, base: VariantResult): void {
  const t = base.metrics?.threads;
  if (t === s.threads.threads) return;
  s.threads =
    t === undefined
      ? { reason: "onnxruntime's default thread count, as the cached baseline was measured" }
      : { threads: t, reason: `${t} intra-op thread${t === 1 ? '' : 's'}, as the cached baseline was measured` };
}

/** The options of one worker job: the run's signal, a timeout from the job's budget, progress under `id`. */
export function jobOptions(s: RunState, id: string, budgetMs: number): RunOptions {
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

export function failed(v: VariantSpec, status: 'error' | 'cancelled', reason: string): VariantResult {
  return { id: v.id, kind: v.kind, label: variantLabel(v), status, reason, notes: [] };
}

/** Whether a job ended because the run was cancelled or replaced, rather than because it failed. */
export function wasCancelled(e: unknown): boolean {
  return e instanceof ProfilerJobError && (e.reason === 'cancelled' || e.reason === 'superseded');
}
