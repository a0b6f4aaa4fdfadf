/**
 * Typed messages between the extension host and the Overview in the side bar. Like the report page, it names
 * recommendations and models of the report it was shown; the settings it writes are checked here and
 * sanitized again by the settings store.
 */
import type { Report } from '../report/types';
import { inSettingRange, SETTING_PATTERNS } from '../settings';
import { hasKeys, isCount, isFiniteNumber, isObject, isShortString, MAX_REPORT_STRING } from './guards';
import {
  isHostToReport,
  isReportToHost,
  type ReportBusy,
  type ReportFailed,
  type ReportFocus,
  type ReportOpenFile,
  type ReportReady,
  type ReportRunAction,
} from './report';
import { isReportShape } from './reportShape';

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
