/**
 * The report model: one plain-data document joining a workspace's models, their static estimates, catalog
 * alternatives, measured profiles and ranked recommendations. Built by `buildReport` (pure), rendered by
 * the exporters (HTML, Markdown, JSON, CSV) and by the report panel. JSON-serializable on purpose: the
 * same object is written to report.json, posted to the webview and kept in its state for a reload.
 * Pure: no vscode, no onnxruntime.
 */
import type { Estimate } from '../energy/quantity';
import type { BreakEven, YearlyImpact } from '../energy/workload';
import type { ProfileResult } from '../profiler/types';
import type { TextEdit } from '../analyzers/python/types';

/** Bumped on any incompatible change of the JSON shape; docs/report-schema.md documents each version. */
export const REPORT_SCHEMA_VERSION = 1;

/** The workload and prices the yearly figures assume, with where each came from. */
export interface ReportAssumptions {
  inferencesPerDay: number;
  /** Price per kWh and its currency (ISO 4217), and whether it is the default or a user setting. */
  electricity: { perKWh: number; currency: string; source: string };
  /** Grid carbon intensity, gCO2e/kWh, with its band and source. */
  carbonIntensity: Estimate;
  /** Hardware the estimates are for (detected, or the user's setting), and how it was chosen. */
  hardware: { name: string; source: string };
  /** Where the model serves in production, which the yearly figures use, and how they were scaled to it. */
  deployment?: { target: string; batch: number; method: string };
  /** Top-1 points of accuracy a user accepts to lose for a greener option. */
  accuracyTolerance: number;
  /**
   * The one-off cost of acting on a recommendation (engineer hours × rate, in `electricity.currency`),
   * which break-even times divide by the yearly savings.
   */
  oneOffCost?: {
    hourlyRate: number;
    variantHours: number;
    alternativeHours: number;
    codeChangeHours: number;
    currency: string;
    source: string;
  };
  /** What the user should know about these assumptions (fallbacks, unknown hardware). */
  notes?: string[];
}

/** A static, counted-not-run description of an ONNX file (batch 1 unless `dims` says otherwise). */
export interface StaticCost {
  params?: number;
  gmacs?: number;
  peakActivationBytes?: number;
  /** Share of the graph's nodes whose cost could be counted, 0..1. */
  coverage?: number;
  /** Energy per inference estimated from MACs on the assumed hardware. */
  energyPerInference?: Estimate;
}

/** What the catalog knows about a model named in code. */
export interface CatalogFacts {
  name: string;
  library: string;
  top1: number;
  gmacs: number;
  grade: string;
  /** The grade as users see it: reference device, letter range, absolute energy (see docs/grades.md). */
  gradeLabel?: string;
  /** The device whose accuracy–energy frontier the grade is relative to; absent in reports of older versions. */
  referenceDevice?: string;
  /** The letters the entry's energy band spans, when it straddles a grade boundary. */
  gradeRange?: [string, string];
  /** A test network of timm's: kept so that its name resolves, never graded (its letter is not shown). */
  testNetwork?: true;
  energyPerInference: Estimate;
  source: string;
}

/** A green-rule hit kept in the report (a subset of the analyzer's Finding, with its file). */
export interface ReportFinding {
  ruleId: string;
  message: string;
  severity: 'hint' | 'information' | 'warning' | 'error';
  file: string;
  /** 1-based. */
  line: number;
  /** A previewable code change, when the rule has one. */
  fix?: { title: string; edits: TextEdit[] };
}

/** One model of the workspace: an ONNX file, or a model site in Python code. */
export interface ReportModel {
  /** Stable key: `onnx:<relative path>` or `py:<relative path>:<line>`. */
  id: string;
  kind: 'onnx' | 'python-site';
  /** Display name: file name or the model id in code (`resnet50`). */
  name: string;
  /** Workspace-relative path, forward slashes. */
  file: string;
  /** 1-based line of a Python site. */
  line?: number;
  framework?: string;
  static?: StaticCost;
  catalog?: CatalogFacts;
  /** The latest profile on this machine, when one was run. */
  profile?: ProfileResult;
  /** Yearly energy, CO2e and cost of the model as it is now, at the assumed workload. */
  yearly?: YearlyImpact;
  findings: ReportFinding[];
  /** Why something could not be computed (unreadable file, model not in catalog). */
  notes: string[];
}

/** Which quality measure a chart point's y value is. */
export type QualityMetric = 'accuracy' | 'agreement' | 'imagenet-top1';

/** A point of the energy / quality trade-off chart. */
export interface TradeoffPoint {
  modelId: string;
  /** `model`: the user's model as it is; `variant`: a measured variant; `alternative`: a catalog model. */
  series: 'model' | 'variant' | 'alternative';
  label: string;
  /** Variant id for `variant` points, catalog name for `alternative` points. */
  ref?: string;
  energyPerInference: Estimate;
  /** 0..100; absent when nothing says how good the point is. */
  quality?: { value: number; metric: QualityMetric; source: string };
  /** Median latency per sample, ms, with its 95 % CI for measured points. */
  latencyMs?: { value: number; low: number; high: number };
  yearly?: YearlyImpact;
  /** True when no other point of the same model has both lower energy and higher quality. */
  onFrontier: boolean;
}

/** What a user can do about a recommendation, from the panel. */
export type ReportAction =
  | { type: 'saveVariant'; modelId: string; variantId: string; modelPath: string }
  | { type: 'applyEdit'; file: string; title: string; edits: TextEdit[] }
  | { type: 'openRule'; ruleId: string };

export type Verdict = 'worth-it' | 'marginal' | 'not-worth-it';

/** A ranked suggestion with its yearly savings at the assumed workload and its evidence. */
export interface ReportRecommendation {
  id: string;
  modelId: string;
  kind: 'variant' | 'alternative-model' | 'code-change';
  title: string;
  /** Positive = saves. */
  savings: YearlyImpact;
  /** Accuracy change in points (negative = less accurate), with the metric it is in. */
  qualityDelta?: { points: number; metric: QualityMetric };
  breakEven: BreakEven;
  verdict: Verdict;
  /** Short sentences a user can check: which measurement or table, which method, the uncertainty. */
  evidence: string[];
  action?: ReportAction;
  /** The green rule behind a code change (or GL012 for a catalog alternative), for a link to its page. */
  ruleId?: string;
  /**
   * Set when the savings could not be quantified (a code change nobody measured here): `savings` is then
   * zero, the verdict is 'marginal', and this says why and how to measure it.
   */
  unquantified?: string;
}

/** The whole report. */
export interface Report {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  generatedAt: string;
  /** The workspace folder's name (not its absolute path, which may be private). */
  workspace: string;
  tool: { name: 'GreenLens'; version: string };
  assumptions: ReportAssumptions;
  models: ReportModel[];
  points: TradeoffPoint[];
  /** Sorted by yearly energy saved, largest first; "not worth it" ones last. */
  recommendations: ReportRecommendation[];
  /**
   * A one-line workspace summary, e.g. "≈ 1.2 kWh/yr · grade C (RTX 3090)"; `gradeDevice` is the device
   * `worstGrade` is relative to (absent in reports of older versions).
   */
  summary: {
    yearlyEnergy?: Estimate;
    worstGrade?: string;
    gradeDevice?: string;
    models: number;
    profiled: number;
    text: string;
  };
}
