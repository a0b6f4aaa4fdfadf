/**
 * The first step of a profile run: each variant, one at a time and each in its own worker process, is
 * built, loaded, checked and its outputs compared with the baseline's, then queued for the interleaved
 * measurement. A cached result skips the worker; an error marks its variant and never stops the run.
 */
import type { MeasureJob, MeasureOutcome } from './protocol';
import { compareOutputs, labelAccuracy } from './accuracy';
import { variantLabel } from './variants/spec';
import { adoptBaselineThreads, failed, jobOptions, keyOf, pinned, wasCancelled, type RunState } from './runState';
import type { VariantResult, VariantSpec } from './types';

/** A variant's result from its preparing worker: status, notes, metrics and accuracy against the baseline. */
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

/** Prepares every variant in turn (cache hits skip it), with progress; errors never stop the run. */
export async function prepareAll(s: RunState, variants: VariantSpec[]): Promise<VariantResult[]> {
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
      results.push(failed(v, wasCancelled(e) ? 'cancelled' : 'error', (e as Error).message));
    }
  }
  return results;
}
