/**
 * The Overview's DOM: the workspace headline, quick controls, the selected model with a compact trade-off
 * chart, and the recommendations worth acting on. Every text is set as text (`el`), never parsed as markup.
 * The chart is the report page's own (paretoChart), so both read the same.
 */
import type { Chart } from 'chart.js';
import type { Report, ReportModel, ReportRecommendation } from '../../report/types';
import type { OverviewControls, OverviewToHost } from '../../webviewProtocol/overview';
import type { ActionKind } from '../../webviewProtocol/report';
import { el, withCode } from '../dom';
import { paretoChart } from '../report/charts';
import { readTheme, watchTheme } from '../report/theme';
import { breakEvenText, modelName, pointsOf, qualityDeltaText, savingsText } from '../report/view';
import { headline, modelLine, nothingWorthIt, overviewModelId, worthActingOn } from './view';

/** What the Overview keeps across a reload (VS Code's webview state). */
export interface OverviewState {
  report: Report;
  modelId?: string;
  controls: OverviewControls;
  canAct: boolean;
}

/** Regions offered while typing; any ISO 3166 alpha-3 code or `provider:region` is accepted. */
const REGIONS = [
  'FRA',
  'DEU',
  'GBR',
  'USA',
  'CAN',
  'IND',
  'CHN',
  'JPN',
  'AUS',
  'BRA',
  'SWE',
  'NOR',
  'POL',
  'aws:us-east-1',
  'aws:eu-west-1',
  'gcp:europe-west1',
  'azure:westeurope',
];
const REGION = /^$|^[A-Za-z]{3}$|^[a-z]+:[A-Za-z0-9-]{1,64}$/;

function button(label: string, onClick: () => void, attrs: Record<string, string> = {}): HTMLButtonElement {
  const b = el('button', { type: 'button', ...attrs }, label);
  b.addEventListener('click', onClick);
  return b;
}

export class OverviewPage {
  private state: OverviewState | undefined;
  private chart: Chart | undefined;
  private canvas: HTMLCanvasElement | undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly post: (msg: OverviewToHost) => void,
    private readonly persist: (s: OverviewState) => void,
  ) {
    watchTheme(() => this.drawChart());
  }

  show(state: OverviewState): void {
    this.state = { ...state, modelId: overviewModelId(state.report, state.modelId) };
    this.persist(this.state);
    this.render();
  }

  /** Selects a model the host names (the active editor's); unknown ids are ignored. */
  focus(modelId: string): void {
    if (!this.state || !this.state.report.models.some((m) => m.id === modelId) || this.state.modelId === modelId)
      return;
    this.state.modelId = modelId;
    this.persist(this.state);
    this.render();
  }

  message(text: string, role: 'status' | 'alert'): void {
    if (this.state && role === 'status') {
      const live = document.getElementById('overview-status');
      if (live) live.textContent = text;
      return;
    }
    this.destroyChart();
    this.root.replaceChildren(el('div', { class: role === 'alert' ? 'error' : 'muted', role }, el('p', {}, text)));
  }

  private render(): void {
    const st = this.state;
    if (!st) return;
    this.destroyChart();
    const head = headline(st.report);
    const recs = worthActingOn(st.report);
    const model = st.report.models.find((m) => m.id === st.modelId);
    this.root.replaceChildren(
      this.headlineSection(st, head),
      el('p', { id: 'overview-status', class: 'muted', role: 'status' }),
      this.recommendationsSection(st, recs),
      this.modelSection(st, model),
      this.controlsSection(st.controls),
    );
    this.drawChart();
    this.post({
      type: 'rendered',
      modelId: st.modelId ?? '',
      recommendations: recs.length,
      charts: this.chart ? 1 : 0,
      headline: head.text.slice(0, 1024),
    });
  }

  private headlineSection(st: OverviewState, head: ReturnType<typeof headline>): HTMLElement {
    const cards = head.figures.map((f) =>
      el(
        'div',
        { class: 'figure', title: f.detail },
        el('span', { class: 'figure-label' }, f.label),
        el('span', { class: 'figure-value' }, f.value),
      ),
    );
    return el(
      'section',
      { class: 'headline', 'aria-labelledby': 'headline-h' },
      el('h1', { id: 'headline-h' }, `Workspace: ${st.report.workspace}`),
      cards.length
        ? el('div', { class: 'figures', id: 'headline', 'aria-label': head.text }, ...cards)
        : el('p', { id: 'headline' }, head.text),
      el(
        'p',
        { class: 'muted', id: 'basis' },
        `${head.basis} · ${st.report.summary.models} model${st.report.summary.models === 1 ? '' : 's'}, ${st.report.summary.profiled} profiled`,
      ),
      el(
        'div',
        { class: 'actions' },
        button(
          'Open full report',
          () => this.post(st.modelId ? { type: 'openReport', modelId: st.modelId } : { type: 'openReport' }),
          { id: 'open-report' },
        ),
      ),
    );
  }

  private controlsSection(c: OverviewControls): HTMLElement {
    const workload = el('input', {
      id: 'workload',
      type: 'number',
      min: '0',
      step: 'any',
      value: String(c.inferencesPerDay),
      inputmode: 'numeric',
    });
    workload.addEventListener('change', () => {
      const n = Number(workload.value);
      if (workload.value.trim() !== '' && Number.isFinite(n) && n >= 0 && n <= 1e12)
        this.post({ type: 'setWorkload', inferencesPerDay: n });
      else this.message('Inferences a day: a number from 0 to 10^12.', 'status');
    });
    const region = el('input', {
      id: 'region',
      type: 'text',
      value: c.carbonRegion,
      list: 'regions',
      placeholder: 'world average',
      spellcheck: 'false',
      autocomplete: 'off',
    });
    region.addEventListener('change', () => {
      const r = region.value.trim();
      if (REGION.test(r)) this.post({ type: 'setRegion', region: /^[A-Za-z]{3}$/.test(r) ? r.toUpperCase() : r });
      else
        this.message(
          'Region: an ISO 3166 alpha-3 code (FRA) or a cloud region (aws:us-east-1); empty for the world average.',
          'status',
        );
    });
    const hardware = el(
      'div',
      { class: 'hardware' },
      el('span', { id: 'hardware-name', title: `Setting: ${c.hardwareProfile}` }, c.hardwareName),
      button('Change…', () => this.post({ type: 'chooseHardware' }), {
        id: 'hardware',
        'aria-label': `Change hardware (now ${c.hardwareName})`,
      }),
    );
    return el(
      'section',
      { class: 'controls', 'aria-labelledby': 'controls-h' },
      el('h2', { id: 'controls-h' }, 'Assumptions'),
      el('div', { class: 'control' }, el('label', { for: 'workload' }, 'Inferences a day'), workload),
      el(
        'div',
        { class: 'control' },
        el('label', { for: 'region' }, 'Region'),
        region,
        el('datalist', { id: 'regions' }, ...REGIONS.map((r) => el('option', { value: r }))),
      ),
      el('div', { class: 'control' }, el('span', { class: 'label', id: 'hardware-label' }, 'Hardware'), hardware),
      el('p', { class: 'muted' }, 'Changes are saved in your user settings.'),
    );
  }

  private modelSection(st: OverviewState, model: ReportModel | undefined): HTMLElement {
    const section = el(
      'section',
      { class: 'model', 'aria-labelledby': 'model-h' },
      el('h2', { id: 'model-h' }, 'Model'),
    );
    if (st.report.models.length === 0) {
      section.append(
        el('p', {}, 'No models found yet: GreenLens looks for .onnx files and models created in Python code.'),
      );
      return section;
    }
    const select = el(
      'select',
      { id: 'overview-model', 'aria-label': 'Model shown' },
      ...st.report.models.map((m) =>
        el(
          'option',
          { value: m.id, ...(m.id === st.modelId ? { selected: '' } : {}) },
          `${m.name} (${m.file}${m.line ? `:${m.line}` : ''})`,
        ),
      ),
    );
    select.addEventListener('change', () => {
      this.focus(select.value);
      this.post({ type: 'selectModel', modelId: select.value });
      document.getElementById('overview-model')?.focus();
    });
    section.append(select);
    if (!model) return section;
    section.append(el('p', { id: 'model-line', 'data-model-id': model.id }, modelLine(model)));
    const charted = pointsOf(st.report, model.id).filter((p) => p.quality).length;
    if (charted > 0) {
      this.canvas = el('canvas', {
        role: 'img',
        'aria-label': `Energy per inference against quality for ${model.name} and its ${charted - 1} options`,
      });
      section.append(el('div', { class: 'chart' }, this.canvas));
    } else {
      section.append(
        el(
          'p',
          { class: 'muted' },
          'No trade-off chart: no variant was measured and the catalog knows no quality for this model. Profile it to see one.',
        ),
      );
    }
    section.append(
      el(
        'div',
        { class: 'actions' },
        button('Show in report', () => this.post({ type: 'openReport', modelId: model.id }), { class: 'secondary' }),
        button(
          'Open file',
          () =>
            this.post(
              model.line
                ? { type: 'openFile', file: model.file, line: model.line }
                : { type: 'openFile', file: model.file },
            ),
          { class: 'secondary' },
        ),
      ),
    );
    return section;
  }

  private recommendationsSection(st: OverviewState, recs: ReportRecommendation[]): HTMLElement {
    const section = el(
      'section',
      { class: 'recommendations', 'aria-labelledby': 'recs-h' },
      el('h2', { id: 'recs-h' }, 'Worth acting on'),
    );
    if (recs.length === 0) {
      section.append(el('p', { class: 'muted', id: 'no-recs' }, nothingWorthIt(st.report)));
      return section;
    }
    section.append(el('ol', { class: 'recs' }, ...recs.map((r) => this.recommendation(st, r))));
    return section;
  }

  private recommendation(st: OverviewState, rec: ReportRecommendation): HTMLElement {
    const quality = qualityDeltaText(rec);
    const action = (label: string, kind: ActionKind, trusted: boolean): HTMLButtonElement => {
      const b = button(label, () => this.post({ type: 'runAction', recommendationId: rec.id, action: kind }), {
        'data-action': kind,
        class: 'secondary',
      });
      if (trusted && !st.canAct) {
        b.disabled = true;
        b.title = 'Available in a trusted workspace only.';
      }
      return b;
    };
    const actions: HTMLButtonElement[] = [];
    if (rec.action?.type === 'saveVariant') actions.push(action('Save variant…', 'saveVariant', true));
    if (rec.action?.type === 'applyEdit') actions.push(action('Preview change…', 'applyEdit', true));
    if (rec.ruleId) actions.push(action(`Rule ${rec.ruleId}`, 'openRule', false));
    return el(
      'li',
      { class: 'rec', 'data-recommendation': rec.id },
      el('h3', {}, ...withCode(rec.title)),
      el('p', { class: 'muted' }, modelName(st.report, rec.modelId)),
      el('p', { class: 'savings' }, savingsText(rec)),
      ...(quality ? [el('p', {}, `Quality: ${quality}`)] : []),
      el('p', {}, `Pays back in ${breakEvenText(rec.breakEven)}`),
      el(
        'details',
        {},
        el('summary', {}, 'Evidence'),
        el('ul', {}, ...rec.evidence.map((e) => el('li', {}, ...withCode(e)))),
      ),
      ...(actions.length ? [el('div', { class: 'actions', role: 'group', 'aria-label': 'Actions' }, ...actions)] : []),
    );
  }

  private destroyChart(): void {
    this.chart?.destroy();
    this.chart = undefined;
  }

  private drawChart(): void {
    const st = this.state;
    const canvas = this.canvas;
    this.destroyChart();
    if (!st?.modelId || !canvas || !canvas.isConnected) return;
    this.chart = paretoChart(
      canvas,
      st.report,
      pointsOf(st.report, st.modelId),
      readTheme(),
      getComputedStyle(document.body).fontFamily,
    );
  }
}
