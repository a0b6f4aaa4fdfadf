/** Browser code of the report panel. It says `ready` and renders what the host sends. */
interface VsCodeApi {
  postMessage(msg: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscodeApi = acquireVsCodeApi();
window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const msg = event.data as { type?: unknown };
  if (msg && msg.type === 'showReport') {
    vscodeApi.setState(msg);
    const root = document.getElementById('root');
    if (root) root.textContent = 'Report received.';
  }
});
vscodeApi.postMessage({ type: 'ready' });
