/**
 * The one value type behind every energy, carbon and money figure GreenLens shows: a number with its unit,
 * an uncertainty band, whether it was measured or estimated, how, and from which data. Pure.
 */

/** Whether a figure comes from a meter on this machine or from a model. */
export type Provenance = 'measured' | 'estimated';

export type EnergyUnit = 'J' | 'Wh' | 'kWh';
export type MassUnit = 'gCO2e' | 'kgCO2e';
/**
 * Units used across src/energy. Money carries its ISO 4217 code as the unit (`USD`, `EUR`), so an
 * `Estimate` of money is self-describing.
 */
export type Unit = EnergyUnit | MassUnit | 'W' | 's' | 'h' | 'gCO2e/kWh' | 'J/MAC' | string;

/** A value with unit, band, provenance, method and sources. `low <= value <= high` always holds. */
export interface Estimate {
  value: number;
  unit: Unit;
  /** Lower end of the uncertainty band, same unit. */
  low: number;
  /** Upper end of the uncertainty band, same unit. */
  high: number;
  provenance: Provenance;
  /** Short human-readable name of the method, e.g. "TDP × CPU-time share". */
  method: string;
  /** Citations of the data behind the figure (see SOURCES in sources.ts). */
  sources: string[];
  /** Assumptions and fallbacks the user should know about (e.g. "no TDP entry: 10 W per core assumed"). */
  notes: string[];
}

/** Thrown when an input to an energy model is unusable; the message is meant for the user. */
export class EnergyInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnergyInputError';
  }
}

/** Checks that `value` is a finite number within [min, max]; throws EnergyInputError naming `what` otherwise. */
export function requireFinite(value: unknown, what: string, min = 0, max = Number.MAX_VALUE): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new EnergyInputError(`${what} must be a finite number; got ${JSON.stringify(value) ?? String(value)}.`);
  }
  if (value < min || value > max) throw new EnergyInputError(`${what} must be from ${min} to ${max}; got ${value}.`);
  return value;
}

interface EstimateInit {
  low?: number;
  high?: number;
  provenance?: Provenance;
  method: string;
  sources?: string[];
  notes?: string[];
}

/**
 * Builds an Estimate and enforces its invariants: finite numbers, and a band that contains the value
 * (a band given the wrong way round is swapped rather than trusted).
 */
export function makeEstimate(value: number, unit: Unit, init: EstimateInit): Estimate {
  requireFinite(value, `${init.method} (value)`, -Number.MAX_VALUE);
  const a = init.low ?? value;
  const b = init.high ?? value;
  requireFinite(a, `${init.method} (low)`, -Number.MAX_VALUE);
  requireFinite(b, `${init.method} (high)`, -Number.MAX_VALUE);
  return {
    value,
    unit,
    low: Math.min(a, b, value),
    high: Math.max(a, b, value),
    provenance: init.provenance ?? 'estimated',
    method: init.method,
    sources: [...new Set(init.sources ?? [])],
    notes: [...(init.notes ?? [])],
  };
}

/** Multiplies an estimate by an exact non-negative factor (a count, a unit conversion): the band scales too. */
export function scaleEstimate(q: Estimate, factor: number, unit: Unit = q.unit, note?: string): Estimate {
  requireFinite(factor, 'scale factor', 0);
  return {
    ...q,
    unit,
    value: q.value * factor,
    low: q.low * factor,
    high: q.high * factor,
    notes: note ? [...q.notes, note] : [...q.notes],
  };
}

/**
 * Product of two uncertain non-negative quantities. The band multiplies ends with ends, which is
 * conservative (it assumes the errors are fully correlated); the result is 'measured' only when both are.
 */
export function multiplyEstimates(a: Estimate, b: Estimate, unit: Unit, method: string): Estimate {
  return makeEstimate(a.value * b.value, unit, {
    low: a.low * b.low,
    high: a.high * b.high,
    provenance: a.provenance === 'measured' && b.provenance === 'measured' ? 'measured' : 'estimated',
    method,
    sources: [...a.sources, ...b.sources],
    notes: [...a.notes, ...b.notes],
  });
}

const ENERGY_TO_J: Record<EnergyUnit, number> = { J: 1, Wh: 3600, kWh: 3.6e6 };
const MASS_TO_G: Record<MassUnit, number> = { gCO2e: 1, kgCO2e: 1000 };

/** Converts an energy estimate to another energy unit. */
export function convertEnergy(q: Estimate, to: EnergyUnit): Estimate {
  const from = ENERGY_TO_J[q.unit as EnergyUnit];
  if (from === undefined) throw new EnergyInputError(`Cannot convert ${q.unit} to ${to}: not an energy unit.`);
  return scaleEstimate(q, from / ENERGY_TO_J[to], to);
}

/** Converts a CO2e mass estimate to grams or kilograms. */
export function convertMass(q: Estimate, to: MassUnit): Estimate {
  const from = MASS_TO_G[q.unit as MassUnit];
  if (from === undefined) throw new EnergyInputError(`Cannot convert ${q.unit} to ${to}: not a CO2e mass unit.`);
  return scaleEstimate(q, from / MASS_TO_G[to], to);
}

const SI: readonly [number, string][] = [
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
  [1, ''],
  [1e-3, 'm'],
  [1e-6, 'µ'],
  [1e-9, 'n'],
];

/** Formats a number with 3 significant digits; never returns "NaN" or "Infinity". */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (abs >= 1e6 || abs < 1e-3) return x.toExponential(2);
  return Number(x.toPrecision(3)).toLocaleString('en-US', { maximumFractionDigits: 6 });
}

/** Formats joules with an SI prefix: 0.0123 J → "12.3 mJ". */
export function formatJoules(j: number): string {
  if (!Number.isFinite(j)) return 'n/a';
  if (j === 0) return '0 J';
  const abs = Math.abs(j);
  const [factor, prefix] = SI.find(([f]) => abs >= f) ?? [1e-9, 'n'];
  return `${formatNumber(j / factor)} ${prefix}J`;
}

const COUNT_PREFIXES: readonly [number, string][] = [
  [1e12, 'T'],
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
];

/**
 * Formats a count (parameters, MACs, FLOPs, elements) with an SI prefix and three significant digits:
 * 235,146 MACs → "235 k MACs", 1.81e9 → "1.81 G MACs", 42 → "42 MACs". The one way every view writes
 * counts, so a small model never reads "0.0002 GMACs".
 */
export function formatCount(n: number, noun = ''): string {
  if (!Number.isFinite(n)) return 'n/a';
  const step = COUNT_PREFIXES.find(([f]) => Math.abs(n) >= f);
  const figure = step ? `${formatNumber(n / step[0])} ${step[1]}` : formatNumber(Math.round(n));
  return noun ? `${figure} ${noun}` : figure;
}

function formatValue(x: number, unit: Unit): string {
  if (unit === 'J') return formatJoules(x);
  return `${formatNumber(x)} ${unit}`;
}

/** One-line rendering for lenses and the CLI: "≈ 12.3 mJ (estimated: TDP × CPU share; 6.1 mJ–18.4 mJ)". */
export function formatEstimate(q: Estimate): string {
  const approx = q.provenance === 'estimated' ? '≈ ' : '';
  const band = q.low !== q.high ? `; ${formatValue(q.low, q.unit)}–${formatValue(q.high, q.unit)}` : '';
  return `${approx}${formatValue(q.value, q.unit)} (${q.provenance}: ${q.method}${band})`;
}

/** True when every number of the estimate is finite: the last guard before a figure reaches a user. */
export function isDisplayable(q: Estimate): boolean {
  return [q.value, q.low, q.high].every(Number.isFinite);
}

/**
 * A table cell for an energy in mJ: a measured figure as is, an estimate with "≈" and its band, so a
 * table never shows an estimate as if it were a measurement.
 */
export function millijouleCell(q: Estimate): string {
  const mj = (x: number): string => (x * 1000).toFixed(3);
  if (q.provenance === 'measured' && q.low === q.high) return `${mj(q.value)} mJ`;
  const band = q.low !== q.high ? ` (${mj(q.low)}–${mj(q.high)})` : '';
  return `${q.provenance === 'estimated' ? '≈ ' : ''}${mj(q.value)} mJ${band}`;
}
