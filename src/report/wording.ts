/**
 * The words of the report's figures, shared by every renderer (HTML page, Markdown, the panel, the .onnx
 * viewer): counts with the right plural, durations in days, months or years rather than a raw count of
 * days, and break-even times. Pure: no DOM, no vscode.
 */
import { formatNumber } from '../energy/quantity';
import type { BreakEven } from '../energy/workload';

/** Days in an average month of the Gregorian year (365.2425 / 12). */
const DAYS_PER_MONTH = 30.436875;
const DAYS_PER_YEAR = 365.2425;

/** Up to this many days a duration reads in days; beyond it in months. */
const DAYS_UNTIL = 45;
/** Up to this many months a duration reads in months; beyond it in years. */
const MONTHS_UNTIL = 18;

/**
 * The word for a count: the singular when the count reads as exactly one ("1 point", "−1 point"), the
 * plural otherwise ("0 points", "0.5 points", "2 points"), as English writes them.
 */
export function plural(n: number, one: string, many = `${one}s`): string {
  return formatNumber(Math.abs(n)) === '1' ? one : many;
}

/** A count and its word: "1 point", "2.5 points", "12 recommendations". */
export function countText(n: number, one: string, many?: string): string {
  return `${formatNumber(n)} ${plural(n, one, many)}`;
}

/**
 * A duration given in days, in the unit a reader thinks in: "less than a day", "12 days", "5 months",
 * "3.1 years", "17,100 years". Never a raw count of hundreds of days. NaN or a negative duration is "n/a".
 */
export function durationText(days: number): string {
  if (!Number.isFinite(days) || days < 0) return 'n/a';
  if (days < 1) return 'less than a day';
  if (days < DAYS_UNTIL) return countText(Math.round(days), 'day');
  const months = days / DAYS_PER_MONTH;
  if (months < MONTHS_UNTIL) return countText(Math.round(months), 'month');
  const years = days / DAYS_PER_YEAR;
  return countText(years < 10 ? Math.round(years * 10) / 10 : Math.round(years), 'year');
}

/** The short break-even of a recommendation: "≈ 5 months", "< 1 day", or "never". */
export function breakEvenText(be: BreakEven): string {
  if (!be.worthIt) return 'never';
  const d = be.days.value;
  if (!Number.isFinite(d)) return 'n/a';
  return d < 1 ? '< 1 day' : `≈ ${durationText(d)}`;
}

/**
 * The sentence a break-even is explained by: "Pays back in about 5 months." with, when the low end of the
 * savings band saves nothing, "; at the low end of the savings band, never."
 */
export function breakEvenSentence(be: BreakEven): string {
  if (!be.worthIt) return be.message;
  const about = `Pays back in about ${durationText(be.days.value)}`;
  return be.mayNever ? `${about}; at the low end of the savings band, never.` : `${about}.`;
}

/**
 * The break-even line of a recommendation without repeating itself: "≈ 5 months", "≈ 5 months, never at
 * the low end of the savings band", or "never" with the reason.
 */
export function breakEvenLine(be: BreakEven): string {
  if (!be.worthIt) return `never — ${be.message}`;
  return be.mayNever ? `${breakEvenText(be)}, never at the low end of the savings band` : breakEvenText(be);
}

const SCALES: Record<string, readonly [number, string][]> = {
  kWh: [
    [1e6, 'GWh'],
    [1e3, 'MWh'],
    [1, 'kWh'],
    [1e-3, 'Wh'],
  ],
  kgCO2e: [
    [1e6, 'ktCO2e'],
    [1e3, 'tCO2e'],
    [1, 'kgCO2e'],
    [1e-3, 'gCO2e'],
  ],
};

/**
 * A yearly amount in a unit that keeps it short: "1.48 GWh", "702 tCO2e", "22.2 M USD" rather than
 * exponent forms, which a headline should not need.
 */
export function amountText(value: number, unit: string): string {
  if (!Number.isFinite(value)) return 'n/a';
  const scales = SCALES[unit];
  if (scales) {
    const [f, u] = scales.find(([x]) => Math.abs(value) >= x) ?? scales[scales.length - 1]!;
    return `${formatNumber(value / f)} ${u}`;
  }
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${formatNumber(value / 1e9)} G ${unit}`;
  if (abs >= 1e6) return `${formatNumber(value / 1e6)} M ${unit}`;
  if (abs >= 1e4) return `${formatNumber(value / 1e3)} k ${unit}`;
  return `${formatNumber(value)} ${unit}`;
}
