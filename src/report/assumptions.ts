/**
 * The workload, prices, carbon intensity, hardware and one-off cost a report assumes, resolved once from
 * the inputs so that every yearly figure of the report uses the same ones.
 */
import { resolveCarbonIntensity } from '../energy/carbon';
import { resolveTariff, type Tariff } from '../energy/cost';
import type { Device } from '../energy/hardware';
import type { Estimate } from '../energy/quantity';
import { deploymentTarget, toTarget, type DeploymentTarget, type TargetModel } from '../energy/deployment';
import { yearlyImpact, type YearlyImpact } from '../energy/workload';
import { DEFAULT_SETTINGS, inSettingRange } from '../settings';
import type { OneOffCostAssumption, ReportInputs, ReportSettings } from './inputs';
import type { ReportAssumptions } from './types';

/**
 * The default one-off cost of acting on a recommendation. Building a variant takes seconds, but nobody
 * should ship one unchecked: half a working day to validate a quantized or optimized model on real data,
 * two days to swap in another model (evaluate, maybe fine-tune), one hour for a small code change. The
 * rate is a round figure for an engineer's loaded cost; it is meant to be overridden and is always
 * printed next to the break-even it produces.
 */
export const DEFAULT_ONE_OFF_COST: Readonly<OneOffCostAssumption> = Object.freeze({
  hourlyRate: 75,
  variantHours: 4,
  alternativeHours: 16,
  codeChangeHours: 1,
  source: 'GreenLens default assumption (engineer time to validate the change at 75 per hour, in your currency)',
});

/** Assumptions plus the resolved objects the energy functions take. */
export interface ResolvedAssumptions {
  assumptions: ReportAssumptions;
  intensity: Estimate;
  tariff: Tariff;
  oneOff: OneOffCostAssumption;
  settings: ReportSettings;
  device: Device;
  target: DeploymentTarget;
  /** Yearly figures of a per-inference energy measured here, on the deployment target. */
  yearly: (perInference: Estimate, model: TargetModel) => YearlyImpact;
}

/** Resolves the report's assumptions; never throws (bad values fall back and say so in notes). */
export function resolveAssumptions(inputs: ReportInputs): ResolvedAssumptions {
  const s = inputs.settings;
  const intensity = resolveCarbonIntensity(s);
  const tariff = resolveTariff(s);
  const oneOff = inputs.oneOffCost ?? DEFAULT_ONE_OFF_COST;
  const priceSource =
    s.electricityPrice === DEFAULT_SETTINGS.electricityPrice && s.currency === DEFAULT_SETTINGS.currency
      ? 'default of greenlens.electricity.price (a placeholder: set your tariff)'
      : 'your setting greenlens.electricity.price';
  const inferencesPerDay = inSettingRange('inferencesPerDay', s.inferencesPerDay)
    ? s.inferencesPerDay
    : DEFAULT_SETTINGS.inferencesPerDay;
  const tolerance = inSettingRange('accuracyTolerance', s.accuracyTolerance)
    ? s.accuracyTolerance
    : DEFAULT_SETTINGS.accuracyTolerance;
  const assumptions: ReportAssumptions = {
    inferencesPerDay,
    electricity: {
      perKWh: tariff.perKWh,
      currency: tariff.currency,
      source: tariff.notes.length ? tariff.notes.join(' ') : priceSource,
    },
    carbonIntensity: intensity,
    hardware: {
      name: inputs.hardware.device.matchedName ?? inputs.hardware.device.name,
      source: inputs.hardware.source,
    },
    accuracyTolerance: tolerance,
    oneOffCost: { ...oneOff, currency: tariff.currency },
  };
  const target = deploymentTarget(
    s.deploymentTarget ?? DEFAULT_SETTINGS.deploymentTarget,
    s.deploymentBatch ?? DEFAULT_SETTINGS.deploymentBatch,
  );
  assumptions.deployment = { target: target.name, batch: target.batch, method: target.method };
  const device = inputs.hardware.device;
  const yearly = (perInference: Estimate, model: TargetModel): YearlyImpact =>
    yearlyImpact(toTarget(perInference, model, device, target), inferencesPerDay, intensity, tariff);
  return { assumptions, intensity, tariff, oneOff, settings: s, device, target, yearly };
}
