/**
 * Carbon intensity of electricity (gCO2e/kWh) by country (ISO 3166 alpha-3), by cloud region
 * (`aws:us-east-1`, `gcp:europe-west1`, `azure:westeurope`) or from the user's own figure; the world
 * average when nothing is chosen, and every result says which was used and why.
 */
import { readDataFile } from '../dataFiles';
import { makeEstimate, requireFinite, convertEnergy, type Estimate } from './quantity';
import { SOURCES } from './sources';
import { inSettingRange, SETTING_RANGES } from '../settings';

interface CarbonTable {
  worldAverageGPerKWh: number;
  countries: Record<string, { name: string; gPerKWh: number; year: number }>;
  regions: Record<string, { gPerKWh: number; country: string; source: 'codecarbonCloud' | 'mlco2Cloud' }>;
}
/** The carbon table, read on first use. */
const table = (): CarbonTable => readDataFile<CarbonTable>(__dirname, 'carbon.json');

/**
 * Band around annual-average grid intensities: hourly and seasonal variation moves real intensity well
 * away from the annual mean, so a ±25 % band is stated rather than a false precision.
 */
export const GRID_BAND = 0.25;

/** The world average used when no region is chosen, gCO2e/kWh. */
export const WORLD_AVERAGE_G_PER_KWH = table().worldAverageGPerKWh;

/** The codes a user can choose, for pickers: countries and cloud regions. */
export function carbonRegionChoices(): { id: string; label: string; gPerKWh: number }[] {
  const countries = Object.entries(table().countries).map(([id, c]) => ({
    id,
    label: `${c.name} (${c.year})`,
    gPerKWh: c.gPerKWh,
  }));
  const regions = Object.entries(table().regions).map(([id, r]) => ({
    id,
    label: `${id} (${r.country})`,
    gPerKWh: r.gPerKWh,
  }));
  return [...countries, ...regions];
}

function world(note: string): Estimate {
  const g = table().worldAverageGPerKWh;
  return makeEstimate(g, 'gCO2e/kWh', {
    low: g * (1 - GRID_BAND),
    high: g * (1 + GRID_BAND),
    method: 'world average',
    sources: [SOURCES.codecarbonWorld],
    notes: [note],
  });
}

/**
 * Resolves the carbon intensity from the settings' `carbonIntensity` override and `carbonRegion`.
 * Never throws: an unusable value falls back to the world average and the note says why.
 */
export function resolveCarbonIntensity(settings: {
  carbonRegion?: string | null;
  carbonIntensity?: number | null;
}): Estimate {
  const override = settings.carbonIntensity;
  if (override !== undefined && override !== null) {
    if (inSettingRange('carbonIntensity', override)) {
      return makeEstimate(override, 'gCO2e/kWh', {
        method: 'your carbon intensity setting',
        sources: [SOURCES.userSetting],
      });
    }
    return world(
      `The carbon intensity setting ${JSON.stringify(override)} is not a number from ${SETTING_RANGES.carbonIntensity.min} to ${SETTING_RANGES.carbonIntensity.max} gCO2e/kWh; using the world average ${WORLD_AVERAGE_G_PER_KWH} gCO2e/kWh.`,
    );
  }
  const region = (settings.carbonRegion ?? '').trim();
  if (region === '') {
    return world(
      `No carbon region chosen: using the world average ${WORLD_AVERAGE_G_PER_KWH} gCO2e/kWh. Set greenlens.carbon.region to a country code (FRA) or cloud region (aws:us-east-1) for a local figure.`,
    );
  }
  if (/^[A-Za-z]{3}$/.test(region)) {
    const c = table().countries[region.toUpperCase()];
    if (c) {
      return makeEstimate(c.gPerKWh, 'gCO2e/kWh', {
        low: c.gPerKWh * (1 - GRID_BAND),
        high: c.gPerKWh * (1 + GRID_BAND),
        method: `${c.name} grid average ${c.year}`,
        sources: [SOURCES.codecarbonMix],
      });
    }
    return world(
      `Unknown country code "${region}" (expected ISO 3166 alpha-3 such as FRA or USA); using the world average ${WORLD_AVERAGE_G_PER_KWH} gCO2e/kWh.`,
    );
  }
  const m = /^([a-z]+):(.+)$/i.exec(region);
  const r = m ? table().regions[`${m[1]!.toLowerCase()}:${m[2]!.toLowerCase()}`] : undefined;
  if (r) {
    return makeEstimate(r.gPerKWh, 'gCO2e/kWh', {
      low: r.gPerKWh * (1 - GRID_BAND),
      high: r.gPerKWh * (1 + GRID_BAND),
      method: `cloud region ${region.toLowerCase()}`,
      sources: [SOURCES[r.source]],
    });
  }
  return world(
    `Unknown region "${region}" (expected e.g. aws:us-east-1, gcp:europe-west1 or azure:westeurope); using the world average ${WORLD_AVERAGE_G_PER_KWH} gCO2e/kWh.`,
  );
}

/** Emissions of an energy estimate (J, Wh or kWh) at a carbon intensity, in grams CO2e. */
export function emissions(energy: Estimate, intensity: Estimate): Estimate {
  const kwh = convertEnergy(energy, 'kWh');
  requireFinite(intensity.value, 'carbon intensity (gCO2e/kWh)', 0, 5000);
  return makeEstimate(kwh.value * intensity.value, 'gCO2e', {
    low: kwh.low * intensity.low,
    high: kwh.high * intensity.high,
    provenance: 'estimated',
    method: `${energy.method} × ${intensity.method}`,
    sources: [...energy.sources, ...intensity.sources],
    notes: [...energy.notes, ...intensity.notes],
  });
}
