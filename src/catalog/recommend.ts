/**
 * Energy per inference of catalog models on a device, and the recommender of greener alternatives:
 * catalog models at least as accurate as the current one minus a tolerance that use less energy per
 * inference, ranked by what they save in a year at the user's workload.
 */
import { catalogEntries, lookupModel, type CatalogEntry } from './catalog';
import { energyFromMacs } from '../energy/inference';
import type { Device } from '../energy/hardware';
import { makeEstimate, requireFinite, scaleEstimate, formatNumber, type Estimate } from '../energy/quantity';
import { resolveCarbonIntensity } from '../energy/carbon';
import { resolveTariff } from '../energy/cost';
import { yearlyImpact, type YearlyImpact } from '../energy/workload';
import { SOURCES } from '../energy/sources';
import { gradeLabel } from './grades';
import type { Settings } from '../settings';

// Devices with measured timm throughput, and the catalog field holding it.
const MEASURED: readonly { matched: string; field: keyof CatalogEntry['throughput']; boardPowerW: number }[] = [
  { matched: 'RTX 3090', field: 'rtx3090', boardPowerW: 350 },
  { matched: 'RTX 4090', field: 'rtx4090', boardPowerW: 450 },
  { matched: 'Intel Core i7-12700H', field: 'cpu', boardPowerW: 45 },
];

/**
 * Energy per inference (J) of a catalog model: board power ÷ timm's measured throughput when the device
 * is one the tables measured, otherwise the MACs calibration for the device. Without a device, the
 * catalog's reference figure (RTX 3090) is returned.
 */
export function entryInferenceEnergy(entry: CatalogEntry, device?: Device): Estimate {
  const ref = MEASURED.find((m) => (device ? m.matched === device.matchedName : m.field === 'rtx3090'));
  const sps = ref ? entry.throughput[ref.field] : undefined;
  if (ref && sps) {
    const j = ref.boardPowerW / sps;
    // Board power at full load is an upper bound for GPUs; laptop CPUs can exceed TDP in short bursts.
    const [lo, hi] = ref.field === 'cpu' ? [0.7, 1.5] : [0.6, 1.0];
    return makeEstimate(j, 'J', {
      low: j * lo,
      high: j * hi,
      method: `${ref.matched} measured throughput × ${ref.boardPowerW} W`,
      sources: [SOURCES.timmResults, ref.field === 'cpu' ? SOURCES.codecarbonCpu : SOURCES.mlco2Gpus],
      notes: [
        `${formatNumber(sps)} images/s at ${entry.imgSize} px (${ref.field === 'cpu' ? 'fp32, batch 1' : 'AMP, batch 1024'}).`,
      ],
    });
  }
  if (!device) {
    return makeEstimate(entry.energyJ, 'J', {
      low: entry.energyJ * 0.6,
      high: entry.energyJ * 1.6,
      method: 'RTX 3090 MACs calibration',
      sources: [SOURCES.timmResults],
    });
  }
  return energyFromMacs({ gmacs: entry.gmacs, mactsM: entry.mactsM, device });
}

/** A greener alternative with its evidence. */
export interface Alternative {
  entry: CatalogEntry;
  energy: Estimate;
  /** Accuracy change in top-1 points (negative = less accurate). */
  top1Delta: number;
  /** Yearly savings against the current model (positive = saves). */
  savings: YearlyImpact;
  /** Short sentences a user can check: accuracy source, energy method, grade. */
  evidence: string[];
}

/** The result of a recommendation. */
export interface Recommendation {
  current: CatalogEntry;
  currentEnergy: Estimate;
  currentYearly: YearlyImpact;
  alternatives: Alternative[];
  notes: string[];
}

type RecommendSettings = Pick<
  Settings,
  'accuracyTolerance' | 'inferencesPerDay' | 'electricityPrice' | 'currency' | 'carbonRegion' | 'carbonIntensity'
>;

/**
 * Pareto-better alternatives to `model` (a name or an entry): top-1 ≥ current − tolerance and lower
 * energy per inference on `device`, ranked by yearly energy saved at `inferencesPerDay`, one per model
 * name, at most `limit`.
 */
export function recommendAlternatives(
  model: string | CatalogEntry,
  settings: Partial<RecommendSettings>,
  options: { device?: Device; limit?: number } = {},
): Recommendation | undefined {
  const current = typeof model === 'string' ? lookupModel(model)?.entry : model;
  if (!current) return undefined;
  const tol = requireFinite(settings.accuracyTolerance ?? 1, 'accuracy tolerance (top-1 points)', 0, 100);
  const perDay = requireFinite(settings.inferencesPerDay ?? 10_000, 'inferences per day', 0, 1e12);
  const intensity = resolveCarbonIntensity(settings);
  const tariff = resolveTariff(settings);
  const currentEnergy = entryInferenceEnergy(current, options.device);
  const currentYearly = yearlyImpact(currentEnergy, perDay, intensity, tariff);
  const seen = new Set<string>([current.name]);
  const candidates = catalogEntries()
    .filter((e) => !e.testNetwork && e.top1 >= current.top1 - tol)
    .map((e) => ({ e, energy: entryInferenceEnergy(e, options.device) }))
    .filter((c) => c.energy.value < currentEnergy.value)
    .sort((a, b) => a.energy.value - b.energy.value || b.e.top1 - a.e.top1 || (a.e.id < b.e.id ? -1 : 1));
  const alternatives: Alternative[] = [];
  for (const { e, energy } of candidates) {
    if (alternatives.length >= (options.limit ?? 5)) break;
    if (seen.has(e.name)) continue;
    seen.add(e.name);
    const saved = makeEstimate(currentEnergy.value - energy.value, 'J', {
      low: Math.max(0, currentEnergy.low - energy.high),
      high: Math.max(0, currentEnergy.high - energy.low),
      method: 'difference of energy per inference',
      sources: [...currentEnergy.sources, ...energy.sources],
    });
    alternatives.push({
      entry: e,
      energy,
      top1Delta: e.top1 - current.top1,
      savings: yearlyImpact(saved, perDay, intensity, tariff),
      evidence: evidence(current, e, energy),
    });
  }
  return { current, currentEnergy, currentYearly, alternatives, notes: [...intensity.notes, ...tariff.notes] };
}

function evidence(current: CatalogEntry, alt: CatalogEntry, energy: Estimate): string[] {
  return [
    `top-1 ${alt.top1.toFixed(2)} % vs ${current.top1.toFixed(2)} % on ImageNet-1k validation (${alt.source === 'torchvision' ? SOURCES.torchvision : SOURCES.timmResults})`,
    `${formatNumber(alt.gmacs)} GMACs vs ${formatNumber(current.gmacs)} at ${alt.imgSize} px vs ${current.imgSize} px`,
    `energy per inference ${formatNumber(energy.value * 1000)} mJ (${energy.method})`,
    `GreenLens grade ${gradeLabel(alt)} vs ${gradeLabel(current)}`,
  ];
}

/** Per-inference energy scaled to a batch of `n` inferences (for lenses that show a call site's batch). */
export function energyForInferences(perInference: Estimate, n: number): Estimate {
  return scaleEstimate(perInference, requireFinite(n, 'number of inferences', 0, 1e15));
}
