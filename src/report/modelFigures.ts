/**
 * One model's headline figures as the report states them: energy per inference (a measurement on this
 * machine before a catalog figure before a MAC count), its yearly energy, CO2e and cost at the report's
 * workload, and its grade. The report panel's model table and the .onnx viewer both read them from here,
 * so the two never disagree. Pure: plain rows of text.
 */
import { convertEnergy, formatJoules, formatNumber, type Estimate } from '../energy/quantity';
import { energyText, withBand } from './export/format';
import { gradeShort } from './gradeText';
import type { Report, ReportModel } from './types';
import { countText } from './wording';

/** A labelled figure with where it comes from. */
export interface FigureRow {
  label: string;
  value: string;
  source?: string;
}

/** The energy per inference the report uses for a model: measured baseline, else catalog, else MAC count. */
export function modelEnergy(m: ReportModel): Estimate | undefined {
  const base = m.profile?.variants.find((v) => v.kind === 'baseline' && v.status === 'measured' && v.energy)?.energy
    ?.perInference;
  return base ?? m.catalog?.energyPerInference ?? m.static?.energyPerInference;
}

/** Why a model has no grade: grades need an accuracy, which only catalog models have. */
export const NOT_GRADED =
  "Grades compare accuracy and energy with the catalog's frontier of ImageNet classifiers; this model has no catalog entry, so no accuracy to grade it by.";

/** "estimated: MACs × … calibration for AMD EPYC; band 50 µJ–120 µJ". */
function provenance(q: Estimate, hardware: string): string {
  const j = q.unit === 'J' ? q : convertEnergy(q, 'J');
  const band = j.low !== j.high ? `; band ${formatJoules(j.low)}–${formatJoules(j.high)}` : '';
  return `${q.provenance}: ${q.method}${q.provenance === 'estimated' ? ` for ${hardware}` : ''}${band}`;
}

/** The rows of one model's figures; an unknown model id gives no rows. */
export function modelFigures(report: Report, modelId: string): FigureRow[] {
  const m = report.models.find((x) => x.id === modelId);
  if (!m) return [];
  const a = report.assumptions;
  const rows: FigureRow[] = [];
  const e = modelEnergy(m);
  rows.push(
    e
      ? { label: 'Energy per inference', value: energyText(e), source: provenance(e, a.hardware.name) }
      : {
          label: 'Energy per inference',
          value: 'unknown',
          source: m.notes.join(' ') || 'No energy figure for this model.',
        },
  );
  const y = m.yearly;
  if (y) {
    const target = a.deployment ? ` on ${a.deployment.target}, batch ${a.deployment.batch}` : '';
    const workload = `at ${countText(a.inferencesPerDay, 'inference')} a day${target}`;
    rows.push({ label: 'Energy per year', value: withBand(y.energy), source: workload });
    rows.push({
      label: 'Cost per year',
      value: withBand(y.cost),
      source: `${workload}; ${formatNumber(a.electricity.perKWh)} ${a.electricity.currency} per kWh (${a.electricity.source})`,
    });
    rows.push({ label: 'CO2e per year', value: withBand(y.co2), source: `${workload}; ${a.carbonIntensity.method}` });
  }
  rows.push(
    m.catalog
      ? {
          label: 'Grade',
          value: m.catalog.gradeLabel ?? gradeShort(m.catalog),
          source: `${m.catalog.name} in the catalog (${m.catalog.library}); see docs/grades.md`,
        }
      : { label: 'Grade', value: 'not graded', source: NOT_GRADED },
  );
  return rows;
}
