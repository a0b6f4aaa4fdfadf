/**
 * The harness's stdout protocol: one JSON object per line. Every line is validated with a typed guard
 * before the host uses it; anything else is reported as stray output, never trusted. Pure.
 */
import type { OutputSample } from '../accuracy';
import type { TorchEnvironment, TorchModelInfo } from './types';

/** Version of the protocol the generated harness speaks. */
export const HARNESS_PROTOCOL = 3;

export type HarnessPhase = 'building' | 'loading' | 'warming-up' | 'measuring' | 'accuracy';

/** The first output over the accuracy samples, float32 little-endian in base64. */
export interface WireOutputs {
  name: string;
  sampleDims: number[];
  samples: number;
  base64: string;
}

export interface HelloMessage extends Partial<Omit<TorchEnvironment, 'torch'>> {
  type: 'hello';
  protocol: number;
  python: string;
  executable: string;
  platform: string;
  /** null when torch cannot be imported (then torchError says why). */
  torch?: string | null;
  torchError?: string;
}

export interface ModelMessage extends TorchModelInfo {
  type: 'model';
}

export interface InputsMessage {
  type: 'inputs';
  source: 'random' | 'dataset';
  description: string;
  samples: number;
  labels: number[] | null;
}

export interface VariantStartedMessage {
  type: 'variant-started';
  id: string;
  index: number;
  total: number;
}
export interface PhaseMessage {
  type: 'phase';
  id: string;
  phase: HarnessPhase;
  repetitions?: number;
  ciPct?: number | null;
  pass?: number;
  passes?: number;
}

interface VariantBase {
  type: 'variant';
  id: string;
  notes: string[];
  reason?: string;
}

/** A variant's interleaved blocks, index r being round r; energy per block when RAPL was read. */
export interface WireBlocks {
  ms: number[];
  cpuMs: number[];
  /** Median run of each block, ms (the per-run latencies sent are only a sample). */
  medianMs?: number[];
  /** The pass (0, 1, ...) each block was timed in; every pass built the variants again. Absent: one pass. */
  pass?: number[];
  energyUj: number[] | null;
}

/**
 * A measured variant: its blocks from the interleaved rounds and an even sample of its per-run latencies
 * (the host computes the statistics), CPU time, memory, outputs.
 */
export interface MeasuredVariantMessage extends VariantBase {
  status: 'measured';
  latenciesMs: number[];
  warmupRuns: number;
  cpuMsPerRun: number;
  /** Time in the variant's blocks, ms. */
  wallMs: number;
  budgetExhausted: boolean;
  buildMs: number;
  loadMs: number;
  batch: number;
  threads: number;
  peakRssBytes: number | null;
  stateDictBytes: number | null;
  runsPerBlock: number;
  blocks: WireBlocks;
  /** Why RAPL counters could not be read, when they could not. */
  raplError?: string;
  outputs: WireOutputs;
  gpuOriented?: boolean;
}

/** A load sample between rounds: /proc/stat jiffies, the harness's CPU time, the mean clock (null where unreadable). */
export interface WireLoadSample {
  t: number;
  busy: number | null;
  total: number | null;
  ownMs: number;
  mhz: number | null;
}

/** How the interleaved rounds went; sent before the variants' results. */
export interface MeasurementMessage {
  type: 'measurement';
  rounds: number;
  granularityMs: number | null;
  blockTargetMs: number;
  wallMs: number;
  stoppedBy: string;
  load: WireLoadSample[];
  /** Time in every variant's blocks together, ms. */
  blockMsTotal: number;
  /** Passes, each with freshly built variants (absent: one). */
  passes?: number;
  /** What the timed loop costs per run around a run that does nothing, ms. */
  loopCostMs?: number;
  /** Time in the untimed lead-in runs, ms, and timed runs, all lanes together. */
  leadInMs?: number;
  runsTotal?: number;
}

export interface OtherVariantMessage extends VariantBase {
  status: 'not-applicable' | 'error';
}

export type VariantMessage = MeasuredVariantMessage | OtherVariantMessage;
export interface OnnxExportMessage {
  type: 'onnx-export';
  path?: string;
  ms?: number;
  error?: string;
}
export interface DoneMessage {
  type: 'done';
  ms: number;
}
export interface ErrorMessage {
  type: 'error';
  code: string;
  message: string;
}

export type HarnessMessage =
  | HelloMessage
  | ModelMessage
  | InputsMessage
  | VariantStartedMessage
  | PhaseMessage
  | VariantMessage
  | MeasurementMessage
  | OnnxExportMessage
  | DoneMessage
  | ErrorMessage;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isNumOrNull = (v: unknown): boolean => v === null || isNum(v);
const isNumArray = (v: unknown): v is number[] => Array.isArray(v) && v.every(isNum);
const isStrArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(isStr);
const optional = (v: unknown, guard: (x: unknown) => boolean): boolean => v === undefined || guard(v);
const PHASES: readonly string[] = ['building', 'loading', 'warming-up', 'measuring', 'accuracy'];

function isWireOutputs(v: unknown): v is WireOutputs {
  return isObj(v) && isStr(v.name) && isNumArray(v.sampleDims) && isNum(v.samples) && isStr(v.base64);
}

function isBlocks(v: unknown, rounds?: number): boolean {
  if (!isObj(v) || !isNumArray(v.ms) || !isNumArray(v.cpuMs) || v.ms.length !== v.cpuMs.length || v.ms.length === 0)
    return false;
  if (rounds !== undefined && v.ms.length !== rounds) return false;
  if (v.medianMs !== undefined && !(isNumArray(v.medianMs) && v.medianMs.length === v.ms.length)) return false;
  if (
    v.pass !== undefined &&
    !(isNumArray(v.pass) && v.pass.length === v.ms.length && v.pass.every((p) => Number.isInteger(p) && p >= 0))
  )
    return false;
  return v.energyUj === null || (isNumArray(v.energyUj) && v.energyUj.length === v.ms.length);
}

function isLoadSample(v: unknown): boolean {
  return isObj(v) && isNum(v.t) && isNumOrNull(v.busy) && isNumOrNull(v.total) && isNum(v.ownMs) && isNumOrNull(v.mhz);
}

function isVariant(m: Obj): boolean {
  if (!isStr(m.id) || !isStrArray(m.notes) || !optional(m.reason, isStr)) return false;
  if (m.status === 'not-applicable' || m.status === 'error') return true;
  if (m.status !== 'measured') return false;
  return (
    isNumArray(m.latenciesMs) &&
    m.latenciesMs.length > 0 &&
    isNum(m.warmupRuns) &&
    isNum(m.cpuMsPerRun) &&
    isNum(m.wallMs) &&
    typeof m.budgetExhausted === 'boolean' &&
    isNum(m.buildMs) &&
    isNum(m.loadMs) &&
    isNum(m.batch) &&
    isNum(m.threads) &&
    isNumOrNull(m.peakRssBytes) &&
    isNumOrNull(m.stateDictBytes) &&
    isNum(m.runsPerBlock) &&
    m.runsPerBlock >= 1 &&
    isBlocks(m.blocks) &&
    optional(m.raplError, isStr) &&
    isWireOutputs(m.outputs) &&
    optional(m.gpuOriented, (x) => typeof x === 'boolean')
  );
}

const GUARDS: Record<string, (m: Obj) => boolean> = {
  hello: (m) =>
    isNum(m.protocol) &&
    isStr(m.python) &&
    isStr(m.executable) &&
    isStr(m.platform) &&
    (m.torch === undefined ||
      m.torch === null ||
      (isStr(m.torch) &&
        isNum(m.threads) &&
        isStr(m.quantEngine) &&
        typeof m.compile === 'boolean' &&
        typeof m.cuda === 'boolean')),
  model: (m) =>
    isStr(m.label) &&
    isStr(m.className) &&
    ['user-code', 'local', 'random'].includes(m.weights as string) &&
    isStrArray(m.notes) &&
    isNum(m.parameters) &&
    isNumArray(m.inputShape) &&
    isStr(m.inputDtype) &&
    isStr(m.inputNote) &&
    isNum(m.buildMs),
  inputs: (m) =>
    (m.source === 'random' || m.source === 'dataset') &&
    isStr(m.description) &&
    isNum(m.samples) &&
    (m.labels === null || (Array.isArray(m.labels) && m.labels.every((l) => Number.isInteger(l)))),
  'variant-started': (m) => isStr(m.id) && isNum(m.index) && isNum(m.total),
  phase: (m) =>
    isStr(m.id) &&
    PHASES.includes(m.phase as string) &&
    optional(m.repetitions, isNum) &&
    optional(m.ciPct, isNumOrNull) &&
    optional(m.pass, isNum) &&
    optional(m.passes, isNum),
  variant: isVariant,
  measurement: (m) =>
    isNum(m.rounds) &&
    isNumOrNull(m.granularityMs) &&
    isNum(m.blockTargetMs) &&
    isNum(m.wallMs) &&
    isStr(m.stoppedBy) &&
    Array.isArray(m.load) &&
    m.load.every(isLoadSample) &&
    isNum(m.blockMsTotal) &&
    optional(m.passes, isNum) &&
    optional(m.loopCostMs, isNum) &&
    optional(m.leadInMs, isNum) &&
    optional(m.runsTotal, isNum),
  'onnx-export': (m) => (isStr(m.path) && isNum(m.ms)) || isStr(m.error),
  done: (m) => isNum(m.ms),
  error: (m) => isStr(m.code) && isStr(m.message),
};

/** True when `v` is a well-formed harness message. */
export function isHarnessMessage(v: unknown): v is HarnessMessage {
  if (!isObj(v) || !isStr(v.type)) return false;
  const guard = GUARDS[v.type];
  return guard !== undefined && guard(v);
}

/** Parses one stdout line: the message, or undefined for anything that is not a valid message. */
export function parseHarnessLine(line: string): HarnessMessage | undefined {
  const t = line.trim();
  if (!t.startsWith('{')) return undefined;
  try {
    const v: unknown = JSON.parse(t);
    return isHarnessMessage(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Decodes a variant's outputs into the shape the ONNX profiler's accuracy functions take. */
export function decodeOutputs(o: WireOutputs): OutputSample {
  const bytes = Buffer.from(o.base64, 'base64');
  if (bytes.length % 4 !== 0)
    throw new Error(`output "${o.name}" has ${bytes.length} bytes, not a whole number of float32 values`);
  // Copied into a fresh buffer: a Float32Array view needs 4-byte alignment, which Buffer's pool does not guarantee.
  const data = new Float32Array(bytes.length / 4);
  new Uint8Array(data.buffer).set(bytes);
  const width = o.sampleDims.reduce((a, b) => a * b, 1);
  if (width > 0 && data.length !== width * o.samples)
    throw new Error(`output "${o.name}" has ${data.length} values, expected ${o.samples} × ${width}`);
  return { name: o.name, sampleDims: o.sampleDims, samples: o.samples, data };
}
