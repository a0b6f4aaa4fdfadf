/**
 * Plain-data types of the profiler: what a variant is, what one measurement job asks for, and the
 * results a report panel, the CLI and the cache consume. Pure: no onnxruntime, no vscode.
 */
import type { Estimate } from '../energy/quantity';

/** The kinds of optimized variant GreenLens can build and measure. */
export type VariantKind =
  'baseline' | 'int8-dynamic' | 'int8-static' | 'fp16' | 'prune-local' | 'prune-global' | 'opt' | 'threads' | 'batch';

/** Graph optimization levels of onnxruntime (sessionOptions.graphOptimizationLevel). */
export type OptLevel = 'disabled' | 'basic' | 'extended' | 'all';

/** One variant to build and measure, parsed from a spec such as `prune-global:0.5` (see parseVariant). */
export interface VariantSpec {
  /** The spec as the user wrote it, normalised; unique within a run and used as the variant's id. */
  id: string;
  kind: VariantKind;
  /** int8-dynamic: op types to quantize (MatMul, Gemm, Conv). */
  ops?: string[];
  /** int8-dynamic / int8-static: one weight scale per output channel instead of one per tensor. */
  perChannel?: boolean;
  /** int8-static: how activation ranges are calibrated. */
  calibration?: 'minmax' | 'percentile';
  /** int8-static with percentile calibration: the percentile kept, e.g. 99.99. */
  percentile?: number;
  /** prune-*: fraction of weights set to zero, in (0, 1). */
  sparsity?: number;
  /** opt: graph optimization level; the optimized model is saved and measured. */
  level?: OptLevel;
  /** threads: onnxruntime intra-op thread count. */
  threads?: number;
  /** batch: batch size of the measured inputs. */
  batch?: number;
}

/** Where the measured inputs come from. */
export interface InputOptions {
  /** Values of symbolic dims by name (`batch`, `height`) or `input:axis`. */
  dims?: Record<string, number>;
  /** Known values of small inputs (e.g. `{ sr: [16000] }`), repeated for every sample. */
  values?: Record<string, number[]>;
  /** A dataset folder (inputs.npy, optional <input>.npy / <input>.json, labels.json); see docs/datasets.md. */
  datasetDir?: string;
  /** Batch size of the latency measurement (default 1). */
  batch?: number;
  /** Seed of the random inputs, so that every variant sees the same ones. */
  seed?: number;
  /** How many random samples the accuracy comparison uses when there is no dataset (default 32). */
  randomSamples?: number;
  /** At most this many dataset samples are used for accuracy (default: all). */
  maxSamples?: number;
}

/** Latency and resource figures of one variant. Times in milliseconds unless the name says otherwise. */
export interface VariantMetrics {
  loadMs: number;
  /** Time to build the variant's model file (rewrite, calibration, optimization), when there was one. */
  buildMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  meanMs: number;
  /**
   * Half-width of the 95 % confidence interval of the median time per run, as a percentage of the median:
   * from the medians of independent interleaved blocks, never narrower than the clock's granularity allows.
   */
  ciPct: number;
  repetitions: number;
  warmupRuns: number;
  /** Samples per second at the measured batch size. */
  throughput: number;
  batch: number;
  threads?: number;
  /** User + system CPU time of the measured loop per run, ms. */
  cpuMsPerRun: number;
  peakRssBytes: number;
  fileBytes: number;
  /** True when the time budget ended before the confidence target was reached. */
  budgetExhausted: boolean;
  /** Interleaved blocks (one per round) the figures come from. */
  blocks?: number;
  /** Runs timed together in each block. */
  runsPerBlock?: number;
}

/** A ratio against the baseline with its interval (95 %, or 99 % when foreign load rose): low ≤ value ≤ high. */
export interface RatioInterval {
  value: number;
  low: number;
  high: number;
}

/** What the speed-up interval says: faster or slower only when it excludes 1. */
export type SpeedVerdict = 'faster' | 'slower' | 'no measurable difference';

/** The machine's load and clock while a run measured. */
export interface LoadReport {
  /** CPUs kept busy by other processes in the first sample window of the measurement. */
  foreignCpusAtStart: number;
  /** Mean and highest foreign load over the measurement, CPUs. */
  foreignCpusMean: number;
  foreignCpusMax: number;
  /** True when foreign load rose during the measurement; the intervals are then 99 % instead of 95 %. */
  rose: boolean;
  /** Lowest and highest mean CPU clock seen, MHz, where readable. */
  cpuMhz?: { min: number; max: number };
  samples: number;
}

/** How the variants of a run were measured. */
export interface MeasurementInfo {
  method: 'interleaved';
  /** Rounds of randomized round-robin blocks (baseline included). */
  rounds: number;
  /** Duration aimed at per block, ms. */
  blockTargetMs: number;
  /** Smallest step of the clock, µs. */
  clockGranularityUs: number;
  /** Confidence level of every interval: 0.95, or 0.99 when foreign load rose. */
  level: number;
  /** Wall time of the interleaved loop, ms. */
  wallMs: number;
  /** Passes with freshly loaded sessions (the intervals include the spread between them); absent: one. */
  passes?: number;
  /**
   * The harness's own cost, percent of the measuring loop's wall time: bookkeeping between blocks plus the
   * clock reading and loop step of every timed run. Untimed lead-in runs are not counted in it.
   */
  overheadPct?: number;
  load?: LoadReport;
  /** Sentences for the user: load warnings, frequency changes, memory grouping. */
  notes: string[];
}

/** How close a variant's outputs are to the fp32 baseline's on the same inputs. */
export interface AccuracyImpact {
  samples: number;
  output: string;
  /** Share of samples whose arg-max agrees with the baseline's, 0..1 (classification-like outputs). */
  top1Agreement?: number;
  maxAbsError: number;
  meanAbsError: number;
  cosineSimilarity: number;
  /** Top-1 accuracy against the dataset labels, 0..1, when labels were given. */
  accuracy?: number;
  /** The baseline's accuracy on the same samples, so both numbers stand side by side. */
  baselineAccuracy?: number;
}

/** Energy per inference (one sample), with the meter or estimator that produced it. */
export interface EnergyReading {
  perInference: Estimate;
  /** `rapl:package-0+dram`, `nvml:total-energy-counter`, `nvidia-smi` (power integration), or `estimate:cpu-time`. */
  meter: string;
  /** Why a real meter was not used, when it was not (e.g. RAPL permissions). */
  meterNote?: string;
}

export type VariantStatus = 'measured' | 'not-applicable' | 'error' | 'cancelled';

/** The outcome of one variant. */
export interface VariantResult {
  id: string;
  kind: VariantKind;
  label: string;
  status: VariantStatus;
  /** Why the variant does not apply, or what went wrong, in words meant for the user. */
  reason?: string;
  /** Short facts about the rewrite (e.g. "13 MatMul quantized, per-channel"). */
  notes: string[];
  /** Marked when the variant targets GPUs but ran on a CPU (fp16). */
  gpuOriented?: boolean;
  metrics?: VariantMetrics;
  energy?: EnergyReading;
  accuracy?: AccuracyImpact;
  /**
   * Speed-up per sample against the baseline (baseline time ÷ variant time), the median over the
   * interleaved rounds of the paired ratio, with its interval.
   */
  speedup?: RatioInterval;
  /** Energy per sample of the variant ÷ the baseline's, paired over the same rounds (below 1: saves). */
  energyRatio?: RatioInterval;
  /** Faster or slower only when the speed-up interval excludes 1. */
  verdict?: SpeedVerdict;
  /** For a variant with no measurable difference: what a longer run could tell. */
  resolution?: string;
  /** With several passes, each pass's own speed-up (the combined interval includes their spread). */
  passSpeedups?: RatioInterval[];
  /** True when the result came from the cache. */
  cached?: boolean;
  /** Where the variant's model was written (in the storage dir). */
  modelPath?: string;
}

/** A description of the machine results are valid for; part of the cache key. */
export interface MachineFingerprint {
  cpu: string;
  cores: number;
  memoryBytes: number;
  platform: string;
  arch: string;
  ortVersion: string;
}

/** One profiling run over one model. */
export interface ProfileResult {
  modelPath: string;
  modelSha256: string;
  modelBytes: number;
  startedAt: string;
  durationMs: number;
  machine: MachineFingerprint;
  inputs: { source: 'random' | 'dataset'; description: string; labelled: boolean };
  budgetMs: number;
  variants: VariantResult[];
  /** Intra-op threads every variant ran with (absent count: onnxruntime's default) and why. */
  threads?: { count?: number; reason: string };
  /** How the variants were measured: rounds, block length, the clock, the machine's load. */
  measurement?: MeasurementInfo;
}

/** Streamed while a profile runs, so an editor can show one step per variant. */
export type ProfileProgress =
  | { type: 'run-started'; total: number; variants: string[]; warning?: string }
  | { type: 'variant-started'; index: number; total: number; id: string; label: string }
  | {
      type: 'variant-phase';
      id: string;
      phase: 'building' | 'loading' | 'warming-up' | 'measuring' | 'accuracy';
      repetitions?: number;
      ciPct?: number;
      pass?: number;
      passes?: number;
    }
  | { type: 'variant-finished'; index: number; total: number; result: VariantResult }
  | { type: 'run-finished'; result: ProfileResult };
