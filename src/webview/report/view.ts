/**
 * The report page's view model: pure functions from a Report to the rows, series and texts the page shows.
 * No DOM here, so the sort order, the frontier line and every label are unit-tested in plain Node.
 */
import { formatJoules, formatNumber, type Estimate } from '../../energy/quantity';
import type { QualityMetric, Report, ReportModel, ReportRecommendation, TradeoffPoint } from '../../report/types';
import { plural } from '../../report/wording';

/** "≈ " for an estimate, nothing for a measurement: the page never shows an estimate as a measured fact. */
export function approx(q: Estimate): string {
  return q.provenance === 'estimated' ? '≈ ' : '';
}

/** An energy figure in J with an SI prefix: "≈ 1.37 mJ". Estimates in Wh or kWh are converted first. */
export function energyText(q: Estimate): string {
  return `${approx(q)}${formatJoules(toJoules(q.value, q.unit))}`;
}

const J_PER: Record<string, number> = { J: 1, Wh: 3600, kWh: 3.6e6 };

/** Joules of an energy value in J, Wh or kWh (NaN for any other unit, which the page then shows as n/a). */
export function toJoules(value: number, unit: string): number {
  const f = J_PER[unit];
  return f === undefined ? Number.NaN : value * f;
}

/** "≈ 2.9 kWh (1.4–6.1)": a figure with its band in the same unit. */
export function withBand(q: Estimate, unit = q.unit): string {
  const band = q.low !== q.high ? ` (${formatNumber(q.low)}–${formatNumber(q.high)})` : '';
  return `${approx(q)}${formatNumber(q.value)} ${unit}${band}`;
}

/** The uncertainty of a figure as a ± percentage of its value, from its band (the wider side). */
export function uncertaintyPct(q: Estimate): number | undefined {
  if (!(q.value > 0) || q.low === q.high) return undefined;
  return (Math.max(q.high - q.value, q.value - q.low) / q.value) * 100;
}

/** A provenance badge: short label, and the long text of its tooltip and accessible name. */
export interface Badge {
  kind: 'measured' | 'estimated';
  label: string;
  detail: string;
}

/** "measured · rapl:package-0 · ±4 %" or "estimated · TDP × CPU-time share · ±50 %". */
export function provenanceBadge(q: Estimate, meter?: string): Badge {
  const pct = uncertaintyPct(q);
  const unc = pct === undefined ? '' : ` · ±${formatNumber(pct)} %`;
  const how =
    q.provenance === 'measured'
      ? (meter ?? q.method)
      : meter && !meter.startsWith('estimate')
        ? `${meter}, ${q.method}`
        : q.method;
  const sources = q.sources.length ? ` Sources: ${q.sources.join('; ')}.` : '';
  const notes = q.notes?.length ? ` ${q.notes.join(' ')}` : '';
  return {
    kind: q.provenance,
    label: `${q.provenance}${unc}`,
    detail: `${q.provenance === 'measured' ? 'Measured by' : 'Estimated by'} ${how}; band ${formatNumber(q.low)}–${formatNumber(q.high)} ${q.unit}.${sources}${notes}`,
  };
}

/** The meter behind a measured point, from the model's profile. */
export function meterOf(report: Report, p: TradeoffPoint): string | undefined {
  if (p.series === 'alternative' || p.ref === undefined) return undefined;
  const model = report.models.find((m) => m.id === p.modelId);
  return model?.profile?.variants.find((v) => v.id === p.ref)?.energy?.meter;
}

const METRIC_NAMES: Record<QualityMetric, string> = {
  accuracy: 'accuracy on your labelled data',
  agreement: 'agreement with the baseline',
  'imagenet-top1': 'ImageNet top-1',
};

const SHORT_METRIC: Record<string, string> = {
  accuracy: 'accuracy',
  agreement: 'agreement',
  'imagenet-top1': 'ImageNet top-1',
};

/** The words for a quality metric, e.g. "agreement with the baseline". */
export function metricName(metric: string): string {
  return METRIC_NAMES[metric as QualityMetric] ?? metric;
}

/** The quality axis title: the metric(s) of the points shown, in %. */
export function qualityAxisTitle(points: readonly TradeoffPoint[]): string {
  const metrics = [...new Set(points.flatMap((p) => (p.quality ? [p.quality.metric] : [])))];
  if (metrics.length === 0) return 'Quality (%)';
  const names = metrics.map(metricName);
  return `${names[0]![0]!.toUpperCase()}${names.join(' / ').slice(1)} (%)`;
}

/** The points of one model, in report order. */
export function pointsOf(report: Report, modelId: string): TradeoffPoint[] {
  return report.points.filter((p) => p.modelId === modelId);
}

/**
 * The frontier line of a chart: the frontier points that can be drawn (energy > 0 on a log axis, quality
 * known), by energy then quality, so the line climbs from the frugal end to the accurate end.
 */
export function frontierLine(points: readonly TradeoffPoint[]): { x: number; y: number }[] {
  return points
    .filter((p) => p.onFrontier && p.quality)
    .map((p) => ({ x: toJoules(p.energyPerInference.value, p.energyPerInference.unit), y: p.quality!.value }))
    .filter((p) => p.x > 0 && Number.isFinite(p.y))
    .sort((a, b) => a.x - b.x || a.y - b.y);
}

/** Which model the page opens on: the requested one, else the first profiled, else the first with points. */
export function defaultModelId(report: Report, wanted?: string): string | undefined {
  if (wanted && report.models.some((m) => m.id === wanted)) return wanted;
  return (
    report.models.find((m) => m.profile) ??
    report.models.find((m) => report.points.some((p) => p.modelId === m.id)) ??
    report.models[0]
  )?.id;
}

export const SERIES_NAMES: Record<TradeoffPoint['series'], string> = {
  model: 'Your model',
  variant: 'Measured variant',
  alternative: 'Catalog alternative',
};

/** One row of the variants table: the text of each cell and the number it sorts by. */
export interface Row {
  point: TradeoffPoint;
  cells: Record<ColumnKey, { text: string; sort: number | string | undefined }>;
}

export type ColumnKey =
  'name' | 'series' | 'energy' | 'quality' | 'latency' | 'yearlyEnergy' | 'co2' | 'cost' | 'frontier';

export const COLUMNS: { key: ColumnKey; title: string; numeric: boolean }[] = [
  { key: 'name', title: 'Variant or model', numeric: false },
  { key: 'series', title: 'Kind', numeric: false },
  { key: 'energy', title: 'Energy per inference', numeric: true },
  { key: 'quality', title: 'Quality', numeric: true },
  { key: 'latency', title: 'Median latency (95 % CI)', numeric: true },
  { key: 'yearlyEnergy', title: 'Energy per year', numeric: true },
  { key: 'co2', title: 'CO2e per year', numeric: true },
  { key: 'cost', title: 'Cost per year', numeric: true },
  { key: 'frontier', title: 'On frontier', numeric: false },
];

function bandJ(q: Estimate): string {
  if (q.low === q.high) return '';
  return ` (${formatJoules(toJoules(q.low, q.unit))}–${formatJoules(toJoules(q.high, q.unit))})`;
}

/** The table rows of a set of points, every metric as text with the figure it sorts by. */
export function tableRows(points: readonly TradeoffPoint[]): Row[] {
  return points.map((p) => {
    const e = p.energyPerInference;
    const y = p.yearly;
    const l = p.latencyMs;
    return {
      point: p,
      cells: {
        name: { text: p.label, sort: p.label.toLowerCase() },
        series: { text: SERIES_NAMES[p.series], sort: ['model', 'variant', 'alternative'].indexOf(p.series) },
        energy: { text: `${energyText(e)}${bandJ(e)}`, sort: toJoules(e.value, e.unit) },
        quality: p.quality
          ? {
              text: `${formatNumber(p.quality.value)} % ${SHORT_METRIC[p.quality.metric] ?? p.quality.metric}`,
              sort: p.quality.value,
            }
          : { text: 'unknown', sort: undefined },
        latency: l
          ? { text: `${formatNumber(l.value)} ms (${formatNumber(l.low)}–${formatNumber(l.high)})`, sort: l.value }
          : { text: 'not measured', sort: undefined },
        yearlyEnergy: y ? { text: withBand(y.energy), sort: y.energy.value } : { text: 'n/a', sort: undefined },
        co2: y ? { text: withBand(y.co2), sort: y.co2.value } : { text: 'n/a', sort: undefined },
        cost: y ? { text: withBand(y.cost), sort: y.cost.value } : { text: 'n/a', sort: undefined },
        frontier: { text: p.onFrontier ? 'yes' : 'no', sort: p.onFrontier ? 0 : 1 },
      },
    };
  });
}

export type SortDir = 'ascending' | 'descending';
export interface SortState {
  key: ColumnKey;
  dir: SortDir;
}

/** Sorts rows by one column; rows without a figure go last in either direction; ties keep their order. */
export function sortRows(rows: readonly Row[], sort: SortState): Row[] {
  const sign = sort.dir === 'ascending' ? 1 : -1;
  return rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => {
      const x = a.r.cells[sort.key].sort;
      const y = b.r.cells[sort.key].sort;
      if (x === undefined || y === undefined) return x === y ? a.i - b.i : x === undefined ? 1 : -1;
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return c === 0 || Number.isNaN(c) ? a.i - b.i : sign * c;
    })
    .map((e) => e.r);
}

/** The next sort state when a column header is activated: a new column sorts ascending, the same one flips. */
export function nextSort(current: SortState, key: ColumnKey): SortState {
  return current.key === key
    ? { key, dir: current.dir === 'ascending' ? 'descending' : 'ascending' }
    : { key, dir: 'ascending' };
}

export const VERDICT_TEXT: Record<ReportRecommendation['verdict'], string> = {
  'worth-it': 'Worth it',
  marginal: 'Marginal',
  'not-worth-it': 'Not worth it',
};

/** Break-even wording shared with the exports: "≈ 5 months", "< 1 day" or "never". */
export { breakEvenText } from '../../report/wording';

/** One line of savings: "1.2 kWh · 0.57 kgCO2e · 0.18 USD per year". */
export function savingsText(rec: ReportRecommendation): string {
  if (rec.unquantified) return 'Savings not quantified';
  const s = rec.savings;
  return `${approx(s.energy)}${formatNumber(s.energy.value)} kWh · ${formatNumber(s.co2.value)} kgCO2e · ${formatNumber(s.cost.value)} ${s.cost.unit} per year`;
}

/** "−0.2 points of accuracy on your labelled data" for a quality change. */
export function qualityDeltaText(rec: ReportRecommendation): string | undefined {
  const q = rec.qualityDelta;
  if (!q || !Number.isFinite(q.points)) return undefined;
  const sign = q.points > 0 ? '+' : q.points < 0 ? '−' : '±';
  return `${sign}${formatNumber(Math.abs(q.points))} ${plural(q.points, 'point')} of ${metricName(q.metric)}`;
}

/** The model a recommendation is about, for its heading. */
export function modelName(report: Report, id: string): string {
  return report.models.find((m) => m.id === id)?.name ?? id;
}

/** A model's one-line description in the model picker: name, kind and where it is. */
export function modelOptionText(m: ReportModel): string {
  return `${m.name} — ${m.kind === 'onnx' ? 'ONNX file' : 'Python'} ${m.file}${m.line ? `:${m.line}` : ''}`;
}

export type BarMetric = 'latency' | 'energy' | 'co2' | 'cost';

/** At most this many bars per chart: the model and its variants first, then alternatives by report order. */
export const MAX_BARS = 12;

const PREFIXES: [number, string][] = [
  [1, 'J'],
  [1e-3, 'mJ'],
  [1e-6, 'µJ'],
  [1e-9, 'nJ'],
];

/** The bars of one metric with their whiskers and the unit they are in; points without the figure are left out. */
export function barsFor(
  points: readonly TradeoffPoint[],
  metric: BarMetric,
): { title: string; unit: string; bars: { label: string; y: number; yMin: number; yMax: number }[] } {
  const ordered = [...points]
    .sort((a, b) => (a.series === 'alternative' ? 1 : 0) - (b.series === 'alternative' ? 1 : 0))
    .slice(0, MAX_BARS);
  if (metric === 'latency') {
    const bars = ordered.flatMap((p) =>
      p.latencyMs ? [{ label: p.label, y: p.latencyMs.value, yMin: p.latencyMs.low, yMax: p.latencyMs.high }] : [],
    );
    return { title: 'Median latency per sample (95 % CI)', unit: 'ms', bars };
  }
  if (metric === 'energy') {
    const js = ordered
      .map((p) => ({ p, j: toJoules(p.energyPerInference.value, p.energyPerInference.unit) }))
      .filter((e) => Number.isFinite(e.j));
    const max = Math.max(0, ...js.map((e) => e.j));
    const [factor, unit] = PREFIXES.find(([f]) => max >= f) ?? PREFIXES[PREFIXES.length - 1]!;
    const bars = js.map(({ p, j }) => {
      const q = p.energyPerInference;
      return {
        label: p.label,
        y: j / factor,
        yMin: toJoules(q.low, q.unit) / factor,
        yMax: toJoules(q.high, q.unit) / factor,
      };
    });
    return { title: 'Energy per inference (band)', unit, bars };
  }
  const withYearly = ordered.filter((p) => p.yearly);
  const pick = (p: TradeoffPoint) => (metric === 'co2' ? p.yearly!.co2 : p.yearly!.cost);
  const unit = withYearly[0] ? `${pick(withYearly[0]).unit} per year` : '';
  const bars = withYearly.map((p) => ({ label: p.label, y: pick(p).value, yMin: pick(p).low, yMax: pick(p).high }));
  return {
    title:
      metric === 'co2' ? 'CO2e per year at your workload (band)' : 'Electricity cost per year at your workload (band)',
    unit,
    bars,
  };
}

/** Labels only the 1, 2 and 5 ticks of each decade, in J with an SI prefix, so the log axis stays readable. */
export function logTick(v: number): string {
  if (!(v > 0)) return '';
  const m = v / 10 ** Math.floor(Math.log10(v) + 1e-9);
  return [1, 2, 5].some((k) => Math.abs(m - k) < 1e-6) ? formatJoules(v) : '';
}

/**
 * The x range of the log axis: the points' span widened by a third on each side (at least a factor of
 * ten overall), so no point sits on the edge and at least one labelled tick shows.
 */
export function logRange(points: readonly TradeoffPoint[]): { min?: number; max?: number } {
  const xs = points
    .map((p) => toJoules(p.energyPerInference.value, p.energyPerInference.unit))
    .filter((x) => x > 0 && Number.isFinite(x));
  if (xs.length === 0) return {};
  let lo = Math.log10(Math.min(...xs)) - 0.125;
  let hi = Math.log10(Math.max(...xs)) + 0.125;
  if (hi - lo < 1) {
    const mid = (hi + lo) / 2;
    [lo, hi] = [mid - 0.5, mid + 0.5];
  }
  return { min: 10 ** lo, max: 10 ** hi };
}

/**
 * The quality axis range: the points' span with a little room, never above 100 %, and at least one point
 * wide, so a flat set of points (every variant agreeing fully with the baseline) is not spread over an
 * invented range above 100 %.
 */
export function qualityRange(points: readonly TradeoffPoint[]): { min?: number; max?: number } {
  const ys = points.flatMap((p) => (p.quality && Number.isFinite(p.quality.value) ? [p.quality.value] : []));
  if (ys.length === 0) return {};
  const lo = Math.min(...ys);
  const hi = Math.max(...ys);
  const pad = Math.max(0.25, (hi - lo) * 0.1);
  const max = Math.min(100, hi + pad);
  return { min: Math.min(lo - pad, max - 1), max };
}

/** Splits a long line at spaces into lines of at most `width` characters (a longer word stays whole). */
export function wrapText(text: string, width = 90): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}
