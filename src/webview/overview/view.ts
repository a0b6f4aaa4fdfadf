/**
 * The Overview's view model: pure functions from a Report to the headline, the recommendations worth
 * acting on and the model whose trade-offs the chart shows. No DOM here, so every text is unit-tested.
 */
import type { Estimate } from '../../energy/quantity';
import { sumEstimates } from '../../report/summary';
import { amountText } from '../../report/wording';

export { amountText } from '../../report/wording';
import type { Report, ReportModel, ReportRecommendation } from '../../report/types';
import { approx, defaultModelId, energyText } from '../report/view';

/** How many recommendations the side panel shows; the full report lists them all. */
export const TOP_RECOMMENDATIONS = 3;

/** One figure of the headline: its words, the figure and its band for the tooltip. */
/** A workload in full ("1,000,000,000"), not in exponent form: it is a count the user typed. */
export function workloadText(perDay: number): string {
  return Number.isFinite(perDay) ? Math.round(perDay).toLocaleString('en-US') : 'n/a';
}

export interface HeadlineFigure {
  label: string;
  value: string;
  detail: string;
}

export interface Headline {
  figures: HeadlineFigure[];
  /** "at 10,000 inferences a day on this machine": what every yearly figure assumes. */
  basis: string;
  /** One line for screen readers and tests: "≈ 0.93 kWh · ≈ 0.44 kgCO2e · ≈ 0.14 USD per year". */
  text: string;
}

function figure(label: string, q: Estimate | undefined, unit: string): HeadlineFigure | undefined {
  if (!q || ![q.value, q.low, q.high].every(Number.isFinite)) return undefined;
  const band = q.low !== q.high ? `${amountText(q.low, unit)} – ${amountText(q.high, unit)}` : 'no band';
  return {
    label,
    value: `${approx(q)}${amountText(q.value, unit)}`,
    detail: `${q.provenance}: ${q.method}; band ${band}`,
  };
}

/** The workspace's yearly energy, CO2 and cost at the workload, summed over its models, and their basis. */
export function headline(report: Report): Headline {
  const yearly = report.models.flatMap((m) => (m.yearly ? [m.yearly] : []));
  const n = yearly.length;
  const method = `sum over ${n} model${n === 1 ? '' : 's'} at the assumed workload`;
  const currency = report.assumptions.electricity.currency;
  const figures = [
    figure(
      'Energy per year',
      sumEstimates(
        yearly.map((y) => y.energy),
        method,
      ),
      'kWh',
    ),
    figure(
      'CO2 per year',
      sumEstimates(
        yearly.map((y) => y.co2),
        method,
      ),
      'kgCO2e',
    ),
    figure(
      'Cost per year',
      sumEstimates(
        yearly.map((y) => y.cost),
        method,
      ),
      currency,
    ),
  ].filter((f): f is HeadlineFigure => f !== undefined);
  const target = report.assumptions.deployment?.target ?? report.assumptions.hardware.name;
  const basis = `at ${workloadText(report.assumptions.inferencesPerDay)} inferences a day, served on ${target}`;
  const text = figures.length
    ? `${figures.map((f) => f.value).join(' · ')} per year`
    : 'No yearly figure: no model with a known energy per inference';
  return { figures, basis, text };
}

/**
 * The recommendations worth acting on, best first: quantified ones whose savings pay the change back, in the
 * report's order (largest yearly savings first). Marginal and unquantified ones stay in the full report.
 */
export function worthActingOn(report: Report, limit = TOP_RECOMMENDATIONS): ReportRecommendation[] {
  return report.recommendations.filter((r) => r.verdict === 'worth-it' && !r.unquantified).slice(0, limit);
}

/** Why no recommendation is shown, pointing to what the full report still has. */
export function nothingWorthIt(report: Report): string {
  const others = report.recommendations.length;
  if (others === 0)
    return 'No recommendation: nothing measured or catalogued here saves energy within your accuracy tolerance.';
  return `None pays back its change at ${workloadText(report.assumptions.inferencesPerDay)} inferences a day; the full report lists ${others} other option${others === 1 ? '' : 's'}.`;
}

/** The model shown: the one asked for (active editor), else the report's default (profiled, else charted). */
export function overviewModelId(report: Report, wanted?: string): string | undefined {
  return defaultModelId(report, wanted);
}

/** A model's figures in one line for the Overview: "≈ 255 mJ/inf · grade D · ≈ 0.93 kWh/yr". */
export function modelLine(m: ReportModel): string {
  const parts: string[] = [];
  const e =
    m.profile?.variants.find((v) => v.kind === 'baseline' && v.energy)?.energy?.perInference ??
    m.catalog?.energyPerInference ??
    m.static?.energyPerInference;
  if (e && Number.isFinite(e.value)) parts.push(`${energyText(e)}/inf`);
  if (m.catalog?.grade) parts.push(`grade ${m.catalog.grade}`);
  if (m.yearly && Number.isFinite(m.yearly.energy.value))
    parts.push(`${approx(m.yearly.energy)}${amountText(m.yearly.energy.value, 'kWh')}/yr`);
  if (m.profile) parts.push('profiled');
  return parts.length ? parts.join(' · ') : (m.notes[0] ?? 'no figure');
}
