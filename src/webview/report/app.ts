/**
 * The report page: renders a Report into #root, keeps the chosen model and sort order, redraws the charts
 * when the theme changes, and tells its host what it rendered. The same code runs in the VS Code panel and
 * in the exported HTML file (there without a host: no actions).
 */
import type { Chart } from 'chart.js';
import type { Report } from '../../report/types';
import type { ReportRendered } from '../../webviewProtocol/report';
import { el } from '../dom';
import { barChart, paretoChart } from './charts';
import { detailSection, type ChartSlots } from './detail';
import { assumptionsSection, headerSection, modelsSection, recommendationsSection, type HostActions } from './sections';
import { readTheme, watchTheme } from './theme';
import { barsFor, defaultModelId, nextSort, pointsOf, type SortState } from './view';

/** What the page keeps across a reload (VS Code's webview state) or a re-render. */
export interface PageState {
  report: Report;
  modelId?: string;
  sort: SortState;
}

export const DEFAULT_SORT: SortState = { key: 'energy', dir: 'ascending' };

/** Elements that must never appear in the page's content: it builds its DOM from text only. */
const ACTIVE = 'img, script, iframe, object, embed, link, meta, base, form';

export class ReportPage {
  private state: PageState | undefined;
  private charts: Chart[] = [];
  private slots: ChartSlots | undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly host: HostActions | undefined,
    private readonly persist: (s: PageState) => void,
    private readonly rendered: (r: Omit<ReportRendered, 'type'>) => void,
  ) {
    watchTheme(() => this.drawCharts());
  }

  /** Shows a report, keeping the chosen model and sort when they still apply. */
  show(report: Report, focusModelId?: string, sort?: SortState): void {
    const keep = focusModelId ?? this.state?.modelId;
    this.state = { report, modelId: defaultModelId(report, keep), sort: sort ?? this.state?.sort ?? DEFAULT_SORT };
    this.persist(this.state);
    this.render();
  }

  /** Reveals one model's section (Models view "Show Report", a finished profile). */
  focus(modelId: string): void {
    if (!this.state || !this.state.report.models.some((m) => m.id === modelId)) return;
    this.select(modelId);
    document.getElementById('model-detail')?.scrollIntoView({ block: 'start' });
  }

  /** Replaces the page with a message (the report could not be built). */
  message(text: string, role: 'status' | 'alert'): void {
    if (this.state && role === 'status') {
      const live = document.getElementById('status');
      if (live) live.textContent = text;
      return;
    }
    this.destroyCharts();
    this.root.replaceChildren(el('div', { class: role === 'alert' ? 'error' : 'muted', role }, el('p', {}, text)));
  }

  private select(modelId: string): void {
    if (!this.state) return;
    this.state.modelId = modelId;
    this.persist(this.state);
    this.render();
    document.getElementById('model-select')?.focus();
  }

  private sortBy(key: SortState['key']): void {
    if (!this.state) return;
    this.state.sort = nextSort(this.state.sort, key);
    this.persist(this.state);
    this.render();
    (document.querySelector(`#variants-table th[data-key="${key}"] button`) as HTMLElement | null)?.focus();
  }

  private render(): void {
    const st = this.state;
    if (!st) return;
    const { report } = st;
    this.destroyCharts();
    const model = report.models.find((m) => m.id === st.modelId);
    const parts: HTMLElement[] = [
      headerSection(report, this.host),
      el('p', { id: 'status', class: 'muted', role: 'status' }),
    ];
    let tableRows = 0;
    this.slots = undefined;
    if (model) {
      const detail = detailSection(
        report,
        model,
        pointsOf(report, model.id),
        st.sort,
        { onSelect: (id) => this.select(id), onSort: (k) => this.sortBy(k) },
        this.host,
      );
      this.slots = detail.slots;
      tableRows = detail.table.tBodies[0]?.rows.length ?? 0;
      parts.push(detail.section);
    }
    parts.push(
      recommendationsSection(report, this.host),
      modelsSection(report, st.modelId, (id) => this.select(id), this.host),
      assumptionsSection(report),
    );
    this.root.replaceChildren(...parts);
    this.drawCharts();
    this.rendered({
      modelId: st.modelId ?? '',
      modelNames: [...this.root.querySelectorAll('[data-model-name]')]
        .slice(0, 1000)
        .map((n) => (n.textContent ?? '').slice(0, 1024)),
      tableRows,
      charts: this.charts.length,
      activeElements: this.root.querySelectorAll(ACTIVE).length,
    });
  }

  private destroyCharts(): void {
    for (const c of this.charts) c.destroy();
    this.charts = [];
  }

  /** (Re)draws the charts of the current section with the current theme's colours. */
  private drawCharts(): void {
    const st = this.state;
    const slots = this.slots;
    if (!st || !slots || !st.modelId) return;
    this.destroyCharts();
    const theme = readTheme();
    const font = getComputedStyle(document.body).fontFamily;
    const points = pointsOf(st.report, st.modelId);
    if (slots.pareto) this.charts.push(paretoChart(slots.pareto, st.report, points, theme, font));
    for (const { metric, canvas } of slots.bars) {
      const { title, unit, bars } = barsFor(points, metric);
      this.charts.push(barChart(canvas, title, unit, bars, theme, font) as unknown as Chart);
    }
  }
}
