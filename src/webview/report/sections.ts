/**
 * The DOM of the report page, section by section. Every figure and name is set as text (the `el` helper
 * never parses markup), so a model called `<img onerror=…>` shows as those characters.
 */
import { formatNumber, type Estimate } from '../../energy/quantity';
import type { ExportFormat } from '../../webviewProtocol/report';
import type { Report, ReportRecommendation } from '../../report/types';
import { gradeShort } from '../../report/gradeText';
import { el, withCode } from '../dom';
import { groupRecommendations } from '../../report/grouping';
import { modelEnergy } from '../../report/modelFigures';
import { breakEvenLine, countText } from '../../report/wording';
import { energyText, modelName, provenanceBadge, qualityDeltaText, savingsText, VERDICT_TEXT, withBand } from './view';

/** What the page can ask of its host; absent in the exported page, where the actions are not offered. */
export interface HostActions {
  /** False in an untrusted workspace: buttons that change files or run models are disabled. */
  canAct: boolean;
  runAction(recommendationId: string, action: 'saveVariant' | 'applyEdit' | 'openRule'): void;
  requestProfile(modelId: string): void;
  exportReport(format: ExportFormat): void;
  openFile(file: string, line?: number): void;
}

/** A provenance badge: "measured · ±4 %" with the full story in its tooltip and accessible name. */
export function badge(q: Estimate, meter?: string): HTMLElement {
  const b = provenanceBadge(q, meter);
  const node = el(
    'span',
    { class: `badge badge-${b.kind}`, title: b.detail, 'aria-label': `${b.label}. ${b.detail}` },
    b.label,
  );
  return node;
}

function button(label: string, onClick: () => void, attrs: Record<string, string> = {}): HTMLButtonElement {
  const b = el('button', { type: 'button', ...attrs }, label);
  b.addEventListener('click', onClick);
  return b;
}

function disabledIf(b: HTMLButtonElement, off: boolean, why: string): HTMLButtonElement {
  if (off) {
    b.disabled = true;
    b.title = why;
  }
  return b;
}

const EXPORTS: { format: ExportFormat; label: string }[] = [
  { format: 'html', label: 'Export HTML' },
  { format: 'md', label: 'Export Markdown' },
  { format: 'json', label: 'Export JSON' },
  { format: 'csv', label: 'Export CSV' },
];

export function headerSection(report: Report, host: HostActions | undefined): HTMLElement {
  const when = new Date(report.generatedAt);
  const stamp = Number.isNaN(when.getTime()) ? report.generatedAt : when.toLocaleString();
  const header = el(
    'header',
    { class: 'report-header' },
    el(
      'div',
      {},
      el('h1', {}, `GreenLens report: ${report.workspace}`),
      el('p', { class: 'summary', id: 'summary' }, report.summary.text),
      el(
        'p',
        { class: 'muted' },
        `${countText(report.summary.models, 'model')}, ${report.summary.profiled} profiled on this machine · generated ${stamp} by ${report.tool.name} ${report.tool.version}`,
      ),
    ),
  );
  if (host)
    header.append(
      el(
        'div',
        { class: 'actions', role: 'group', 'aria-label': 'Export the report' },
        ...EXPORTS.map((e) => button(e.label, () => host.exportReport(e.format), { 'data-export': e.format })),
      ),
    );
  return header;
}

function dl(rows: [string, ...(Node | string)[]][]): HTMLElement {
  return el('dl', { class: 'facts' }, ...rows.flatMap(([k, ...v]) => [el('dt', {}, k), el('dd', {}, ...v)]));
}

export function assumptionsSection(report: Report): HTMLElement {
  const a = report.assumptions;
  const rows: [string, ...(Node | string)[]][] = [
    ['Workload', `${formatNumber(a.inferencesPerDay)} inferences a day (setting greenlens.workload.inferencesPerDay)`],
    [
      'Electricity price',
      `${formatNumber(a.electricity.perKWh)} ${a.electricity.currency} per kWh — ${a.electricity.source}`,
    ],
    ['Carbon intensity', `${withBand(a.carbonIntensity)} — ${a.carbonIntensity.method} `, badge(a.carbonIntensity)],
    ['Hardware', `${a.hardware.name} (${a.hardware.source})`],
    ...(a.deployment
      ? [
          [
            'Deployment target (yearly figures)',
            `${a.deployment.target}, batch ${a.deployment.batch}: ${a.deployment.method}`,
          ] as [string, string],
        ]
      : []),
    ['Accuracy tolerance', countText(a.accuracyTolerance, 'point')],
  ];
  if (a.oneOffCost) {
    const o = a.oneOffCost;
    rows.push([
      'One-off cost of a change',
      `${formatNumber(o.hourlyRate)} ${o.currency} per engineer hour × ${formatNumber(o.variantHours)} h (variant), ${formatNumber(o.alternativeHours)} h (other model), ${formatNumber(o.codeChangeHours)} h (code change) — ${o.source}`,
    ]);
  }
  const notes = a.notes ?? [];
  return el(
    'section',
    { class: 'assumptions', 'aria-labelledby': 'assumptions-h' },
    el('h2', { id: 'assumptions-h' }, 'Assumptions'),
    dl(rows),
    ...(notes.length ? [el('ul', { class: 'notes' }, ...notes.map((n) => el('li', {}, n)))] : []),
  );
}

/** The table of every model in the workspace; each name selects the model's section. */
export function modelsSection(
  report: Report,
  selected: string | undefined,
  onSelect: (id: string) => void,
  host: HostActions | undefined,
): HTMLElement {
  const head = ['Model', 'Kind', 'Where', 'Energy per inference', 'Provenance', 'Per year', 'Grade', 'Profiled'];
  const rows = report.models.map((m) => {
    const e = modelEnergy(m);
    const where = `${m.file}${m.line ? `:${m.line}` : ''}`;
    const name = button(m.name, () => onSelect(m.id), {
      class: 'link',
      'data-model-name': '',
      'aria-pressed': String(m.id === selected),
    });
    const whereCell = host
      ? button(where, () => host.openFile(m.file, m.line), { class: 'link', title: `Open ${where}` })
      : where;
    return el(
      'tr',
      m.id === selected ? { class: 'selected' } : {},
      el('th', { scope: 'row' }, name),
      el('td', {}, m.kind === 'onnx' ? 'ONNX file' : 'Python'),
      el('td', {}, whereCell),
      el('td', { class: 'num' }, e ? energyText(e) : 'unknown'),
      el('td', {}, e ? badge(e) : ''),
      el('td', { class: 'num' }, m.yearly ? withBand(m.yearly.energy) : 'n/a'),
      el('td', {}, m.catalog ? gradeShort(m.catalog) : '—'),
      el('td', {}, m.profile ? 'yes' : 'no'),
    );
  });
  return el(
    'section',
    { class: 'models', 'aria-labelledby': 'models-h' },
    el('h2', { id: 'models-h' }, 'Models'),
    report.models.length === 0
      ? el(
          'p',
          {},
          'No models found: GreenLens looks for .onnx files and model creation in Python code (torchvision, timm, transformers, onnxruntime).',
        )
      : // The wrapper scrolls sideways in a narrow column instead of widening the page.
        el(
          'div',
          { class: 'table-wrap', role: 'region', 'aria-label': 'Table of models', tabindex: '0' },
          el(
            'table',
            { id: 'models-table' },
            el('caption', {}, 'Every model of the workspace; choose one to see its trade-offs below'),
            el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { scope: 'col' }, h)))),
            el('tbody', {}, ...rows),
          ),
        ),
  );
}

function recommendationActions(rec: ReportRecommendation, host: HostActions): HTMLElement[] {
  const why = 'Available in a trusted workspace only.';
  const out: HTMLElement[] = [];
  if (rec.action?.type === 'saveVariant')
    out.push(
      disabledIf(
        button('Save variant…', () => host.runAction(rec.id, 'saveVariant'), { 'data-action': 'saveVariant' }),
        !host.canAct,
        why,
      ),
    );
  if (rec.action?.type === 'applyEdit')
    out.push(
      disabledIf(
        button('Preview code change…', () => host.runAction(rec.id, 'applyEdit'), { 'data-action': 'applyEdit' }),
        !host.canAct,
        why,
      ),
    );
  if (rec.ruleId)
    out.push(
      button(`Open rule ${rec.ruleId}`, () => host.runAction(rec.id, 'openRule'), { 'data-action': 'openRule' }),
    );
  return out;
}

/** The figures of a quantified recommendation: savings with their badge, quality change, break-even. */
function quantifiedFacts(rec: ReportRecommendation): HTMLElement[] {
  const facts: HTMLElement[] = [el('p', { class: 'savings' }, savingsText(rec), ' ', badge(rec.savings.energy))];
  const q = qualityDeltaText(rec);
  if (q) facts.push(el('p', {}, `Quality: ${q}`));
  facts.push(el('p', {}, `Break-even: ${breakEvenLine(rec.breakEven)}`));
  return facts;
}

function recommendationItem(
  report: Report,
  rec: ReportRecommendation,
  rank: number,
  host: HostActions | undefined,
): HTMLElement {
  // Unquantified hygiene has no savings, break-even or verdict to show: only why and how to measure it.
  const facts = rec.unquantified ? [el('p', { class: 'muted' }, rec.unquantified)] : quantifiedFacts(rec);
  const verdict = rec.unquantified
    ? []
    : [' ', el('span', { class: `verdict verdict-${rec.verdict}` }, VERDICT_TEXT[rec.verdict])];
  const actions = host ? recommendationActions(rec, host) : [];
  return el(
    'li',
    { class: `rec verdict-${rec.unquantified ? 'unquantified' : rec.verdict}`, 'data-recommendation': rec.id },
    el(
      'article',
      { 'aria-label': `${rank}. ${rec.title}` },
      el('h3', {}, el('span', { class: 'rank' }, `${rank}.`), ' ', ...withCode(rec.title), ...verdict),
      el('p', { class: 'muted' }, `${modelName(report, rec.modelId)} · ${rec.kind.replace('-', ' ')}`),
      ...facts,
      el(
        'details',
        {},
        el('summary', {}, 'Evidence'),
        el('ul', {}, ...rec.evidence.map((e) => el('li', {}, ...withCode(e)))),
      ),
      ...(actions.length ? [el('div', { class: 'actions', role: 'group', 'aria-label': 'Actions' }, ...actions)] : []),
    ),
  );
}

/**
 * Recommendations in two groups: quantified savings ranked by energy saved a year (those not worth it
 * last), then "Also consider" for code hygiene nobody measured here.
 */
export function recommendationsSection(report: Report, host: HostActions | undefined): HTMLElement {
  const { quantified, alsoConsider } = groupRecommendations(report.recommendations);
  const parts: HTMLElement[] = [
    el('h2', { id: 'recs-h' }, 'Recommendations'),
    el(
      'p',
      { class: 'muted' },
      `Ranked by energy saved per year at ${formatNumber(report.assumptions.inferencesPerDay)} inferences a day; those not worth it come last.`,
    ),
    quantified.length === 0
      ? el(
          'p',
          {},
          'No quantified savings: nothing measured or catalogued here saves energy within your accuracy tolerance.',
        )
      : el(
          'ol',
          { class: 'rec-list', id: 'recs-quantified' },
          ...quantified.map((r, i) => recommendationItem(report, r, i + 1, host)),
        ),
  ];
  if (alsoConsider.length > 0) {
    parts.push(
      el('h3', { id: 'also-h', class: 'group-heading' }, 'Also consider'),
      el(
        'p',
        { class: 'muted' },
        'Code changes that usually save time and energy but were not measured here: profile before and after to know what they save.',
      ),
      el(
        'ol',
        { class: 'rec-list', id: 'recs-also', 'aria-labelledby': 'also-h' },
        ...alsoConsider.map((r, i) => recommendationItem(report, r, i + 1, host)),
      ),
    );
  }
  return el('section', { class: 'recommendations', 'aria-labelledby': 'recs-h' }, ...parts);
}
