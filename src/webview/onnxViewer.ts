/** Browser code of the .onnx viewer: asks for the summary with `ready` and renders what the host sends. */
import { isHostToOnnxViewer, type OnnxViewerToHost, type ViewerShow } from '../webviewProtocol/onnxViewer';
import type { OnnxViewRow } from '../analyzers/onnx/viewTypes';
import { el, table } from './dom';

interface VsCodeApi {
  postMessage(msg: OnnxViewerToHost): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();
const root = document.getElementById('root') as HTMLElement;

/** A table that scrolls sideways inside its own focusable region, so a narrow column never widens. */
function scrolling(caption: string, head: string[], rows: string[][]): HTMLElement {
  return el(
    'div',
    { class: 'table-wrap', role: 'region', 'aria-label': caption, tabindex: '0' },
    table(caption, head, rows),
  );
}

function render({ view, canProfile, batch }: ViewerShow): void {
  // The page renders again when the report's figures arrive: keep the keyboard where it was.
  const focused = document.activeElement?.id;
  const profile = el('button', { id: 'profile', type: 'button' }, 'Profile this model');
  if (!canProfile) {
    profile.setAttribute('disabled', '');
    profile.title = 'Profiling runs the model: it is available in trusted workspaces only.';
  }
  profile.addEventListener('click', () => api.postMessage({ type: 'profile' }));
  const batchInput = el('input', {
    id: 'batch',
    type: 'number',
    min: '1',
    max: '65536',
    value: String(batch),
    'aria-label': 'Batch size',
  });
  batchInput.addEventListener('change', () => {
    const b = Number(batchInput.value);
    if (Number.isInteger(b) && b >= 1 && b <= 65536) api.postMessage({ type: 'setBatch', batch: b });
  });
  const card = (r: OnnxViewRow) =>
    el(
      'div',
      { class: 'card', 'data-label': r.label },
      el('div', { class: 'label' }, r.label),
      el('div', { class: 'value' }, r.value),
      el('div', { class: 'source' }, r.source ?? ''),
    );
  const cards = el('section', { class: 'cards', 'aria-label': 'Cost summary' }, ...view.headline.map(card));
  // Energy, cost and grade as the report states them; they follow the report's settings and hardware.
  const figures = view.figures
    ? el(
        'section',
        { class: 'figures', 'aria-labelledby': 'figures-h' },
        el('h2', { id: 'figures-h' }, 'Energy, cost and grade (as in the report, batch 1)'),
        el('div', { class: 'cards' }, ...view.figures.map(card)),
      )
    : el('p', { class: 'muted', id: 'figures-pending' }, 'Working out energy, cost and grade…');
  root.replaceChildren(
    el(
      'header',
      {},
      el('h1', {}, view.title),
      el('div', { class: 'actions' }, el('label', { for: 'batch' }, 'Batch '), batchInput, profile),
    ),
    figures,
    cards,
    scrolling(
      'Model',
      ['Property', 'Value'],
      view.model.map((r) => [r.label, r.value]),
    ),
    scrolling(
      'Inputs',
      ['Name', 'Type', 'Declared shape', 'Shape used'],
      view.inputs.map((v) => [v.name, v.dtype, v.shape, v.resolved]),
    ),
    scrolling(
      'Outputs',
      ['Name', 'Type', 'Declared shape', 'Inferred shape'],
      view.outputs.map((v) => [v.name, v.dtype, v.shape, v.resolved]),
    ),
    scrolling(
      'Top nodes by MACs',
      ['Node', 'Op', 'MACs', 'Share', 'Output shape'],
      view.topNodes.map((n) => [n.name, n.op, n.macs, n.share, n.shape]),
    ),
    scrolling(
      'Parameters by type',
      ['Type', 'Elements', 'Bytes'],
      view.parametersByDtype.map((p) => [p.dtype, p.count, p.bytes]),
    ),
    scrolling(
      'Operators',
      ['Op', 'Count'],
      view.ops.map((o) => [o.op, String(o.count)]),
    ),
    ...(view.notes.length
      ? [
          el(
            'section',
            { class: 'notes' },
            el('h2', {}, 'Notes'),
            el('ul', {}, ...view.notes.map((n) => el('li', {}, n))),
          ),
        ]
      : []),
  );
  if (focused) document.getElementById(focused)?.focus();
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const msg = event.data;
  if (!isHostToOnnxViewer(msg)) return;
  if (msg.type === 'show') render(msg);
  else
    root.replaceChildren(
      el(
        'div',
        { class: 'error', role: 'alert' },
        el('h1', {}, 'This file could not be read'),
        el('p', {}, msg.message),
      ),
    );
});
api.postMessage({ type: 'ready' });
