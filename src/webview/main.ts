/**
 * Browser entry of the report page. In the VS Code panel it restores the last report from the webview
 * state at once (a reload shows content before the host answers), says `ready`, and renders what the host
 * sends. Outside VS Code (the exported HTML file) it reads the report from the page's JSON data island and
 * offers no actions. Every message is validated before use, in both directions.
 */
import { isHostToReport, type ReportToHost } from '../webviewProtocol/report';
import { isReportShape } from '../webviewProtocol/reportShape';
import { ReportPage, type PageState } from './report/app';
import type { HostActions } from './report/sections';

interface VsCodeApi {
  postMessage(msg: ReportToHost): void;
  getState(): unknown;
  setState(state: PageState): void;
}
declare const acquireVsCodeApi: (() => VsCodeApi) | undefined;

/** The id of the exported page's `<script type="application/json">` holding the report. */
const DATA_ID = 'greenlens-report';

const root = document.getElementById('root') as HTMLElement;
// The shell marks #root live for short pages; this one re-renders whole sections, which a screen reader
// would read out in full: changes are announced through the page's own status line instead.
root.removeAttribute('aria-live');

function restored(state: unknown): PageState | undefined {
  if (typeof state !== 'object' || state === null) return undefined;
  const s = state as Partial<PageState>;
  return isReportShape(s.report) ? (s as PageState) : undefined;
}

function inPanel(api: VsCodeApi): void {
  const host: HostActions = {
    canAct: false,
    runAction: (recommendationId, action) => api.postMessage({ type: 'runAction', recommendationId, action }),
    requestProfile: (modelId) => api.postMessage({ type: 'requestProfile', modelId }),
    exportReport: (format) => api.postMessage({ type: 'exportReport', format }),
    openFile: (file, line) =>
      api.postMessage(line === undefined ? { type: 'openFile', file } : { type: 'openFile', file, line }),
  };
  const page = new ReportPage(
    root,
    host,
    (s) => api.setState(s),
    (r) => api.postMessage({ type: 'rendered', ...r }),
  );
  const previous = restored(api.getState());
  if (previous) page.show(previous.report, previous.modelId, previous.sort);
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const msg = event.data;
    if (!isHostToReport(msg)) {
      console.warn('GreenLens report: ignored a malformed message from the host.');
      return;
    }
    if (msg.type === 'showReport') {
      host.canAct = msg.canAct;
      page.show(msg.report, msg.focusModelId);
      if (msg.focusModelId) page.focus(msg.focusModelId);
    } else if (msg.type === 'focusModel') page.focus(msg.modelId);
    else if (msg.type === 'busy') page.message(msg.message, 'status');
    else page.message(msg.message, 'alert');
  });
  api.postMessage({ type: 'ready' });
}

function standalone(): void {
  const data = document.getElementById(DATA_ID);
  let report: unknown;
  try {
    report = JSON.parse(data?.textContent ?? 'null');
  } catch {
    report = undefined;
  }
  const page = new ReportPage(
    root,
    undefined,
    () => {},
    () => {},
  );
  if (isReportShape(report)) page.show(report);
  else page.message('This file holds no readable GreenLens report.', 'alert');
}

if (typeof acquireVsCodeApi === 'function') inPanel(acquireVsCodeApi());
else standalone();
