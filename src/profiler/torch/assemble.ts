/**
 * Turns the harness's variant messages into the ONNX profiler's result format: latency statistics from the
 * raw latencies (the same stats module), energy from the same meters and estimator, and accuracy impact
 * from the same comparison of outputs with the baseline's. Pure.
 */
import { compareOutputs, labelAccuracy, type OutputSample } from '../accuracy';
import { counterDeltaUj, estimatedReading, measuredReading, RaplMeter, type RaplDomain } from '../meters/index';
import { summarizeLatencies, type LatencySummary } from '../stats';
import type { EnergyReading, VariantMetrics } from '../types';
import { decodeOutputs, type MeasuredVariantMessage, type VariantMessage } from './protocol';
import { torchVariantLabel } from './spec';
import type { TorchVariantResult, TorchVariantSpec } from './types';

/** What the conversion needs to know about the run so far. */
export interface AssembleContext {
  raplDomains: RaplDomain[];
  /** Why RAPL is not used, when it is not. */
  raplNote?: string;
  /** Joules a GPU meter measured over this variant's loop, or why it could not. */
  gpu?: { joules?: number; meter: string; note?: string };
  labels?: number[];
  baseline?: { result: TorchVariantResult; outputs?: OutputSample };
}

function raplJoules(m: MeasuredVariantMessage, domains: RaplDomain[]): { joules?: number; note?: string } {
  const rapl = m.rapl;
  if (!rapl || domains.length === 0) return {};
  if ('error' in rapl) return { note: `RAPL counters could not be read: ${rapl.error}` };
  let uj = 0;
  try {
    for (const d of domains) {
      const pair = (rapl as Record<string, [number, number]>)[d.id];
      if (!pair) return { note: `the harness did not read RAPL zone ${d.id}` };
      uj += counterDeltaUj(pair[0], pair[1], d.maxRangeUj);
    }
  } catch (e) {
    return { note: (e as Error).message };
  }
  return { joules: uj / 1e6 };
}

/** Energy per sample: a meter when one was read, else the CPU-time estimator (as in the ONNX profiler). */
export function energyOf(m: MeasuredVariantMessage, lat: LatencySummary, ctx: AssembleContext): EnergyReading {
  const samples = lat.n * m.batch;
  if (ctx.gpu?.joules !== undefined) return measuredReading(ctx.gpu.joules, samples, ctx.gpu.meter, ctx.gpu.note);
  const rapl = raplJoules(m, ctx.raplDomains);
  if (rapl.joules !== undefined) return measuredReading(rapl.joules, samples, new RaplMeter(ctx.raplDomains).name, ctx.raplNote);
  const note = [ctx.gpu?.note, rapl.note ?? ctx.raplNote].filter((n): n is string => Boolean(n)).join('; ');
  return estimatedReading(lat.mean / 1000 / m.batch, m.cpuMsPerRun / 1000 / m.batch, note || undefined);
}

function metricsOf(m: MeasuredVariantMessage, lat: LatencySummary): VariantMetrics {
  return {
    loadMs: m.loadMs, buildMs: m.buildMs, p50Ms: lat.p50, p95Ms: lat.p95, p99Ms: lat.p99, meanMs: lat.mean, ciPct: lat.ciPct,
    repetitions: lat.n, warmupRuns: m.warmupRuns, throughput: (m.batch * 1000) / lat.p50, batch: m.batch, threads: m.threads,
    cpuMsPerRun: m.cpuMsPerRun, peakRssBytes: m.peakRssBytes ?? 0, fileBytes: m.stateDictBytes ?? 0, budgetExhausted: m.budgetExhausted,
  };
}

/** The result of one variant, and its decoded outputs (kept for the baseline). */
export function variantResult(spec: TorchVariantSpec, m: VariantMessage, ctx: AssembleContext): { result: TorchVariantResult; outputs?: OutputSample } {
  const result: TorchVariantResult = { id: spec.id, kind: spec.kind, label: torchVariantLabel(spec), status: m.status, notes: [...m.notes] };
  if (m.reason) result.reason = m.reason;
  if (m.status !== 'measured') return { result };
  const lat = summarizeLatencies(m.latenciesMs);
  result.metrics = metricsOf(m, lat);
  if (m.peakRssBytes === null) result.notes.push('peak memory could not be read on this platform');
  if (m.stateDictBytes === null) result.notes.push('the state_dict could not be serialized, so its size is unknown');
  if (m.gpuOriented) result.gpuOriented = true;
  result.energy = energyOf(m, lat, ctx);
  let outputs: OutputSample | undefined;
  try {
    outputs = decodeOutputs(m.outputs);
  } catch (e) {
    result.notes.push(`Accuracy not compared: ${(e as Error).message}`);
  }
  const base = ctx.baseline;
  if (outputs && spec.kind === 'baseline') {
    const acc = labelAccuracy(outputs, ctx.labels);
    result.accuracy = { samples: outputs.samples, output: outputs.name, maxAbsError: 0, meanAbsError: 0, cosineSimilarity: 1, ...(acc !== undefined ? { accuracy: acc, baselineAccuracy: acc } : {}) };
  } else if (outputs && base?.outputs) {
    try {
      result.accuracy = compareOutputs(base.outputs, outputs, ctx.labels);
    } catch (e) {
      result.notes.push(`Accuracy not compared: ${(e as Error).message}`);
    }
  }
  const bm = base?.result.metrics;
  if (bm && spec.kind !== 'baseline') result.speedup = (bm.p50Ms / bm.batch) / (lat.p50 / m.batch);
  return { result, outputs };
}
