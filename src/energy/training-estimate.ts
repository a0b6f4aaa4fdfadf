/**
 * One call for "what will this training run cost?": model name → GFLOPs from the catalog, GPU name →
 * PRE properties, then the PRE energy (epoch-time model, or a given epoch time), its CO2e and cost, and
 * the Green Algorithms and ML CO2 Impact baselines over the same duration.
 */
import modelData from './data/training-pre-model.json';
import { lookupModel } from '../catalog/catalog';
import { preGpu, preEpochEnergy, prePowerEnergy, type PreGpu, type PreModel } from './training-pre';
import { greenAlgorithmsEnergy, mlco2ImpactEnergy } from './training';
import { makeEstimate, EnergyInputError, requireFinite, convertMass, type Estimate } from './quantity';
import { emissions, resolveCarbonIntensity } from './carbon';
import { electricityCost, resolveTariff } from './cost';
import type { Settings } from '../settings';

const MODEL = modelData as PreModel;

/** What the user describes. */
export interface TrainingInput {
  arch: string;
  gpu: string;
  epochs: number;
  /** Images per epoch (training + validation). */
  images: number;
  /** Training image side, px; the catalog's native size when omitted. */
  size?: number;
  /** Batch size: recorded, but constant in the fitting data, so it does not change the estimate. */
  batch?: number;
  /** A measured seconds per epoch, when one epoch has run: replaces the epoch-time model. */
  epochSeconds?: number;
}

/** The estimate with its parts; every figure is an Estimate. */
export interface TrainingEstimate {
  model: string;
  gpu: PreGpu;
  gflopsPerImage: number;
  inputs: TrainingInput;
  duration: Estimate;
  energy: Estimate;
  co2: Estimate;
  cost: Estimate;
  baselines: { greenAlgorithms: Estimate; mlco2: Estimate };
  notes: string[];
}

/** Estimates a training run. Throws EnergyInputError with a user-facing message on unusable input. */
export function estimateTraining(input: TrainingInput, settings: Partial<Pick<Settings, 'carbonRegion' | 'carbonIntensity' | 'electricityPrice' | 'currency'>>): TrainingEstimate {
  const found = lookupModel(input.arch);
  if (!found) throw new EnergyInputError(`Unknown model "${input.arch}": use a torchvision builder (resnet50), a timm name (resnet50.a1_in1k) or a Hugging Face id; see greenlens catalog.`);
  const gpu = preGpu(input.gpu);
  if (!gpu) throw new EnergyInputError(`Unknown GPU "${input.gpu}", or one without a peak-TFLOPS figure in the ML CO2 Impact table; try for example "RTX 3090", "RTX 4090", "T4" or "A10G".`);
  const epochs = requireFinite(input.epochs, 'epochs', 1, 1e6);
  const images = requireFinite(input.images, 'images per epoch', 1, 1e11);
  const size = requireFinite(input.size ?? found.entry.imgSize, 'image size (px)', 8, 4096);
  // Forward FLOPs ≈ 2 × MACs, and both grow with the pixel count.
  const gflops = 2 * found.entry.gmacs * (size / found.entry.imgSize) ** 2;
  const notes = found.note ? [found.note] : [];
  const run = { gflops, imagesPerEpoch: images, gpu };
  let energy: Estimate;
  let duration: Estimate;
  if (input.epochSeconds !== undefined) {
    const t = requireFinite(input.epochSeconds, 'seconds per epoch', 1e-3, 1e8) * epochs;
    energy = prePowerEnergy(MODEL, { ...run, epochSeconds: t / epochs }, t);
    duration = makeEstimate(t, 's', { provenance: 'measured', method: 'your epoch time × epochs' });
  } else {
    const r = preEpochEnergy(MODEL, run, epochs);
    energy = r.energy;
    const t = r.epochSeconds * epochs;
    duration = makeEstimate(t, 's', { low: t * Math.exp(MODEL.timeBand.p05), high: t * Math.exp(MODEL.timeBand.p95), method: 'PRE epoch-time regressor × epochs', sources: energy.sources });
  }
  if (found.entry.imgSize !== size) notes.push(`GFLOPs scaled from ${found.entry.imgSize} px to ${size} px by pixel count.`);
  const intensity = resolveCarbonIntensity(settings);
  const tariff = resolveTariff(settings);
  return {
    model: found.entry.name,
    gpu,
    gflopsPerImage: gflops,
    inputs: { ...input, size },
    duration,
    energy,
    co2: convertMass(emissions(energy, intensity), 'kgCO2e'),
    cost: electricityCost(energy, tariff),
    baselines: {
      greenAlgorithms: greenAlgorithmsEnergy({ tdpW: gpu.maxPowerW, utilization: 1, ramGB: 0, durationS: duration.value }),
      mlco2: mlco2ImpactEnergy(gpu.maxPowerW, duration.value),
    },
    notes: [...notes, ...energy.notes, ...intensity.notes, ...tariff.notes],
  };
}
