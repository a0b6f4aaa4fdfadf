/**
 * Workload and return on investment: per-inference figures × inferences per day → yearly energy, CO2e
 * and money; the break-even time of an optimization.
 */
import {
  convertEnergy,
  convertMass,
  formatNumber,
  makeEstimate,
  requireFinite,
  scaleEstimate,
  EnergyInputError,
  type Estimate,
} from './quantity';
import { emissions } from './carbon';
import { electricityCost, type Tariff } from './cost';

export const DAYS_PER_YEAR = 365;

/** Yearly figures of a workload. */
export interface YearlyImpact {
  energy: Estimate; // kWh
  co2: Estimate; // kgCO2e
  cost: Estimate; // currency
}

/** Scales a per-inference energy (J) to a year at `inferencesPerDay` and prices and weighs it. */
export function yearlyImpact(
  perInference: Estimate,
  inferencesPerDay: number,
  intensity: Estimate,
  tariff: Tariff,
): YearlyImpact {
  const perDay = requireFinite(inferencesPerDay, 'inferences per day', 0, 1e12);
  const yearJ = scaleEstimate(convertEnergy(perInference, 'J'), perDay * DAYS_PER_YEAR, 'J');
  return {
    energy: convertEnergy(yearJ, 'kWh'),
    co2: convertMass(emissions(yearJ, intensity), 'kgCO2e'),
    cost: electricityCost(yearJ, tariff),
  };
}

/** Outcome of a break-even analysis. */
export type BreakEven =
  /** `mayNever`: the low end of the savings band is ≤ 0, so within the band the change may never pay back. */
  { worthIt: true; days: Estimate; message: string; mayNever?: true } | { worthIt: false; message: string };

/**
 * Break-even time of an optimization: one-off cost (producing and validating the variant, in money)
 * divided by yearly savings (an Estimate in the same currency). Savings ≤ 0 → "not worth it".
 * The band uses the savings' band: low savings → late break-even.
 */
export function breakEven(oneOffCost: number, yearlySavings: Estimate): BreakEven {
  const cost = requireFinite(oneOffCost, 'one-off cost', 0, 1e12);
  if (!Number.isFinite(yearlySavings.value)) throw new EnergyInputError('yearly savings must be a finite number');
  if (yearlySavings.value <= 0) {
    return {
      worthIt: false,
      message: `Not worth it: the variant saves nothing at this workload (savings ${formatNumber(yearlySavings.value)} ${yearlySavings.unit}/year).`,
    };
  }
  const days = (cost / yearlySavings.value) * DAYS_PER_YEAR;
  const fast = (cost / yearlySavings.high) * DAYS_PER_YEAR;
  const about = `Pays back in about ${days < 1 ? '< 1' : Math.round(days)} days`;
  if (yearlySavings.low <= 0) {
    // No finite late end exists when the savings may be zero: the band stops at the central value and the
    // result says "never" for that end instead of inventing a multiple of it.
    const est = makeEstimate(days, 'days', {
      low: fast,
      high: days,
      method: 'one-off cost ÷ yearly savings',
      sources: yearlySavings.sources,
      notes: ['At the low end of the savings band the variant never pays back.'],
    });
    return {
      worthIt: true,
      days: est,
      mayNever: true,
      message: `${about}; at the low end of the savings band, never.`,
    };
  }
  const slow = (cost / yearlySavings.low) * DAYS_PER_YEAR;
  const est = makeEstimate(days, 'days', {
    low: fast,
    high: Math.max(slow, days),
    method: 'one-off cost ÷ yearly savings',
    sources: yearlySavings.sources,
  });
  return { worthIt: true, days: est, message: `${about}.` };
}
