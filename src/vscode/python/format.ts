/**
 * Texts of the Python code lenses, hovers and details: only figures that exist are shown, and every number
 * goes through the finite-checking formatters, so a lens never reads "NaN" or "Infinity". Pure.
 */
import type { CatalogEntry } from '../../catalog/catalog';
import type { Alternative } from '../../catalog/recommend';
import { formatJoules, formatNumber, isDisplayable, type Estimate } from '../../energy/quantity';
import type { ModelSite } from '../../analyzers/python/types';
import { gradeLabel, otherDeviceGrades, REFERENCE_DEVICE } from '../../catalog/grades';
import { SOURCES } from '../../energy/sources';

/** The parts of a SiteModel the texts need (kept structural so tests can build them by hand). */
export interface SiteFacts {
  site: Pick<ModelSite, 'framework' | 'kind' | 'modelId' | 'callee' | 'path' | 'params' | 'confidence'>;
  label: string;
  match?: { entry: CatalogEntry; note?: string };
  energy?: Estimate;
  alternatives: Alternative[];
  alternativesNote?: string;
  device?: { name: string };
  notes: string[];
}

function finite(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

/** Shortens long hub ids for the lens (the hover and details show them in full). */
export function shortLabel(label: string, max = 48): string {
  return label.length <= max ? label : `${label.slice(0, max - 1)}…`;
}

/** "≈ 12.3 mJ per inference (estimated: method)", or undefined when the estimate is not displayable. */
export function perInference(q: Estimate | undefined): string | undefined {
  if (!q || !isDisplayable(q) || q.unit !== 'J') return undefined;
  return `${q.provenance === 'estimated' ? '≈ ' : ''}${formatJoules(q.value)} per inference (${q.provenance}: ${q.method})`;
}

/** The longest lens title before its actions: beyond it a 730 px editor pushes the actions off screen. */
export const LENS_MAX = 60;
/** A label never gets shorter than this to make room for the figures (they give way first). */
const MIN_LABEL = 16;

function gradeLetters(e: CatalogEntry): string | undefined {
  if (e.testNetwork || !e.grade) return undefined;
  return e.gradeRange && e.gradeRange[0] !== e.gradeRange[1] ? e.gradeRange.join('–') : e.grade;
}

/** "≈ 4.3 J/inf" (measured figures without "≈"), or undefined when the estimate is not displayable. */
export function shortEnergy(q: Estimate | undefined): string | undefined {
  if (!q || !isDisplayable(q) || q.unit !== 'J') return undefined;
  return `${q.provenance === 'estimated' ? '≈ ' : ''}${formatJoules(q.value)}/inf`;
}

function shortParams(p: number): string {
  return p < 1e6 ? `${Math.round(p).toLocaleString('en-US')} params` : `${formatNumber(p / 1e6)} M params`;
}

/** The figures after the label, most telling first; figures are dropped from the end until they fit. */
function lensFigures(m: SiteFacts): string[] {
  const e = m.match?.entry;
  if (!e) {
    const p = m.site.params;
    const figures = p !== undefined && finite(p) ? [shortParams(p)] : [];
    figures.push(m.site.confidence === 'low' ? 'checkpoint?' : 'not in catalog');
    return figures;
  }
  const energy = shortEnergy(m.energy);
  const grade = gradeLetters(e);
  return [energy, grade ? `grade ${grade}` : undefined].filter((x): x is string => x !== undefined);
}

/**
 * The summary lens of a model site, at most LENS_MAX characters: "resnet152 · ≈ 4.3 J/inf · grade D".
 * How each figure was obtained (method, band, device, sources) is in siteLensTooltip and the hover.
 */
export function siteLensTitle(m: SiteFacts): string {
  const figures = lensFigures(m);
  const sep = ' · ';
  while (figures.length > 1 && MIN_LABEL + sep.length + figures.join(sep).length > LENS_MAX) figures.pop();
  const tail = figures.join(sep);
  const room = LENS_MAX - (tail ? tail.length + sep.length : 0);
  return [shortLabel(m.label, Math.max(1, room)), ...figures].join(sep);
}

/** The lens's tooltip: the full name and every figure with how it was obtained. Plain text, one per line. */
export function siteLensTooltip(m: SiteFacts): string {
  const lines = [`${m.label} (${m.site.framework})`];
  const e = m.match?.entry;
  if (!e) {
    const p = m.site.params;
    if (p !== undefined && finite(p)) lines.push(`${shortParams(p)}, counted from the layer sizes`);
    lines.push(
      m.site.framework === 'onnxruntime'
        ? 'ONNX model, not in the catalog'
        : 'Not in the GreenLens catalog: no energy figure',
    );
    if (m.site.confidence === 'low') lines.push('This call may load a checkpoint rather than a model.');
    return lines.join('\n');
  }
  const size = [
    finite(e.paramsM) ? `${formatNumber(e.paramsM)} M params` : undefined,
    finite(e.gmacs) ? `${formatNumber(e.gmacs)} GMACs` : undefined,
  ].filter(Boolean);
  if (size.length) lines.push(size.join(' · '));
  const q = m.energy;
  if (q && isDisplayable(q) && q.unit === 'J') {
    const band = q.low !== q.high ? `, band ${formatJoules(q.low)} – ${formatJoules(q.high)}` : '';
    lines.push(
      `Energy per inference: ${q.provenance === 'estimated' ? '≈ ' : ''}${formatJoules(q.value)}${band} (${q.provenance}: ${q.method})`,
    );
    if (q.sources.length) lines.push(`Sources: ${q.sources.join('; ')}`);
  }
  if (m.device) lines.push(`Device assumed: ${m.device.name}`);
  lines.push(`Grade ${gradeLabel(e)}`);
  const n = m.alternatives.length;
  lines.push(n === 0 ? 'No greener option in the catalog' : `${n} greener option${n === 1 ? '' : 's'} in the catalog`);
  lines.push('Click for the model card.');
  return lines.join('\n');
}

/** One line per alternative for the quick pick: label, description and detail. */
export function alternativeItem(
  alt: Alternative,
  name: string,
  currency: string,
): { label: string; description: string; detail: string } {
  const saved = alt.savings.energy;
  const money = alt.savings.cost;
  const co2 = alt.savings.co2;
  const delta = finite(alt.top1Delta)
    ? `${alt.top1Delta >= 0 ? '+' : ''}${alt.top1Delta.toFixed(2)} top-1`
    : 'top-1 unknown';
  const savings = [
    isDisplayable(saved) ? `saves ≈ ${formatNumber(saved.value)} kWh/year` : undefined,
    isDisplayable(co2) ? `${formatNumber(co2.value)} kgCO2e` : undefined,
    isDisplayable(money)
      ? `${formatNumber(money.value)} ${currency}${money.sources.includes(SOURCES.defaultPrice) ? ' at the default price' : ''}`
      : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  return {
    label: name,
    description: `${delta} · ${savings || 'savings unknown'} · grade ${alt.entry.grade} (${REFERENCE_DEVICE})`,
    detail: alt.evidence.join(' · '),
  };
}

function estimateLines(q: Estimate): string[] {
  const band = q.low !== q.high ? ` (band ${formatJoules(q.low)} – ${formatJoules(q.high)})` : '';
  const lines = [
    `**Energy per inference:** ${q.provenance === 'estimated' ? '≈ ' : ''}${formatJoules(q.value)}${band}, ${q.provenance}: ${q.method}`,
  ];
  for (const n of q.notes) lines.push(`- ${n}`);
  if (q.sources.length) lines.push(`*Sources:* ${q.sources.join('; ')}`);
  return lines;
}

/** The model card as Markdown lines, for the hover and the details view. */
export function modelCardLines(m: SiteFacts): string[] {
  const lines = [`**${m.label}** (${m.site.framework}, ${m.site.kind})`];
  const e = m.match?.entry;
  if (!e) {
    lines.push(
      '',
      'This model is not in the GreenLens catalog, so GreenLens shows no size, compute or energy figures for it.',
    );
    if (m.site.path) lines.push('', `Model file: \`${m.site.path}\``);
    return lines;
  }
  lines.push('', `Catalog entry: \`${e.name}\` at ${e.imgSize} px`);
  const facts = [
    finite(e.paramsM) ? `${formatNumber(e.paramsM)} M parameters` : undefined,
    finite(e.gmacs) ? `${formatNumber(e.gmacs)} GMACs per image` : undefined,
    finite(e.top1) ? `top-1 ${e.top1.toFixed(2)} % (ImageNet-1k)` : undefined,
    `GreenLens grade ${gradeLabel(e)}`,
    otherDeviceGrades(e) || undefined,
  ].filter(Boolean);
  lines.push('', facts.join(' · '));
  if (m.energy && isDisplayable(m.energy)) lines.push('', ...estimateLines(m.energy));
  if (m.device) lines.push('', `Device assumed: ${m.device.name}`);
  const n = m.alternatives.length;
  lines.push(
    '',
    n
      ? `${n} greener option${n === 1 ? '' : 's'} in the catalog (use **Greener alternatives**).`
      : (m.alternativesNote ?? 'No greener option in the catalog within the accuracy tolerance.'),
  );
  for (const note of m.notes) lines.push(`- ${note}`);
  return lines;
}
