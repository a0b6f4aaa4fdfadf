/**
 * Typed messages between the profiler's host side (runner.ts, in the extension host or the CLI) and its
 * worker (a child process). Every message has a discriminating `type`; every receiver validates with the
 * guards below before acting, because a child process is another trust domain.
 */

import type {
  EnergyReading,
  InputOptions,
  MeasurementInfo,
  OptLevel,
  RatioInterval,
  SpeedVerdict,
  VariantMetrics,
  VariantSpec,
} from './types';

// ---------- host <-> profiler worker ----------

/** One variant to build and measure in a fresh worker. */
export interface MeasureJob {
  modelPath: string;
  variant: VariantSpec;
  /** Where variant files are written (the extension's global storage), never next to the model. */
  storageDir: string;
  inputs: InputOptions;
  /** Time for the repetitions of the timing loop, ms. */
  budgetMs: number;
  /** Target half-width of the median's 95 % confidence interval, percent (default 2). */
  targetCiPct?: number;
  /** Whether to send back the first output over the accuracy samples. */
  collectOutputs: boolean;
  /** Root of the powercap tree (tests pass a fake one). */
  raplRoot?: string;
  /**
   * False: build, load and check the variant and collect its outputs, but leave the timing to the
   * interleaved job (then the outcome carries `prepared` instead of latency metrics).
   */
  timing?: boolean;
}

/** One contestant of an interleaved measurement: a model file and its session settings. */
export interface Contestant {
  id: string;
  modelPath: string;
  threads?: number;
  level?: OptLevel;
  batch: number;
}

/** Variants measured together in randomized round-robin blocks, in one worker; the baseline first. */
export interface InterleaveJob {
  /** The user's model: its inputs define the feeds of every contestant. */
  sourceModelPath: string;
  contestants: Contestant[];
  inputs: InputOptions;
  /** Time for loading, warm-up and the interleaved rounds, ms. */
  budgetMs: number;
  /** Stop once every interval's half-width is at most this, percent (default 2). */
  targetCiPct?: number;
  /** Seed of the round orders. */
  seed?: number;
  raplRoot?: string;
}

/** One contestant's figures from the interleaved rounds. */
export interface LaneOutcome {
  id: string;
  metrics: Omit<VariantMetrics, 'loadMs' | 'buildMs' | 'peakRssBytes' | 'fileBytes'>;
  energy: EnergyReading;
  speedup?: RatioInterval;
  energyRatio?: RatioInterval;
  verdict?: SpeedVerdict;
  resolution?: string;
  /** The speed-up of each pass on its own (before combining), for checking where passes disagree. */
  passSpeedups?: RatioInterval[];
}

/** The answer to an interleaved job. */
export interface InterleaveOutcome {
  lanes: LaneOutcome[];
  measurement: MeasurementInfo;
}

/** What a worker found for one variant; `outputs` feed the host's accuracy comparison. */
export interface MeasureOutcome {
  status: 'measured' | 'not-applicable';
  reason?: string;
  notes: string[];
  gpuOriented?: boolean;
  metrics?: VariantMetrics;
  energy?: EnergyReading;
  outputs?: { name: string; sampleDims: number[]; samples: number; data: Float32Array };
  labels?: number[];
  modelPath?: string;
  inputsDescription?: string;
  inputSource?: 'random' | 'dataset';
  /** With `timing: false`: the figures of the preparation, the timing left to the interleaved job. */
  prepared?: { loadMs: number; buildMs: number; fileBytes: number; peakRssBytes: number };
}

export interface WorkerPing {
  type: 'ping';
  id: number;
}
export interface WorkerMeasure {
  type: 'measure';
  id: number;
  job: MeasureJob;
}
export interface WorkerInterleave {
  type: 'interleave';
  id: number;
  job: InterleaveJob;
}
export interface WorkerPong {
  type: 'pong';
  id: number;
  ortVersion: string;
  node: string;
  platform: string;
  arch: string;
}
export interface WorkerError {
  type: 'error';
  id: number;
  message: string;
}
/** Streamed while a job runs; not an answer. */
export interface WorkerProgress {
  type: 'progress';
  id: number;
  phase: 'building' | 'loading' | 'warming-up' | 'measuring' | 'accuracy';
  repetitions?: number;
  ciPct?: number;
  /** The interleaved job's pass (1-based) and, once decided, how many passes it runs. */
  pass?: number;
  passes?: number;
}
export interface WorkerMeasured {
  type: 'measured';
  id: number;
  outcome: MeasureOutcome;
}
export interface WorkerInterleaved {
  type: 'interleaved';
  id: number;
  outcome: InterleaveOutcome;
}

export type HostToWorker = WorkerPing | WorkerMeasure | WorkerInterleave;
export type WorkerToHost = WorkerPong | WorkerError | WorkerProgress | WorkerMeasured | WorkerInterleaved;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Validates a message received by the worker. */
export function isHostToWorker(v: unknown): v is HostToWorker {
  if (!isObject(v) || typeof v.id !== 'number') return false;
  if (v.type === 'ping') return true;
  if (v.type === 'measure') {
    const j = v.job;
    return (
      isObject(j) &&
      typeof j.modelPath === 'string' &&
      typeof j.storageDir === 'string' &&
      isObject(j.variant) &&
      typeof j.budgetMs === 'number' &&
      isObject(j.inputs)
    );
  }
  if (v.type === 'interleave') {
    const j = v.job;
    return (
      isObject(j) &&
      typeof j.sourceModelPath === 'string' &&
      Array.isArray(j.contestants) &&
      j.contestants.length > 0 &&
      j.contestants.every(
        (c) =>
          isObject(c) && typeof c.id === 'string' && typeof c.modelPath === 'string' && typeof c.batch === 'number',
      ) &&
      typeof j.budgetMs === 'number' &&
      isObject(j.inputs)
    );
  }
  return false;
}

/** Validates a message received by the host. */
export function isWorkerToHost(v: unknown): v is WorkerToHost {
  if (!isObject(v) || typeof v.id !== 'number') return false;
  if (v.type === 'pong') return typeof v.ortVersion === 'string' && typeof v.node === 'string';
  if (v.type === 'error') return typeof v.message === 'string';
  if (v.type === 'progress') return typeof v.phase === 'string';
  if (v.type === 'measured')
    return isObject(v.outcome) && typeof v.outcome.status === 'string' && Array.isArray(v.outcome.notes);
  if (v.type === 'interleaved')
    return isObject(v.outcome) && Array.isArray(v.outcome.lanes) && isObject(v.outcome.measurement);
  return false;
}

/** True for messages that answer a request (as opposed to progress along the way). */
export function isFinalAnswer(m: WorkerToHost): boolean {
  return m.type !== 'progress';
}

// ---------- host <-> report webview ----------

export interface WebviewReady {
  type: 'ready';
}
export type WebviewToHost = WebviewReady;

export interface HostShowReport {
  type: 'showReport';
  report: unknown;
}
export type HostToWebview = HostShowReport;

export function isWebviewToHost(v: unknown): v is WebviewToHost {
  return isObject(v) && v.type === 'ready';
}
