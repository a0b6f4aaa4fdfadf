/** The one-line workspace summary: yearly energy of all models at the assumed workload, worst grade. */
import { makeEstimate, type Estimate } from '../energy/quantity';
import { amountText } from './wording';
import { REFERENCE_DEVICE } from '../catalog/grades';
import type { Report, ReportModel, ReportRecommendation } from './types';

const GRADES = ['A', 'B', 'C', 'D', 'E', 'F', 'G'];

/** Sum of estimates in one unit: values, lows and highs add; measured only when every part is. */
export function sumEstimates(parts: readonly Estimate[], method: string): Estimate | undefined {
  if (parts.length === 0) return undefined;
  return makeEstimate(
    parts.reduce((s, p) => s + p.value, 0),
    parts[0]!.unit,
    {
      low: parts.reduce((s, p) => s + p.low, 0),
      high: parts.reduce((s, p) => s + p.high, 0),
      provenance: parts.every((p) => p.provenance === 'measured') ? 'measured' : 'estimated',
      method,
      sources: parts.flatMap((p) => p.sources),
    },
  );
}

/**
 * The first parts of both summary texts: "≈ 1.2 kWh/yr", "grade C (RTX 3090)" (each when known). A grade is
 * relative to one device's frontier, so the letter never appears without it (docs/grades.md).
 */
function headline(
  yearlyEnergy: Estimate | undefined,
  worstGrade: string | undefined,
  device: string | undefined,
): string[] {
  const parts: string[] = [];
  if (yearlyEnergy)
    parts.push(`${yearlyEnergy.provenance === 'estimated' ? '≈ ' : ''}${amountText(yearlyEnergy.value, 'kWh')}/yr`);
  if (worstGrade) parts.push(`grade ${worstGrade} (${device ?? REFERENCE_DEVICE})`);
  return parts;
}

/** Builds the summary; the text reads "≈ 1.2 kWh/yr · grade C (RTX 3090) · 2 recommendations worth it". */
export function buildSummary(models: readonly ReportModel[], recs: readonly ReportRecommendation[]): Report['summary'] {
  const energies = models.flatMap((m) => (m.yearly ? [m.yearly.energy] : []));
  const yearlyEnergy = sumEstimates(
    energies,
    `sum over ${energies.length} model${energies.length === 1 ? '' : 's'} at the assumed workload`,
  );
  const grades = models.flatMap((m) =>
    m.catalog && !m.catalog.testNetwork && GRADES.includes(m.catalog.grade) ? [m.catalog.grade] : [],
  );
  const worstGrade = grades.sort((a, b) => GRADES.indexOf(b) - GRADES.indexOf(a))[0];
  const profiled = models.filter((m) => m.profile).length;
  const worth = recs.filter((r) => r.verdict === 'worth-it').length;
  const parts = headline(yearlyEnergy, worstGrade, REFERENCE_DEVICE);
  parts.push(`${worth} recommendation${worth === 1 ? '' : 's'} worth it`);
  const out: Report['summary'] = {
    models: models.length,
    profiled,
    text: models.length ? parts.join(' · ') : 'No models found',
  };
  if (yearlyEnergy) out.yearlyEnergy = yearlyEnergy;
  if (worstGrade) {
    out.worstGrade = worstGrade;
    out.gradeDevice = REFERENCE_DEVICE;
  }
  return out;
}

/**
 * The summary for the status bar, where room is short: "≈ 14.8 kWh/yr · grade D (RTX 3090)", with "· 2 to act on" when
 * recommendations are worth it. The full text goes to the item's tooltip and accessible label.
 */
export function statusBarText(report: Pick<Report, 'summary' | 'recommendations'>): string {
  const s = report.summary;
  if (s.models === 0) return s.text;
  const worth = report.recommendations.filter((r) => r.verdict === 'worth-it').length;
  const parts = headline(s.yearlyEnergy, s.worstGrade, s.gradeDevice);
  if (worth > 0) parts.push(`${worth} to act on`);
  return parts.length ? parts.join(' · ') : `${s.models} model${s.models === 1 ? '' : 's'}`;
}
