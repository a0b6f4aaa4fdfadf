/**
 * Typed messages between the extension host and its webviews (the .onnx viewer and the report panel).
 * Each side validates what it receives with these guards: a webview is another trust domain.
 */
import type { OnnxView } from './analyzers/onnx/viewTypes';
import type { Report } from './report/types';
import { inSettingRange, SETTING_PATTERNS } from './settings';

export interface ViewerReady {
  type: 'ready';
}
export interface ViewerProfile {
  type: 'profile';
}
export interface ViewerSetBatch {
  type: 'setBatch';
  batch: number;
}
export type OnnxViewerToHost = ViewerReady | ViewerProfile | ViewerSetBatch;

export interface ViewerShow {
  type: 'show';
  view: OnnxView;
  canProfile: boolean;
  batch: number;
}
export interface ViewerError {
  type: 'error';
  message: string;
}
export type HostToOnnxViewer = ViewerShow | ViewerError;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isOnnxViewerToHost(v: unknown): v is OnnxViewerToHost {
  if (!isObject(v)) return false;
  if (v.type === 'ready' || v.type === 'profile') return Object.keys(v).length === 1;
  if (v.type === 'setBatch') return Number.isInteger(v.batch) && inSettingRange('onnxBatchSize', v.batch);
  return false;
}

export function isHostToOnnxViewer(v: unknown): v is HostToOnnxViewer {
  if (!isObject(v)) return false;
  if (v.type === 'show') return isObject(v.view) && typeof v.canProfile === 'boolean' && typeof v.batch === 'number';
  if (v.type === 'error') return typeof v.message === 'string';
  return false;
}

// ---------------------------------------------------------------------------------------------------------
// The report panel. The page never sends code edits, paths to write or anything it could forge into an
// action: it names a recommendation or a model of the report it was shown, and the host looks the action
// up in its own copy of the report.

/** Longest id, model id or file name the page may send; longer strings are rejected, not truncated. */
export const MAX_REPORT_STRING = 1024;
/** Largest 1-based line number the page may ask to open. */
export const MAX_LINE = 10_000_000;

export const EXPORT_FORMATS = ['html', 'md', 'json', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
/** What a recommendation button does: its own action (save the variant, apply the edit) or open its rule's page. */
export const ACTION_KINDS = ['saveVariant', 'applyEdit', 'openRule'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

export interface ReportReady {
  type: 'ready';
}
/** Sent after each render: what the page shows, read back from its own DOM (the host logs and tests use it). */
export interface ReportRendered {
  type: 'rendered';
  modelId: string;
  modelNames: string[];
  tableRows: number;
  charts: number;
  /** Elements the page must never contain (img, script, iframe, object, embed) found in its content. */
  activeElements: number;
}
export interface ReportRunAction {
  type: 'runAction';
  recommendationId: string;
  action: ActionKind;
}
export interface ReportRequestProfile {
  type: 'requestProfile';
  modelId: string;
}
export interface ReportExport {
  type: 'exportReport';
  format: ExportFormat;
}
export interface ReportOpenFile {
  type: 'openFile';
  file: string;
  line?: number;
}
export type ReportToHost =
  ReportReady | ReportRendered | ReportRunAction | ReportRequestProfile | ReportExport | ReportOpenFile;

export interface ReportShow {
  type: 'showReport';
  report: Report;
  /** The model whose section to show, when the host asks for one (Models view, a finished profile). */
  focusModelId?: string;
  /** Whether actions that change files or run models are offered (trusted workspace). */
  canAct: boolean;
}
export interface ReportFocus {
  type: 'focusModel';
  modelId: string;
}
export interface ReportBusy {
  type: 'busy';
  message: string;
}
export interface ReportFailed {
  type: 'error';
  message: string;
}
export type HostToReport = ReportShow | ReportFocus | ReportBusy | ReportFailed;

function hasKeys(v: Record<string, unknown>, required: readonly string[], optional: readonly string[] = []): boolean {
  const keys = Object.keys(v);
  return required.every((k) => k in v) && keys.every((k) => required.includes(k) || optional.includes(k));
}

function isShortString(v: unknown, max = MAX_REPORT_STRING): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= max;
}

function isStringList(v: unknown, maxItems: number): v is string[] {
  return (
    Array.isArray(v) && v.length <= maxItems && v.every((s) => typeof s === 'string' && s.length <= MAX_REPORT_STRING)
  );
}

function isCount(v: unknown): v is number {
  return Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 1_000_000;
}

/** Validates a message from the report page; anything else (extra keys, wrong types, huge strings) is rejected. */
export function isReportToHost(v: unknown): v is ReportToHost {
  if (!isObject(v)) return false;
  switch (v.type) {
    case 'ready':
      return hasKeys(v, ['type']);
    case 'rendered':
      return (
        hasKeys(v, ['type', 'modelId', 'modelNames', 'tableRows', 'charts', 'activeElements']) &&
        typeof v.modelId === 'string' &&
        v.modelId.length <= MAX_REPORT_STRING &&
        isStringList(v.modelNames, 1000) &&
        isCount(v.tableRows) &&
        isCount(v.charts) &&
        isCount(v.activeElements)
      );
    case 'runAction':
      return (
        hasKeys(v, ['type', 'recommendationId', 'action']) &&
        isShortString(v.recommendationId) &&
        (ACTION_KINDS as readonly unknown[]).includes(v.action)
      );
    case 'requestProfile':
      return hasKeys(v, ['type', 'modelId']) && isShortString(v.modelId);
    case 'exportReport':
      return hasKeys(v, ['type', 'format']) && (EXPORT_FORMATS as readonly unknown[]).includes(v.format);
    case 'openFile':
      return (
        hasKeys(v, ['type', 'file'], ['line']) &&
        isShortString(v.file) &&
        (v.line === undefined ||
          (Number.isInteger(v.line) && (v.line as number) >= 1 && (v.line as number) <= MAX_LINE))
      );
    default:
      return false;
  }
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** An Estimate as the renderer reads it: finite numbers, a unit, a provenance and a method. */
export function isEstimateShape(v: unknown): boolean {
  return (
    isObject(v) &&
    isFiniteNumber(v.value) &&
    isFiniteNumber(v.low) &&
    isFiniteNumber(v.high) &&
    typeof v.unit === 'string' &&
    (v.provenance === 'measured' || v.provenance === 'estimated') &&
    typeof v.method === 'string' &&
    Array.isArray(v.sources) &&
    (v.notes === undefined || Array.isArray(v.notes))
  );
}

function isYearlyShape(v: unknown): boolean {
  return isObject(v) && isEstimateShape(v.energy) && isEstimateShape(v.co2) && isEstimateShape(v.cost);
}

function isModelShape(v: unknown): boolean {
  return (
    isObject(v) &&
    typeof v.id === 'string' &&
    typeof v.name === 'string' &&
    typeof v.file === 'string' &&
    (v.kind === 'onnx' || v.kind === 'python-site') &&
    Array.isArray(v.findings) &&
    Array.isArray(v.notes) &&
    (v.yearly === undefined || isYearlyShape(v.yearly))
  );
}

const SERIES = ['model', 'variant', 'alternative'];
function isPointShape(v: unknown): boolean {
  return (
    isObject(v) &&
    typeof v.modelId === 'string' &&
    typeof v.label === 'string' &&
    SERIES.includes(v.series as string) &&
    isEstimateShape(v.energyPerInference) &&
    typeof v.onFrontier === 'boolean' &&
    (v.quality === undefined ||
      (isObject(v.quality) && isFiniteNumber(v.quality.value) && typeof v.quality.metric === 'string')) &&
    (v.latencyMs === undefined ||
      (isObject(v.latencyMs) &&
        isFiniteNumber(v.latencyMs.value) &&
        isFiniteNumber(v.latencyMs.low) &&
        isFiniteNumber(v.latencyMs.high))) &&
    (v.yearly === undefined || isYearlyShape(v.yearly))
  );
}

const VERDICTS = ['worth-it', 'marginal', 'not-worth-it'];
function isRecommendationShape(v: unknown): boolean {
  return (
    isObject(v) &&
    typeof v.id === 'string' &&
    typeof v.modelId === 'string' &&
    typeof v.title === 'string' &&
    VERDICTS.includes(v.verdict as string) &&
    isYearlyShape(v.savings) &&
    isObject(v.breakEven) &&
    typeof v.breakEven.worthIt === 'boolean' &&
    typeof v.breakEven.message === 'string' &&
    isStringList(v.evidence, 100)
  );
}

/**
 * Validates a report before the page renders it (from the host, or from the data island of an exported
 * file). Deep enough that rendering cannot throw on a missing field; every string is later set as text.
 */
export function isReportShape(v: unknown): v is Report {
  if (!isObject(v) || v.schemaVersion !== 1 || typeof v.workspace !== 'string' || typeof v.generatedAt !== 'string')
    return false;
  const a = v.assumptions;
  if (
    !isObject(a) ||
    !isFiniteNumber(a.inferencesPerDay) ||
    !isObject(a.electricity) ||
    !isFiniteNumber(a.electricity.perKWh) ||
    typeof a.electricity.currency !== 'string' ||
    !isEstimateShape(a.carbonIntensity) ||
    !isObject(a.hardware) ||
    typeof a.hardware.name !== 'string'
  )
    return false;
  if (!isObject(v.summary) || typeof v.summary.text !== 'string') return false;
  return (
    Array.isArray(v.models) &&
    v.models.every(isModelShape) &&
    Array.isArray(v.points) &&
    v.points.every(isPointShape) &&
    Array.isArray(v.recommendations) &&
    v.recommendations.every(isRecommendationShape)
  );
}

/** Validates a message from the host to the report page. */
export function isHostToReport(v: unknown): v is HostToReport {
  if (!isObject(v)) return false;
  switch (v.type) {
    case 'showReport':
      return (
        isReportShape(v.report) &&
        typeof v.canAct === 'boolean' &&
        (v.focusModelId === undefined || typeof v.focusModelId === 'string')
      );
    case 'focusModel':
      return typeof v.modelId === 'string';
    case 'busy':
    case 'error':
      return typeof v.message === 'string';
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------------------------------------
// The Overview in the side bar. Like the report page, it names recommendations and models of the report it
// was shown; the settings it writes are checked here and sanitized again by the settings store.

/** The quick controls' current values and what the hardware resolved to. */
export interface OverviewControls {
  inferencesPerDay: number;
  carbonRegion: string;
  /** The hardware setting (`auto` or a name) and the device the estimates are for. */
  hardwareProfile: string;
  hardwareName: string;
}

export interface OverviewShow {
  type: 'showOverview';
  report: Report;
  /** The model the chart and figures are for (the active editor's, else the first with a chart). */
  modelId?: string;
  controls: OverviewControls;
  canAct: boolean;
}
export type HostToOverview = OverviewShow | ReportFocus | ReportBusy | ReportFailed;

export interface OverviewRendered {
  type: 'rendered';
  modelId: string;
  recommendations: number;
  charts: number;
  headline: string;
}
export interface OverviewSelect {
  type: 'selectModel';
  modelId: string;
}
export interface OverviewOpenReport {
  type: 'openReport';
  modelId?: string;
}
export interface OverviewSetWorkload {
  type: 'setWorkload';
  inferencesPerDay: number;
}
export interface OverviewSetRegion {
  type: 'setRegion';
  region: string;
}
export interface OverviewChooseHardware {
  type: 'chooseHardware';
}
export type OverviewToHost =
  | ReportReady
  | OverviewRendered
  | OverviewSelect
  | OverviewOpenReport
  | OverviewSetWorkload
  | OverviewSetRegion
  | OverviewChooseHardware
  | ReportRunAction
  | ReportOpenFile;

/** The longest region the page may send: a cloud provider's region name is far shorter. */
const MAX_REGION = 80;

/** Validates a message from the Overview; anything else (extra keys, wrong types, huge strings) is rejected. */
export function isOverviewToHost(v: unknown): v is OverviewToHost {
  if (!isObject(v)) return false;
  switch (v.type) {
    case 'ready':
    case 'chooseHardware':
      return hasKeys(v, ['type']);
    case 'rendered':
      return (
        hasKeys(v, ['type', 'modelId', 'recommendations', 'charts', 'headline']) &&
        typeof v.modelId === 'string' &&
        v.modelId.length <= MAX_REPORT_STRING &&
        isCount(v.recommendations) &&
        isCount(v.charts) &&
        typeof v.headline === 'string' &&
        v.headline.length <= MAX_REPORT_STRING
      );
    case 'selectModel':
      return hasKeys(v, ['type', 'modelId']) && isShortString(v.modelId);
    case 'openReport':
      return hasKeys(v, ['type'], ['modelId']) && (v.modelId === undefined || isShortString(v.modelId));
    case 'setWorkload':
      return hasKeys(v, ['type', 'inferencesPerDay']) && inSettingRange('inferencesPerDay', v.inferencesPerDay);
    case 'setRegion':
      return (
        hasKeys(v, ['type', 'region']) &&
        typeof v.region === 'string' &&
        v.region.length <= MAX_REGION &&
        SETTING_PATTERNS.carbonRegion.test(v.region)
      );
    case 'runAction':
    case 'openFile':
      return isReportToHost(v);
    default:
      return false;
  }
}

/** Validates a message from the host to the Overview. */
export function isHostToOverview(v: unknown): v is HostToOverview {
  if (!isObject(v)) return false;
  if (v.type !== 'showOverview') return isHostToReport(v) && v.type !== 'showReport';
  const c = v.controls;
  return (
    isReportShape(v.report) &&
    typeof v.canAct === 'boolean' &&
    (v.modelId === undefined || typeof v.modelId === 'string') &&
    isObject(c) &&
    isFiniteNumber(c.inferencesPerDay) &&
    typeof c.carbonRegion === 'string' &&
    typeof c.hardwareProfile === 'string' &&
    typeof c.hardwareName === 'string'
  );
}
