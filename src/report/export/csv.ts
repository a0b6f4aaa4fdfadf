/**
 * CSV export: one row per trade-off point (the model as it is, each measured variant, each catalog
 * alternative) with every metric, its band and provenance, and the verdict of the recommendation made
 * from it. RFC 4180 quoting and CRLF line ends come from csv-stringify; cells that a spreadsheet would
 * run as a formula (`=`, `+`, `-`, `@` first) are prefixed with `'`.
 */
import { stringify } from 'csv-stringify/sync';
import { convertEnergy } from '../../energy/quantity';
import type { Report, TradeoffPoint } from '../types';
import { meterOf, recommendationIdOf } from './format';

/** Column names, in order; docs/report-schema.md describes each. */
export const CSV_COLUMNS = [
  'model_id',
  'model_name',
  'model_file',
  'model_line',
  'series',
  'label',
  'ref',
  'energy_j',
  'energy_j_low',
  'energy_j_high',
  'energy_provenance',
  'energy_method',
  'energy_meter',
  'energy_sources',
  'quality_pct',
  'quality_metric',
  'quality_source',
  'latency_ms',
  'latency_ms_low',
  'latency_ms_high',
  'on_frontier',
  'yearly_kwh',
  'yearly_kwh_low',
  'yearly_kwh_high',
  'yearly_kgco2e',
  'yearly_cost',
  'currency',
  'recommendation_id',
  'verdict',
  'savings_kwh',
  'savings_kwh_low',
  'savings_kwh_high',
  'savings_cost',
  'quality_delta_pt',
  'break_even_days',
] as const;

type Cell = string | number | boolean | undefined;

function row(report: Report, p: TradeoffPoint): Cell[] {
  const m = report.models.find((x) => x.id === p.modelId);
  const e = convertEnergy(p.energyPerInference, 'J');
  const recId = recommendationIdOf(p);
  const rec = recId ? report.recommendations.find((r) => r.id === recId) : undefined;
  return [
    p.modelId,
    m?.name,
    m?.file,
    m?.line,
    p.series,
    p.label,
    p.ref,
    e.value,
    e.low,
    e.high,
    e.provenance,
    e.method,
    meterOf(report, p),
    e.sources.join('; '),
    p.quality?.value,
    p.quality?.metric,
    p.quality?.source,
    p.latencyMs?.value,
    p.latencyMs?.low,
    p.latencyMs?.high,
    p.onFrontier,
    p.yearly?.energy.value,
    p.yearly?.energy.low,
    p.yearly?.energy.high,
    p.yearly?.co2.value,
    p.yearly?.cost.value,
    p.yearly?.cost.unit,
    rec?.id,
    rec?.verdict,
    rec?.savings.energy.value,
    rec?.savings.energy.low,
    rec?.savings.energy.high,
    rec?.savings.cost.value,
    rec?.qualityDelta?.points,
    rec?.breakEven.worthIt ? rec.breakEven.days.value : undefined,
  ];
}

/** The report's trade-off points as CSV text with a header row. */
export function exportCsv(report: Report): string {
  return stringify(
    report.points.map((p) => row(report, p)),
    {
      header: true,
      columns: [...CSV_COLUMNS],
      record_delimiter: 'windows',
      escape_formulas: true,
      cast: { boolean: (b) => (b ? 'true' : 'false'), number: (n) => String(n) },
    },
  );
}
