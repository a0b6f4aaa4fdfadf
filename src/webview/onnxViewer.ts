/** Browser code of the .onnx viewer: asks for the summary with `ready` and renders what the host sends. */
import { isHostToOnnxViewer, type OnnxViewerToHost, type ViewerShow } from '../webviewProtocol';
import { el, table } from './dom';

interface VsCodeApi { postMessage(msg: OnnxViewerToHost): void }
declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();
const root = document.getElementById('root') as HTMLElement;

function render({ view, canProfile, batch }: ViewerShow): void {
  const profile = el('button', { id: 'profile', type: 'button' }, 'Profile this model');
  if (!canProfile) {
    profile.setAttribute('disabled', '');
    profile.title = 'Profiling runs the model: it is available in trusted workspaces only.';
  }
  profile.addEventListener('click', () => api.postMessage({ type: 'profile' }));
  const batchInput = el('input', { id: 'batch', type: 'number', min: '1', max: '65536', value: String(batch), 'aria-label': 'Batch size' });
  batchInput.addEventListener('change', () => {
    const b = Number(batchInput.value);
    if (Number.isInteger(b) && b >= 1 && b <= 65536) api.postMessage({ type: 'setBatch', batch: b });
  });
  const cards = el('section', { class: 'cards', 'aria-label': 'Cost summary' }, ...view.headline.map((r) =>
    el('div', { class: 'card', 'data-label': r.label }, el('div', { class: 'label' }, r.label), el('div', { class: 'value' }, r.value), el('div', { class: 'source' }, r.source ?? ''))));
  root.replaceChildren(
    el('header', {}, el('h1', {}, view.title), el('div', { class: 'actions' }, el('label', { for: 'batch' }, 'Batch '), batchInput, profile)),
    cards,
    table('Model', ['Property', 'Value'], view.model.map((r) => [r.label, r.value])),
    table('Inputs', ['Name', 'Type', 'Declared shape', 'Shape used'], view.inputs.map((v) => [v.name, v.dtype, v.shape, v.resolved])),
    table('Outputs', ['Name', 'Type', 'Declared shape', 'Inferred shape'], view.outputs.map((v) => [v.name, v.dtype, v.shape, v.resolved])),
    table('Top nodes by MACs', ['Node', 'Op', 'GMACs', 'Share', 'Output shape'], view.topNodes.map((n) => [n.name, n.op, n.gmacs, n.share, n.shape])),
    table('Parameters by type', ['Type', 'Elements', 'Bytes'], view.parametersByDtype.map((p) => [p.dtype, p.count, p.bytes])),
    table('Operators', ['Op', 'Count'], view.ops.map((o) => [o.op, String(o.count)])),
    ...(view.notes.length ? [el('section', { class: 'notes' }, el('h2', {}, 'Notes'), el('ul', {}, ...view.notes.map((n) => el('li', {}, n))))] : []),
  );
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const msg = event.data;
  if (!isHostToOnnxViewer(msg)) return;
  if (msg.type === 'show') render(msg);
  else root.replaceChildren(el('div', { class: 'error', role: 'alert' }, el('h1', {}, 'This file could not be read'), el('p', {}, msg.message)));
});
api.postMessage({ type: 'ready' });
