/**
 * What `buildReport` needs: everything already computed by the analyzers, the profiler and the hardware
 * resolution, as plain data. The caller (CLI pipeline, extension host) gathers it; the builder does no
 * I/O, so the same inputs always give the same report.
 */
import type { OnnxSummary } from '../analyzers/onnx/summary';
import type { PythonAnalysis } from '../analyzers/python/types';
import type { Device } from '../energy/hardware';
import type { ProfileResult } from '../profiler/types';
import type { Settings } from '../settings';

/** The settings the report reads (already sanitized by `sanitizeSettings`). */
export type ReportSettings = Pick<
  Settings,
  'electricityPrice' | 'currency' | 'carbonRegion' | 'carbonIntensity' | 'inferencesPerDay' | 'accuracyTolerance'
> &
  Partial<Pick<Settings, 'deploymentTarget' | 'deploymentBatch'>>;

/** One ONNX file of the workspace: its summary, or why it could not be read. */
export interface ReportOnnxInput {
  /** Workspace-relative path, forward slashes. */
  file: string;
  summary?: OnnxSummary;
  error?: string;
}

/** One Python file of the workspace with its analysis, or why it has none. */
export interface ReportPythonInput {
  /** Workspace-relative path, forward slashes. */
  file: string;
  analysis?: PythonAnalysis;
  error?: string;
  /**
   * The file's text when the caller has it: needed only to build the edit that swaps a model id for a
   * greener catalog alternative. Without it, alternatives are still listed, with no edit.
   */
  source?: string;
}

/**
 * The one-off cost of acting on a recommendation, used for break-even times. Engineer time is the real
 * cost of adopting a variant or another model (building it is seconds; validating it is hours), so it is
 * stated as hours × a rate in the user's currency rather than hidden.
 */
export interface OneOffCostAssumption {
  /** Cost of one engineer hour, in the report's currency. */
  hourlyRate: number;
  /** Hours to validate and ship a measured variant (quantized or optimized model). */
  variantHours: number;
  /** Hours to swap in and validate another model (possibly re-fine-tuned). */
  alternativeHours: number;
  /** Hours to apply and check a small code change (inference_mode, eval(), ...). */
  codeChangeHours: number;
  /** Where the figures come from, shown in the evidence. */
  source: string;
}

/** Everything the report is built from. */
export interface ReportInputs {
  /** The workspace folder's name (never its absolute path). */
  workspace: string;
  toolVersion: string;
  /** ISO 8601 time stamp; passed in so that the builder stays deterministic. */
  generatedAt: string;
  settings: ReportSettings;
  /** The device estimates are made for, and how it was chosen ("detected", "setting greenlens.hardware.profile"). */
  hardware: { device: Device; source: string; notes?: string[] };
  onnx: ReportOnnxInput[];
  python: ReportPythonInput[];
  /** The latest profile of an ONNX file, keyed by the same workspace-relative path as `onnx[].file`. */
  profiles?: Record<string, ProfileResult>;
  /** Overrides the default one-off cost assumption (DEFAULT_ONE_OFF_COST in build.ts). */
  oneOffCost?: OneOffCostAssumption;
}
