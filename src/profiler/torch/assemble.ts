/**
 * Turns the harness's variant messages into the ONNX profiler's result format: latency statistics and the
 * paired speed-up and energy intervals from the interleaved blocks (the same modules as the ONNX profiler),
 * energy from the same meters and estimator, and accuracy impact from the same comparison of outputs with
 * the baseline's. Pure.
 */
import { compareOutputs, labelAccuracy, type OutputSample } from '../accuracy';
import { resolutionNote, speedVerdict } from '../compare';
import { estimatorFor, summarizeLane, type LaneLog, type LaneSummary } from '../interleave';
import { comparePasses, splitPasses } from '../passes';
import { estimatedReading, measuredReading, RaplMeter, type RaplDomain } from '../meters/index';
import type { EnergyReading, VariantMetrics } from '../types';
import { decodeOutputs, type MeasuredVariantMessage, type MeasurementMessage, type VariantMessage } from './protocol';
import { torchVariantLabel } from './spec';
import type { TorchVariantResult, TorchVariantSpec } from './types';

/** What the conversion needs to know about the run so far. */
export interface AssembleContext {
  raplDomains: RaplDomain[];
  /** Why RAPL is not used, when it is not. */
  raplNote?: string;
  /** Joules a GPU meter measured over the whole interleaved window, or why it could not. */
  gpu?: { joules?: number; meter: string; note?: string };
  /** Time in every variant's blocks together, ms: a GPU window's joules are shared by time. */
  blockMsTotal?: number;
  labels?: number[];
  baseline?: { result: TorchVariantResult; outputs?: OutputSample; log?: LaneLog; passes?: LaneLog[]; batch?: number };
  /** Confidence level of the intervals (0.99 when foreign load rose) and the clock's granularity. */
  level?: number;
  granularityMs?: number;
  /** Logical CPUs, for the CPU-time energy weights. */
  cores?: number;
  /** Wall time of the interleaved rounds, ms (for "how much longer"). */
  wallMs?: number;
}

/** The variant's blocks as the interleaved module's lane log. */
export function laneLog(m: MeasuredVariantMessage): LaneLog {
  const runTimes = Float64Array.from(m.latenciesMs);
  const blockJ = m.blocks.energyUj ? m.blocks.energyUj.map((uj) => uj / 1e6) : [];
  const log: LaneLog = {
    blockMs: m.blocks.ms,
    blockCpuMs: m.blocks.cpuMs,
    blockJ,
    runs: m.runsPerBlock * m.blocks.ms.length,
    runTimes,
    recorded: runTimes.length,
  };
  if (m.blocks.medianMs) log.blockMedianMs = m.blocks.medianMs;
  return log;
}

/** Energy per sample: a meter when one was read, else the CPU-time estimator (as in the ONNX profiler). */
export function energyOf(m: MeasuredVariantMessage, lat: LaneSummary, ctx: AssembleContext): EnergyReading {
  const samples = lat.n * m.batch;
  if (ctx.gpu?.joules !== undefined) {
    const share = ctx.blockMsTotal && ctx.blockMsTotal > 0 ? m.wallMs / ctx.blockMsTotal : 1;
    const note = [
      ctx.gpu.note,
      "the GPU window covers every variant's blocks; this variant's share is by its time in them",
    ]
      .filter(Boolean)
      .join('; ');
    return measuredReading(ctx.gpu.joules * share, samples, ctx.gpu.meter, note);
  }
  const energy = m.blocks.energyUj;
  if (energy && ctx.raplDomains.length > 0)
    return measuredReading(
      energy.reduce((a, b) => a + b, 0) / 1e6,
      samples,
      new RaplMeter(ctx.raplDomains).name,
      ctx.raplNote,
    );
  const rapl = m.raplError ? `RAPL counters could not be read: ${m.raplError}` : undefined;
  const note = [ctx.gpu?.note, rapl ?? ctx.raplNote].filter((n): n is string => Boolean(n)).join('; ');
  return estimatedReading(lat.mean / 1000 / m.batch, m.cpuMsPerRun / 1000 / m.batch, note || undefined);
}

function metricsOf(m: MeasuredVariantMessage, lat: LaneSummary): VariantMetrics {
  return {
    loadMs: m.loadMs,
    buildMs: m.buildMs,
    p50Ms: lat.p50,
    p95Ms: lat.p95,
    p99Ms: lat.p99,
    meanMs: lat.mean,
    ciPct: lat.ciPct,
    repetitions: lat.n,
    warmupRuns: m.warmupRuns,
    throughput: (m.batch * 1000) / lat.p50,
    batch: m.batch,
    threads: m.threads,
    cpuMsPerRun: m.cpuMsPerRun,
    peakRssBytes: m.peakRssBytes ?? 0,
    fileBytes: m.stateDictBytes ?? 0,
    budgetExhausted: m.budgetExhausted,
    blocks: lat.blocks,
    runsPerBlock: m.runsPerBlock,
  };
}

function accuracyOf(
  spec: TorchVariantSpec,
  m: MeasuredVariantMessage,
  result: TorchVariantResult,
  ctx: AssembleContext,
): OutputSample | undefined {
  let outputs: OutputSample | undefined;
  try {
    outputs = decodeOutputs(m.outputs);
  } catch (e) {
    result.notes.push(`Accuracy not compared: ${(e as Error).message}`);
  }
  const base = ctx.baseline;
  if (outputs && spec.kind === 'baseline') {
    const acc = labelAccuracy(outputs, ctx.labels);
    result.accuracy = {
      samples: outputs.samples,
      output: outputs.name,
      maxAbsError: 0,
      meanAbsError: 0,
      cosineSimilarity: 1,
      ...(acc !== undefined ? { accuracy: acc, baselineAccuracy: acc } : {}),
    };
  } else if (outputs && base?.outputs) {
    try {
      result.accuracy = compareOutputs(base.outputs, outputs, ctx.labels);
    } catch (e) {
      result.notes.push(`Accuracy not compared: ${(e as Error).message}`);
    }
  }
  return outputs;
}

/** The result of one variant, its decoded outputs and its blocks (both kept for the baseline). */
export function variantResult(
  spec: TorchVariantSpec,
  m: VariantMessage,
  ctx: AssembleContext,
): { result: TorchVariantResult; outputs?: OutputSample; log?: LaneLog; passes?: LaneLog[] } {
  const result: TorchVariantResult = {
    id: spec.id,
    kind: spec.kind,
    label: torchVariantLabel(spec),
    status: m.status,
    notes: [...m.notes],
  };
  if (m.reason) result.reason = m.reason;
  if (m.status !== 'measured') return { result };
  const log = laneLog(m);
  const level = ctx.level ?? 0.95;
  const lat = summarizeLane(log, ctx.granularityMs ?? 0, level);
  result.metrics = metricsOf(m, lat);
  if (m.peakRssBytes === null) result.notes.push('peak memory could not be read on this platform');
  if (m.stateDictBytes === null) result.notes.push('the state_dict could not be serialized, so its size is unknown');
  if (m.gpuOriented) result.gpuOriented = true;
  result.energy = energyOf(m, lat, ctx);
  const outputs = accuracyOf(spec, m, result, ctx);
  const base = ctx.baseline;
  const passes = splitPasses(log, m.blocks.pass);
  if (spec.kind === 'baseline') {
    result.speedup = { value: 1, low: 1, high: 1 };
  } else if (base?.log && base.log.blockMs.length === log.blockMs.length) {
    const granularityMs = ctx.granularityMs ?? 0;
    const basePasses = base.passes ?? [base.log];
    const paired =
      basePasses.length === passes.length && basePasses.every((b, p) => b.blockMs.length === passes[p]?.blockMs.length);
    const opts = { granularityMs, level, cores: ctx.cores ?? 1, mode: estimatorFor([base.log, log], granularityMs) };
    const cmp = paired
      ? comparePasses(basePasses, base.batch ?? 1, passes, m.batch, opts)
      : comparePasses([base.log], base.batch ?? 1, [log], m.batch, opts);
    result.speedup = cmp.speedup;
    result.energyRatio = cmp.energyRatio;
    result.verdict = speedVerdict(cmp.speedup);
    if (cmp.passSpeedups.length > 1) result.passSpeedups = cmp.passSpeedups;
    const note = resolutionNote(cmp.speedup, ctx.wallMs ?? 0);
    if (note) result.resolution = note;
  }
  return { result, outputs, log, passes };
}

/**
 * The harness's own share of its measuring loop, percent: the wall time of the rounds that is neither in
 * a timed block nor in an untimed lead-in run (statistics for the stopping rule, load samples, progress),
 * plus what the timed loop itself adds to every run (a clock reading and a loop step, calibrated on a run
 * that does nothing). Undefined when the harness did not send the figures.
 */
export function harnessOverheadPct(m: MeasurementMessage): number | undefined {
  if (m.loopCostMs === undefined || m.leadInMs === undefined || m.runsTotal === undefined || !(m.wallMs > 0))
    return undefined;
  const between = Math.max(0, m.wallMs - m.blockMsTotal - m.leadInMs);
  return ((between + m.loopCostMs * m.runsTotal) / m.wallMs) * 100;
}

/** Sentences on the passes and the harness's cost for the measurement's notes. */
export function passNotes(m: MeasurementMessage): string[] {
  const notes =
    (m.passes ?? 1) > 1
      ? [
          `Measured in ${m.passes} passes, each with every variant built again from a fresh copy of the model; the intervals include the spread between passes.`,
        ]
      : [
          "Measured in one pass: building the variants again would have cost too much of the budget, so a difference tied to one instance's memory layout cannot be told from a real one.",
        ];
  const overhead = harnessOverheadPct(m);
  if (overhead !== undefined)
    notes.push(
      `The harness's own cost was ${overhead.toFixed(2)} % of the measuring time (bookkeeping between blocks and the clock readings inside them).`,
    );
  return notes;
}
