/**
 * `buildReport`: joins a workspace's models, static estimates, catalog alternatives, profiles and
 * recommendations into one Report. Pure and deterministic: no I/O, no clock (the time stamp is an input).
 */
import { resolveAssumptions } from './assumptions';
import type { ReportInputs } from './inputs';
import { buildModels } from './models';
import { buildPoints } from './points';
import { buildRecommendations } from './recommendations';
import { buildSummary } from './summary';
import { REPORT_SCHEMA_VERSION, type Report } from './types';
import type { ProfileResult, VariantResult } from '../profiler/types';

export type { ReportInputs, ReportOnnxInput, ReportPythonInput, ReportSettings, OneOffCostAssumption } from './inputs';
export { DEFAULT_ONE_OFF_COST } from './assumptions';

/** Builds the report; never throws for a bad figure (it becomes a note on its model). */
export function buildReport(given: ReportInputs): Report {
  const inputs = given.profiles
    ? { ...given, profiles: Object.fromEntries(Object.entries(given.profiles).map(([f, p]) => [f, usableProfile(p)])) }
    : given;
  const resolved = resolveAssumptions(inputs);
  const contexts = buildModels(inputs, resolved);
  const points = buildPoints(contexts, resolved);
  const recommendations = buildRecommendations(contexts, resolved);
  const models = contexts.map((c) => c.model);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    generatedAt: inputs.generatedAt,
    workspace: inputs.workspace,
    tool: { name: 'GreenLens', version: inputs.toolVersion },
    assumptions: {
      ...resolved.assumptions,
      notes: [...(inputs.hardware.notes ?? []), ...resolved.intensity.notes, ...resolved.tariff.notes],
    },
    models,
    points,
    recommendations,
    summary: buildSummary(models, recommendations),
  };
}

/** Whether every number of the reading is finite: a stored profile may come from a meter that failed part-way. */
function finiteReading(v: VariantResult): boolean {
  const e = v.energy?.perInference;
  return !e || [e.value, e.low, e.high].every(Number.isFinite);
}

/** The profile with each variant's unusable energy reading set aside and said so, so that no figure builds on it. */
function usableProfile(p: ProfileResult): ProfileResult {
  if (p.variants.every(finiteReading)) return p;
  return {
    ...p,
    variants: p.variants.map((v) =>
      finiteReading(v)
        ? v
        : {
            ...v,
            energy: undefined,
            energyRatio: undefined,
            notes: [
              ...v.notes,
              'Its energy reading is not a finite number (the meter failed part-way), so no energy figure is built on it.',
            ],
          },
    ),
  };
}
