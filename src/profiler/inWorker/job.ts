/**
 * One measurement job inside the worker: inputs, variant file, session, timing loop with an energy
 * meter, and the accuracy pass. Everything here may crash or hang onnxruntime; the host only ever sees
 * a typed answer or the death of this process.
 */
import { statSync } from 'node:fs';
import { openModelFile } from '../../analyzers/onnx/index';
import { dtypeInfo } from '../../analyzers/onnx/dtypes';
import { resolveInputShape } from '../../analyzers/onnx/shapes/infer';
import type * as Ort from 'onnxruntime-node';
import type { MeasureJob, MeasureOutcome, WorkerProgress } from '../protocol';
import { batchFeeds, datasetSamples, isBatched, randomSamples, type InputMeta, type SampleSet } from '../inputs';
import { chooseMeter, estimatedReading, measuredReading } from '../meters/index';
import { NotApplicableError } from '../variants/graph';
import type { EnergyReading, VariantMetrics } from '../types';
import { buildVariant, type BuiltVariant } from './build';
import { collectOutputs, timeSession, type LoopResult } from './measure';
import { createSession, toFeeds } from './ort';

type Progress = (p: Omit<WorkerProgress, 'type' | 'id'>) => void;

/** The model's graph inputs with symbolic dims resolved from the job's options. */
export function modelInputs(modelPath: string, job: Pick<MeasureJob, 'inputs'>): InputMeta[] {
  const opened = openModelFile(modelPath);
  try {
    const g = opened.model.graph;
    const inits = new Set(g.initializers.map((t) => t.name));
    const dims = { dims: job.inputs.dims, values: job.inputs.values, batch: 1 };
    return g.inputs
      .filter((v) => !inits.has(v.name))
      .map((v) => ({
        name: v.name,
        dtype: dtypeInfo(v.dtype).name,
        shape: v.shape ?? [],
        resolved: (resolveInputShape(v.name, v.shape, dims) ?? []).map((d) => (typeof d === 'number' ? d : null)),
      }));
  } finally {
    opened.close();
  }
}

/** Samples for the job: the dataset, or random ones (32 by default, at least one batch). */
export function jobSamples(
  inputs: InputMeta[],
  job: Pick<MeasureJob, 'inputs'> & { variant: { batch?: number } },
): SampleSet {
  const batch = job.variant.batch ?? job.inputs.batch ?? 1;
  if (job.inputs.datasetDir) return datasetSamples(inputs, { ...job.inputs, datasetDir: job.inputs.datasetDir });
  return randomSamples(inputs, job.inputs, Math.max(job.inputs.randomSamples ?? 32, batch));
}

/**
 * Samples per run of the accuracy pass: 64 when every input either carries the batch on its first axis or
 * has a fully fixed shape; otherwise 1, because a fixed input with a free inner dim (a recurrent state
 * [2, batch, 128]) must match the batch and is given for one sample.
 */
function evalChunk(inputs: InputMeta[], samples: SampleSet): number {
  // A dataset can give samples to an input whose first axis is fixed ([1, 784]): then that many per run.
  const fixedFirst = inputs.filter((m) => samples.batched[m.name] && !isBatched(m)).map((m) => m.shape[0]);
  if (fixedFirst.length > 0) return Math.max(1, Math.min(...fixedFirst.map((d) => (typeof d === 'number' ? d : 1))));
  const safe = inputs.every((m) => isBatched(m) || m.shape.every((d) => typeof d === 'number'));
  return safe ? 64 : 1;
}

/** Why `batch` samples cannot be fed in one run, or undefined when they can. */
function batchProblem(inputs: InputMeta[], samples: SampleSet, batch: number): string | undefined {
  if (batch <= 1) return undefined;
  const fixed = inputs.filter((m) => samples.batched[m.name] && typeof m.shape[0] === 'number' && m.shape[0] !== batch);
  if (fixed.length === 0 && Object.keys(samples.batched).length > 0) return undefined;
  const m = fixed[0] ?? inputs[0];
  const declared = m
    ? `input "${m.name}" is declared [${m.shape.map((d) => d ?? '?').join(', ')}]`
    : 'the model has no inputs';
  return `batch size ${batch} cannot be fed: ${declared}, with no free batch axis; export the model with a dynamic batch dimension to measure batching`;
}

function energyOf(
  job: MeasureJob,
  loop: () => Promise<LoopResult>,
): Promise<{ loop: LoopResult; energy: (batch: number) => EnergyReading }> {
  const choice = chooseMeter({ raplRoot: job.raplRoot });
  let meter = choice.meter;
  return (async () => {
    let joules: number | undefined;
    let note = choice.note;
    try {
      meter?.begin();
    } catch (e) {
      note = `${meter?.name} could not be read: ${(e as Error).message}`;
      meter = undefined;
    }
    const result = await loop();
    try {
      if (meter) joules = meter.end();
      if (meter?.note) note = note ? `${note}; ${meter.note}` : meter.note;
    } catch (e) {
      note = `${meter?.name} could not be read: ${(e as Error).message}`;
    }
    const runs = result.latency.n;
    return {
      loop: result,
      energy: (batch: number) =>
        joules !== undefined && meter
          ? measuredReading(joules, runs * batch, meter.name, note)
          : estimatedReading(result.latency.mean / 1000 / batch, result.cpuMsPerRun / 1000 / batch, note),
    };
  })();
}

function metricsOf(
  loop: LoopResult,
  loadMs: number,
  buildMs: number,
  batch: number,
  fileBytes: number,
  threads?: number,
): VariantMetrics {
  const l = loop.latency;
  return {
    loadMs,
    buildMs,
    p50Ms: l.p50,
    p95Ms: l.p95,
    p99Ms: l.p99,
    meanMs: l.mean,
    ciPct: l.ciPct,
    repetitions: l.n,
    warmupRuns: loop.warmupRuns,
    throughput: (batch * 1000) / l.p50,
    batch,
    ...(threads !== undefined ? { threads } : {}),
    cpuMsPerRun: loop.cpuMsPerRun,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    fileBytes,
    budgetExhausted: loop.budgetExhausted,
  };
}

/**
 * A variant made ready for the interleaved measurement: built, loaded once (its load time), checked by
 * the accuracy pass, and its file size and peak memory taken; the timing happens later, interleaved.
 */
async function prepareOnly(
  job: MeasureJob,
  session: Ort.InferenceSession,
  samples: SampleSet,
  chunk: number,
  built: BuiltVariant,
  loadMs: number,
): Promise<MeasureOutcome> {
  const batch = job.variant.batch ?? job.inputs.batch ?? 1;
  // One run at the measured batch size: a variant that cannot run fails here, before the interleaved loop.
  await session.run(toFeeds(batchFeeds(samples, 0, batch)));
  const outputs = job.collectOutputs ? await collectOutputs(session, samples, chunk) : undefined;
  return {
    status: 'measured',
    notes: built.notes,
    ...(built.gpuOriented ? { gpuOriented: true } : {}),
    prepared: {
      loadMs,
      buildMs: built.buildMs,
      fileBytes: statSync(built.path).size,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
    },
    outputs,
    labels: samples.labels,
    modelPath: built.path,
    inputsDescription: samples.description,
    inputSource: samples.source,
  };
}

/** Runs one job; throws for errors (the worker turns them into error answers). */
export async function runJob(job: MeasureJob, progress: Progress): Promise<MeasureOutcome> {
  const inputs = modelInputs(job.modelPath, job);
  const samples = jobSamples(inputs, job);
  const chunk = evalChunk(inputs, samples);
  const batch = job.variant.batch ?? job.inputs.batch ?? 1;
  const cannot = batchProblem(inputs, samples, batch);
  if (cannot) return { status: 'not-applicable', reason: cannot, notes: [] };
  progress({ phase: 'building' });
  let built;
  try {
    built = await buildVariant(job.modelPath, job.variant, job.storageDir, samples, chunk);
  } catch (e) {
    if (e instanceof NotApplicableError) return { status: 'not-applicable', reason: e.message, notes: [] };
    throw e;
  }
  progress({ phase: 'loading' });
  const t0 = performance.now();
  const session = await createSession(built.path, { threads: job.variant.threads, level: job.variant.level });
  const loadMs = performance.now() - t0;
  if (job.timing === false) {
    try {
      return await prepareOnly(job, session, samples, chunk, built, loadMs);
    } finally {
      await session.release();
    }
  }
  try {
    progress({ phase: 'warming-up' });
    const feeds = toFeeds(batchFeeds(samples, 0, batch));
    const { loop, energy } = await energyOf(job, () =>
      timeSession(session, feeds, {
        budgetMs: job.budgetMs,
        targetCiPct: job.targetCiPct,
        onProgress: (repetitions, ciPct) => progress({ phase: 'measuring', repetitions, ciPct }),
      }),
    );
    progress({ phase: 'accuracy' });
    const outputs = job.collectOutputs ? await collectOutputs(session, samples, chunk) : undefined;
    return {
      status: 'measured',
      notes: built.notes,
      ...(built.gpuOriented ? { gpuOriented: true } : {}),
      metrics: metricsOf(loop, loadMs, built.buildMs, batch, statSync(built.path).size, job.variant.threads),
      energy: energy(batch),
      outputs,
      labels: samples.labels,
      modelPath: built.path,
      inputsDescription: samples.description,
      inputSource: samples.source,
    };
  } finally {
    await session.release();
  }
}
