/**
 * Break-even and verdict of a recommendation: "not worth it" when it saves nothing, costs more accuracy
 * than the user accepts or pays back only after a model's usual service life; "marginal" when it pays
 * back only after a year or its savings band includes zero.
 */
import { formatNumber } from '../energy/quantity';
import { breakEven, type BreakEven, type YearlyImpact } from '../energy/workload';
import type { OneOffCostAssumption } from './inputs';
import type { ReportRecommendation, Verdict } from './types';
import { breakEvenSentence, countText, durationText } from './wording';

/** A break-even beyond this many days makes a recommendation marginal. */
export const MARGINAL_AFTER_DAYS = 365;

/**
 * A break-even beyond this many days makes a recommendation not worth it: a deployed model is usually
 * retrained or replaced within about three years, so a change that pays back later never pays back.
 */
export const NOT_WORTH_IT_AFTER_DAYS = 3 * 365;

export type RecommendationKind = ReportRecommendation['kind'];

/** Engineer hours of the one-off cost for a kind of recommendation. */
export function oneOffHours(kind: RecommendationKind, a: OneOffCostAssumption): number {
  return kind === 'variant' ? a.variantHours : kind === 'alternative-model' ? a.alternativeHours : a.codeChangeHours;
}

/** The one-off cost in money, and the sentence that states it in the evidence. */
export function oneOffCost(
  kind: RecommendationKind,
  a: OneOffCostAssumption,
  currency: string,
): { cost: number; evidence: string } {
  const hours = oneOffHours(kind, a);
  const cost = hours * a.hourlyRate;
  return {
    cost,
    evidence: `One-off cost assumed: ${formatNumber(hours)} h × ${formatNumber(a.hourlyRate)} ${currency}/h = ${formatNumber(cost)} ${currency} (${a.source}).`,
  };
}

/** Verdict and the sentence that explains it. */
export function judge(
  savings: YearlyImpact,
  be: BreakEven,
  qualityDelta: ReportRecommendation['qualityDelta'],
  tolerance: number,
): { verdict: Verdict; reason: string } {
  const e = savings.energy;
  if (!(e.value > 0))
    return {
      verdict: 'not-worth-it',
      reason: `Not worth it: it saves no energy at this workload (${formatNumber(e.value)} kWh/yr).`,
    };
  if (qualityDelta && qualityDelta.points < -tolerance) {
    return {
      verdict: 'not-worth-it',
      reason: `Not worth it: it loses ${countText(-qualityDelta.points, 'point')} of ${qualityDelta.metric}, more than the accepted ${formatNumber(tolerance)}.`,
    };
  }
  if (!be.worthIt)
    return {
      verdict: 'marginal',
      reason: `Marginal: it saves ${formatNumber(e.value)} kWh/yr but no money at this electricity price, so the one-off cost never pays back.`,
    };
  if (be.days.value > NOT_WORTH_IT_AFTER_DAYS)
    return {
      verdict: 'not-worth-it',
      reason: `Not worth it at this workload: the one-off cost pays back only after about ${durationText(be.days.value)}, longer than a model usually serves.`,
    };
  if (be.days.value > MARGINAL_AFTER_DAYS)
    return {
      verdict: 'marginal',
      reason: `Marginal: the one-off cost pays back only after about ${durationText(be.days.value)}.`,
    };
  if (e.low <= 0)
    return {
      verdict: 'marginal',
      reason: `Marginal: the savings band (${formatNumber(e.low)} to ${formatNumber(e.high)} kWh/yr) includes zero.`,
    };
  return { verdict: 'worth-it', reason: `Worth it: ${be.message.charAt(0).toLowerCase()}${be.message.slice(1)}` };
}

/** Break-even of a one-off cost against yearly money savings (never throws for a non-finite saving). */
export function breakEvenOf(cost: number, savings: YearlyImpact): BreakEven {
  if (!Number.isFinite(savings.cost.value))
    return { worthIt: false, message: 'No break-even: the savings are not a finite figure.' };
  // The energy layer's sentence counts days; the report says the same time in days, months or years.
  const be = breakEven(cost, savings.cost);
  return be.worthIt ? { ...be, message: breakEvenSentence(be) } : be;
}
