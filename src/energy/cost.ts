/** Money: electricity price and currency, and cloud instance hours. Results carry the currency as unit. */
import { makeEstimate, convertEnergy, requireFinite, scaleEstimate, type Estimate } from './quantity';
import { SOURCES } from './sources';
import { DEFAULT_SETTINGS, inSettingRange, SETTING_PATTERNS, SETTING_RANGES } from '../settings';

/** The price used when the setting is unusable: the setting's default. */
export const DEFAULT_PRICE = Object.freeze({
  perKWh: DEFAULT_SETTINGS.electricityPrice,
  currency: DEFAULT_SETTINGS.currency,
});
const PRICE = SETTING_RANGES.electricityPrice;

/** A validated tariff plus what was wrong with the given one, if anything. */
export interface Tariff {
  perKWh: number;
  currency: string;
  /** True when the price is GreenLens's placeholder default rather than a value the user chose. */
  isDefault: boolean;
  notes: string[];
}

/** Validates a price per kWh and an ISO 4217 code by the settings' rules; bad values fall back to the defaults, with a note. */
export function resolveTariff(settings: { electricityPrice?: unknown; currency?: unknown }): Tariff {
  const notes: string[] = [];
  let perKWh: number = DEFAULT_PRICE.perKWh;
  let currency: string = DEFAULT_PRICE.currency;
  const p = settings.electricityPrice;
  if (inSettingRange('electricityPrice', p)) perKWh = p;
  else if (p !== undefined)
    notes.push(
      `Electricity price ${JSON.stringify(p) ?? String(p)} is not a number from ${PRICE.min} to ${PRICE.max} per kWh; using the default ${DEFAULT_PRICE.perKWh} per kWh.`,
    );
  const c = settings.currency;
  if (typeof c === 'string' && SETTING_PATTERNS.currency.test(c.trim())) currency = c.trim().toUpperCase();
  else if (c !== undefined)
    notes.push(`Currency ${JSON.stringify(c) ?? String(c)} is not an ISO 4217 code; using ${DEFAULT_PRICE.currency}.`);
  // A price equal to the shipped default is reported as the default: the setting's value alone cannot
  // tell a deliberate 0.15 from an untouched one, and calling a placeholder user input would overstate it.
  const isDefault = perKWh === DEFAULT_PRICE.perKWh && currency === DEFAULT_PRICE.currency;
  return { perKWh, currency, isDefault, notes };
}

/** Cost of an energy estimate at a tariff, in the tariff's currency. */
export function electricityCost(energy: Estimate, tariff: Tariff): Estimate {
  const kwh = convertEnergy(energy, 'kWh');
  const price = requireFinite(tariff.perKWh, 'electricity price', PRICE.min, PRICE.max);
  return makeEstimate(kwh.value * price, tariff.currency, {
    low: kwh.low * price,
    high: kwh.high * price,
    provenance: energy.provenance,
    method: `${energy.method} × ${price} ${tariff.currency}/kWh${tariff.isDefault ? ' (default price)' : ''}`,
    sources: [...energy.sources, tariff.isDefault ? SOURCES.defaultPrice : SOURCES.userSetting],
    notes: [...energy.notes, ...tariff.notes],
  });
}

/** Cost of cloud instance time: hours (an Estimate in h or s) × price per hour. */
export function instanceCost(duration: Estimate, pricePerHour: number, currency: string): Estimate {
  requireFinite(pricePerHour, 'instance price per hour', 0, 1e4);
  const hours = duration.unit === 's' ? scaleEstimate(duration, 1 / 3600, 'h') : duration;
  if (hours.unit !== 'h') throw new Error(`instanceCost needs a duration in s or h, got ${duration.unit}`);
  return makeEstimate(hours.value * pricePerHour, currency, {
    low: hours.low * pricePerHour,
    high: hours.high * pricePerHour,
    method: `instance hours × ${pricePerHour} ${currency}/h`,
    sources: [SOURCES.userSetting],
    notes: hours.notes,
  });
}
