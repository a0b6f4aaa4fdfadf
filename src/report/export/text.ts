/** A compact plain-text summary of a report for terminals: one row per model with its best recommendation. */
import { formatNumber } from '../../energy/quantity';
import type { Report } from '../types';
import { energyText } from './format';

const MAX_CELL = 48;

/** Truncates long names so the table stays readable in a terminal; control characters become spaces. */
function cell(text: string): string {
  const clean = text.replace(/\p{Cc}/gu, ' ');
  return clean.length > MAX_CELL ? `${clean.slice(0, MAX_CELL - 1)}…` : clean;
}

/** The summary table: model, where, energy per inference, yearly energy, best recommendation, verdict, savings. */
export function formatReportSummary(report: Report): string {
  const head = ['model', 'energy/inf', 'kWh/yr', 'best recommendation', 'verdict', 'saves/yr'];
  const rows = report.models.map((m) => {
    const own = report.points.find((p) => p.modelId === m.id && p.series === 'model');
    const best = report.recommendations.find((r) => r.modelId === m.id);
    const cur = report.assumptions.electricity.currency;
    return [
      cell(m.line ? `${m.name} (${m.file}:${m.line})` : m.file),
      own
        ? `${energyText(own.energyPerInference)}${own.energyPerInference.provenance === 'measured' ? ' M' : ''}`
        : 'n/a',
      m.yearly ? formatNumber(m.yearly.energy.value) : 'n/a',
      best ? cell(best.title) : '—',
      best?.verdict ?? '',
      best
        ? best.unquantified
          ? 'not quantified'
          : `${formatNumber(best.savings.energy.value)} kWh, ${formatNumber(best.savings.cost.value)} ${cur}`
        : '',
    ];
  });
  const all = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const a = report.assumptions;
  return [
    line(head),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map(line),
    '',
    `${report.summary.text}. At ${formatNumber(a.inferencesPerDay)} inferences/day per model, ${formatNumber(a.electricity.perKWh)} ${a.electricity.currency}/kWh, ${formatNumber(a.carbonIntensity.value)} gCO2e/kWh, on ${a.hardware.name}${a.deployment ? `; yearly figures for ${a.deployment.target}, batch ${a.deployment.batch}` : ''}.`,
    '≈ estimated (with a band in the reports), M measured by a meter; verdicts weigh the savings against a one-off cost of engineer time (see report.md).',
  ].join('\n');
}
