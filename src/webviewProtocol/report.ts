/**
 * Typed messages between the extension host and the report panel. The page never sends code edits, paths to
 * write or anything it could forge into an action: it names a recommendation or a model of the report it was
 * shown, and the host looks the action up in its own copy of the report.
 */
import type { Report } from '../report/types';
import { hasKeys, isCount, isObject, isShortString, isStringList, MAX_REPORT_STRING } from './guards';
import { isReportShape } from './reportShape';

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
