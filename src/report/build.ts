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

export type { ReportInputs, ReportOnnxInput, ReportPythonInput, ReportSettings, OneOffCostAssumption } from './inputs';
export { DEFAULT_ONE_OFF_COST } from './assumptions';

/** Builds the report; never throws for a bad figure (it becomes a note on its model). */
export function buildReport(inputs: ReportInputs): Report {
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
    assumptions: { ...resolved.assumptions, notes: [...(inputs.hardware.notes ?? []), ...resolved.intensity.notes, ...resolved.tariff.notes] },
    models,
    points,
    recommendations,
    summary: buildSummary(models, recommendations),
  };
}
