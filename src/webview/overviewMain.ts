/**
 * Browser entry of the Overview in the GreenLens side bar. It restores the last state at once (a reload
 * shows content before the host answers), says `ready`, and renders what the host sends. Every message is
 * validated before use, in both directions.
 */
import { isHostToOverview, type OverviewToHost } from '../webviewProtocol/overview';
import { isReportShape } from '../webviewProtocol/reportShape';
import { OverviewPage, type OverviewState } from './overview/page';

interface VsCodeApi {
  postMessage(msg: OverviewToHost): void;
  getState(): unknown;
  setState(state: OverviewState): void;
}
declare const acquireVsCodeApi: () => VsCodeApi;

const api = acquireVsCodeApi();
const root = document.getElementById('root') as HTMLElement;
// Whole sections are re-rendered: changes are announced through the page's own status line instead.
root.removeAttribute('aria-live');
const page = new OverviewPage(
  root,
  (m) => api.postMessage(m),
  (s) => api.setState(s),
);

const previous = api.getState() as Partial<OverviewState> | undefined;
if (previous && isReportShape(previous.report) && previous.controls) page.show(previous as OverviewState);

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const msg = event.data;
  if (!isHostToOverview(msg)) {
    console.warn('GreenLens overview: ignored a malformed message from the host.');
    return;
  }
  if (msg.type === 'showOverview')
    page.show({
      report: msg.report,
      controls: msg.controls,
      canAct: msg.canAct,
      ...(msg.modelId ? { modelId: msg.modelId } : {}),
    });
  else if (msg.type === 'focusModel') page.focus(msg.modelId);
  else if (msg.type === 'busy') page.message(msg.message, 'status');
  else page.message(msg.message, 'alert');
});
api.postMessage({ type: 'ready' });
