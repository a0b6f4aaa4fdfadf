/**
 * Profiles a model in two steps. First each variant is prepared in its own worker process, one at a
 * time: built, loaded, checked and its outputs compared with the baseline's (prepare.ts). Then one worker
 * measures all of them together, the baseline included, in randomized round-robin blocks, so that changes
 * in the machine's load hit every variant alike and each speed-up comes with an interval from paired
 * blocks (measureTogether.ts). Progress events, cancellation, per-variant errors that never stop the run,
 * and a result cache.
 */
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { ResultCache, hashFile, machineFingerprint } from './cache';
import { ProfilerRunner } from './runner';
import { DEFAULT_VARIANTS, parseVariantList } from './variants/spec';
import { heavyLoadWarning } from './load';
import { measureInterleaved } from './measureTogether';
import { prepareAll } from './prepare';
import { DEFAULT_BUDGET_MS, failed, keyOf, metaOf, type ProfileOptions, type RunState } from './runState';
import { Schedule } from './schedule';
import { resolveThreads } from './threads';
import type { MeasurementInfo, ProfileResult, VariantResult, VariantSpec } from './types';

export type { ProfileOptions } from './runState';

/** The run's state before any variant is prepared: threads resolved to this machine's load, model hashed. */
async function startRun(opts: ProfileOptions, started: number): Promise<RunState> {
  const threads = await resolveThreads(opts.threads);
  return {
    opts,
    runner: new ProfilerRunner(opts.worker),
    cache: opts.cacheDir ? new ResultCache(opts.cacheDir) : undefined,
    sha: await hashFile(opts.modelPath),
    machine: machineFingerprint(),
    schedule: new Schedule(started + (opts.budgetMs ?? DEFAULT_BUDGET_MS), Date.now),
    threads,
    pending: new Map(),
  };
}

/**
 * Caches every variant measured in this run, marks the prepared ones that were never timed as failed,
 * and reports each variant as finished.
 */
function finishVariants(s: RunState, variants: VariantSpec[], results: VariantResult[]): void {
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
    s.opts.onProgress?.({ type: 'variant-finished', index: i, total: variants.length, result: results[i] ?? r });
  }
}

/** The run's result from its state, the variants' results and the interleaved measurement. */
function assembleResult(
  s: RunState,
  started: number,
  results: VariantResult[],
  measurement: MeasurementInfo | undefined,
): ProfileResult {
  const { opts } = s;
  return {
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
    budgetMs: opts.budgetMs ?? DEFAULT_BUDGET_MS,
    variants: results,
    threads: { ...(s.threads.threads !== undefined ? { count: s.threads.threads } : {}), reason: s.threads.reason },
    ...(measurement ? { measurement } : {}),
  };
}

/** Profiles `opts.modelPath`; resolves with every variant's result (errors included) unless cancelled before starting. */
export async function profileModel(opts: ProfileOptions): Promise<ProfileResult> {
  const started = Date.now();
  const variants =
    typeof opts.variants === 'string' || opts.variants === undefined
      ? parseVariantList(opts.variants ?? DEFAULT_VARIANTS)
      : opts.variants;
  const s = await startRun(opts, started);
  const warning = heavyLoadWarning(s.threads.busy, s.machine.cores);
  opts.onProgress?.({
    type: 'run-started',
    total: variants.length,
    variants: variants.map((v) => v.id),
    ...(warning ? { warning } : {}),
  });
  const results = await prepareAll(s, variants);
  const measurement = opts.signal?.aborted ? undefined : await measureInterleaved(s, variants, results);
  s.runner.dispose();
  finishVariants(s, variants, results);
  if (measurement && warning) measurement.notes.unshift(warning);
  const result = assembleResult(s, started, results, measurement);
  opts.onProgress?.({ type: 'run-finished', result });
  return result;
}
