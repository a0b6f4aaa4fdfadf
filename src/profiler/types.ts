/**
 * Plain-data types of the profiler: what a variant is, what one measurement job asks for, and the
 * results a report panel, the CLI and the cache consume. Pure: no onnxruntime, no vscode.
 */
import type { Estimate } from '../energy/quantity';

/** The kinds of optimized variant GreenLens can build and measure. */
export type VariantKind =
  | 'baseline'
  | 'int8-dynamic'
  | 'int8-static'
  | 'fp16'
  | 'prune-local'
  | 'prune-global'
  | 'opt'
  | 'threads'
  | 'batch';

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
  /** Half-width of the 95 % confidence interval of the median, as a percentage of the median. */
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
  /**
   * Per-run latencies of the timing loop in run order, ms. The worker sends them so that the host can
   * pool a top-up measurement with the first one; profileModel drops them from its results.
   */
  latenciesMs?: number[];
  /** Timing loops pooled into these figures: 1, or more when the run's spare time topped this variant up. */
  passes?: number;
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
  /** Speed-up of the median latency per sample relative to the baseline. */
  speedup?: number;
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
}

/** Streamed while a profile runs, so an editor can show one step per variant. */
export type ProfileProgress =
  | { type: 'run-started'; total: number; variants: string[] }
  | { type: 'variant-started'; index: number; total: number; id: string; label: string }
  | { type: 'variant-phase'; id: string; phase: 'building' | 'loading' | 'warming-up' | 'measuring' | 'accuracy'; repetitions?: number; ciPct?: number }
  | { type: 'variant-finished'; index: number; total: number; result: VariantResult }
  | { type: 'run-finished'; result: ProfileResult };
