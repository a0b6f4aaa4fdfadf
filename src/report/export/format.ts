/** Small text helpers shared by the Markdown, CSV and HTML exports. Pure. */
import { convertEnergy, formatJoules, formatNumber, type Estimate } from '../../energy/quantity';
import type { Report, TradeoffPoint } from '../types';

/** "≈ 1.37 mJ" for an estimate, "1.37 mJ" for a measurement. */
export function energyText(q: Estimate): string {
  const j = q.unit === 'J' ? q : convertEnergy(q, 'J');
  return `${q.provenance === 'estimated' ? '≈ ' : ''}${formatJoules(j.value)}`;
}

/** A figure with its band: "≈ 2.9 kWh (0–10)". */
export function withBand(q: Estimate): string {
  const band = q.low !== q.high ? ` (${formatNumber(q.low)}–${formatNumber(q.high)})` : '';
  return `${q.provenance === 'estimated' ? '≈ ' : ''}${formatNumber(q.value)} ${q.unit}${band}`;
}

/** The provenance of a figure in words: "measured (rapl)" or "estimated (TDP × CPU-time share)". */
export function provenanceText(q: Estimate): string {
  return `${q.provenance} (${q.method})`;
}

/** The meter of a measured variant point, from the model's profile. */
export function meterOf(report: Report, p: TradeoffPoint): string | undefined {
  if (p.series === 'alternative' || p.ref === undefined) return undefined;
  const model = report.models.find((m) => m.id === p.modelId);
  return model?.profile?.variants.find((v) => v.id === p.ref)?.energy?.meter;
}

/** The id of the recommendation made from a chart point, when there is one. */
export function recommendationIdOf(p: TradeoffPoint): string | undefined {
  if (p.series === 'variant' && p.ref) return `variant:${p.modelId}:${p.ref}`;
  if (p.series === 'alternative' && p.ref) return `alternative:${p.modelId}:${p.ref}`;
  return undefined;
}

/** The break-even wording is the report's one (days, months or years); re-exported for the exporters. */
export { breakEvenText } from '../wording';
