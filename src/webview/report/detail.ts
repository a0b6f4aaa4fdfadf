/**
 * One model's section: a picker, its facts and notes, the trade-off and bar charts, and the sortable table
 * of its variants and alternatives, which holds every figure the charts draw (for screen readers and for
 * anyone who prefers numbers).
 */
import { formatCount, formatNumber } from '../../energy/quantity';
import type { Report, ReportModel, TradeoffPoint } from '../../report/types';
import { gradeShort } from '../../report/gradeText';
import { countText } from '../../report/wording';
import { el, withCode } from '../dom';
import { badge, type HostActions } from './sections';
import { barsFor, COLUMNS, frontierLine, meterOf, modelOptionText, sortRows, tableRows, type SortState } from './view';

export interface DetailCallbacks {
  onSelect(id: string): void;
  onSort(key: SortState['key']): void;
}

function facts(m: ReportModel): HTMLElement {
  const rows: [string, string][] = [['Where', `${m.file}${m.line ? `:${m.line}` : ''}`]];
  if (m.framework) rows.push(['Framework', m.framework]);
  const s = m.static;
  if (s?.params !== undefined)
    rows.push(['Parameters', `${formatCount(s.params)} (${s.params.toLocaleString('en-US')})`]);
  if (s?.gmacs !== undefined)
    rows.push([
      'Compute',
      `${formatCount(s.gmacs * 1e9, 'MACs')} per inference (counted from the graph${s.coverage !== undefined && s.coverage < 1 ? `, ${formatNumber(s.coverage * 100)} % of it` : ''})`,
    ]);
  if (m.catalog)
    rows.push([
      'Catalog',
      `${m.catalog.name} (${m.catalog.library}): top-1 ${formatNumber(m.catalog.top1)} %, ${formatCount(m.catalog.gmacs * 1e9, 'MACs')}, grade ${m.catalog.gradeLabel ?? gradeShort(m.catalog)}`,
    ]);
  if (m.profile)
    rows.push([
      'Profiled',
      `${m.profile.variants.filter((v) => v.status === 'measured').length} of ${countText(m.profile.variants.length, 'variant')} measured on ${m.profile.machine.cpu} (${m.profile.inputs.description})`,
    ]);
  return el('dl', { class: 'facts' }, ...rows.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
}

function picker(report: Report, selected: string, onSelect: (id: string) => void): HTMLElement {
  const select = el('select', { id: 'model-select' });
  for (const m of report.models) {
    const o = el('option', { value: m.id }, modelOptionText(m));
    if (m.id === selected) o.selected = true;
    select.append(o);
  }
  select.addEventListener('change', () => onSelect(select.value));
  return el('div', { class: 'picker' }, el('label', { for: 'model-select' }, 'Model '), select);
}

/** The sortable table of a model's points: header buttons sort, aria-sort says how. */
export function variantsTable(
  report: Report,
  model: ReportModel,
  points: readonly TradeoffPoint[],
  sort: SortState,
  onSort: (key: SortState['key']) => void,
): HTMLTableElement {
  const rows = sortRows(tableRows(points), sort);
  const head = COLUMNS.map((c) => {
    const th = el('th', { scope: 'col', 'data-key': c.key, ...(c.key === sort.key ? { 'aria-sort': sort.dir } : {}) });
    const b = el(
      'button',
      { type: 'button', class: 'sort' },
      c.title,
      el(
        'span',
        { class: 'sort-mark', 'aria-hidden': 'true' },
        c.key === sort.key ? (sort.dir === 'ascending' ? ' ▲' : ' ▼') : '',
      ),
    );
    b.addEventListener('click', () => onSort(c.key));
    th.append(b);
    return th;
  });
  const body = rows.map((r) =>
    el(
      'tr',
      { class: `series-${r.point.series}` },
      ...COLUMNS.map((c, i) => {
        const cell = r.cells[c.key];
        const node =
          i === 0 ? el('th', { scope: 'row' }, cell.text) : el('td', c.numeric ? { class: 'num' } : {}, cell.text);
        if (c.key === 'energy') node.append(' ', badge(r.point.energyPerInference, meterOf(report, r.point)));
        return node;
      }),
    ),
  );
  return el(
    'table',
    { id: 'variants-table', class: 'sortable' },
    el('caption', {}, `Variants and alternatives of ${model.name} (${rows.length}); activate a column header to sort`),
    el('thead', {}, el('tr', {}, ...head)),
    el('tbody', {}, ...body),
  );
}

/** Containers for the charts, filled by the app once the section is in the document (chart.js needs a size). */
export interface ChartSlots {
  pareto?: HTMLCanvasElement;
  bars: { metric: 'latency' | 'energy' | 'co2' | 'cost'; canvas: HTMLCanvasElement }[];
}

function canvas(label: string): HTMLCanvasElement {
  return el('canvas', { role: 'img', 'aria-label': label });
}

export function detailSection(
  report: Report,
  model: ReportModel,
  points: readonly TradeoffPoint[],
  sort: SortState,
  cb: DetailCallbacks,
  host: HostActions | undefined,
): { section: HTMLElement; slots: ChartSlots; table: HTMLTableElement } {
  const slots: ChartSlots = { bars: [] };
  const drawable = points.filter((p) => p.quality);
  const parts: HTMLElement[] = [picker(report, model.id, cb.onSelect), facts(model)];
  if (model.notes.length)
    parts.push(el('ul', { class: 'notes' }, ...model.notes.map((n) => el('li', {}, ...withCode(n)))));
  if (host && model.kind === 'onnx') {
    const b = el(
      'button',
      { type: 'button', id: 'profile-model' },
      model.profile ? 'Profile again…' : 'Profile this model…',
    );
    if (!host.canAct) {
      b.disabled = true;
      b.title = 'Profiling runs the model: it is available in trusted workspaces only.';
    }
    b.addEventListener('click', () => host.requestProfile(model.id));
    parts.push(el('div', { class: 'actions' }, b));
  }
  if (drawable.length > 0) {
    slots.pareto = canvas(
      `Energy per inference against quality for ${countText(drawable.length, 'point')} of ${model.name}; the table below lists the same figures.`,
    );
    const hidden = points.length - drawable.length;
    const frontierCount = frontierLine(points).length;
    parts.push(
      el(
        'figure',
        { class: 'chart-figure' },
        el('div', { class: 'chart pareto', id: 'pareto' }, slots.pareto),
        el(
          'figcaption',
          {},
          `Trade-off: energy per inference (log scale) against quality. Points with a thick ring are on the frontier: no other point of this model has both lower energy and higher quality${frontierCount > 1 ? '; the dashed line joins them' : ''}.${hidden > 0 ? ` ${hidden} point${hidden === 1 ? ' has' : 's have'} no quality figure and appear${hidden === 1 ? 's' : ''} in the table only.` : ''}`,
        ),
      ),
    );
  } else if (points.length > 0) {
    parts.push(
      el(
        'p',
        { class: 'muted' },
        'No trade-off chart: no point of this model has a quality figure (profile it with a labelled dataset, or use a catalog model).',
      ),
    );
  } else {
    parts.push(
      el(
        'p',
        { class: 'muted' },
        model.kind === 'onnx'
          ? 'Nothing measured yet: profile this model to compare its variants.'
          : 'No figures for this model: it is not in the catalog and cannot be profiled from Python.',
      ),
    );
  }
  if (points.length > 0) {
    const grid = el('div', { class: 'bar-grid' });
    for (const metric of ['latency', 'energy', 'co2', 'cost'] as const) {
      const { title, bars } = barsFor(points, metric);
      const cell = el('div', { class: 'chart-cell', 'data-metric': metric }, el('h3', {}, title));
      if (bars.length === 0) {
        cell.append(el('p', { class: 'muted chart-empty' }, 'Not measured for this model.'));
      } else {
        const c = canvas(
          `${title} for ${countText(bars.length, 'variant')} of ${model.name}, with error bars; the table below lists the same figures.`,
        );
        slots.bars.push({ metric, canvas: c });
        cell.append(el('div', { class: 'chart bar' }, c));
      }
      grid.append(cell);
    }
    parts.push(grid);
  }
  const table = variantsTable(report, model, points, sort, cb.onSort);
  // The wrapper scrolls sideways on narrow panels instead of squeezing nine columns.
  // It is a focusable region so that keyboard users can scroll it too.
  if (points.length > 0)
    parts.push(
      el(
        'div',
        {
          class: 'table-wrap',
          role: 'region',
          'aria-label': `Variants and alternatives of ${model.name}`,
          tabindex: '0',
        },
        table,
      ),
    );
  const section = el(
    'section',
    { class: 'detail', id: 'model-detail', 'aria-labelledby': 'detail-h', 'data-model-id': model.id },
    el('h2', { id: 'detail-h' }, model.name),
    ...parts,
  );
  return { section, slots, table };
}
