/**
 * One call for "what will this training run cost?": model name → forward GFLOPs from the catalog, GPU
 * name → data-sheet peaks and power limit, then the epoch time and GPU-board energy (training-run.ts,
 * with validity range and physical bounds), CO2e and cost. The Green Algorithms and ML CO2 Impact
 * baselines are computed only from a duration the user gives: from GreenLens's own duration they would
 * repeat its estimate rather than check it.
 */
import modelData from '../energy/data/training-pre-model.json';
import { lookupModel } from './catalog';
import { preGpu, DEL_REY_IMAGE_SIZE, type PreGpu, type PreModel } from '../energy/training-pre';
import { predictRun, shareOfPeak, type RunPrediction, type RunSpec } from '../energy/training-run';
import { validityNote } from '../energy/training-validity';
import { GPU_SPECS, TRAINING_PRECISIONS, type TrainingPrecision } from '../energy/gpu-specs';
import { greenAlgorithmsEnergy, mlco2ImpactEnergy } from '../energy/training';
import {
  makeEstimate,
  EnergyInputError,
  requireFinite,
  convertMass,
  scaleEstimate,
  formatNumber,
  type Estimate,
} from '../energy/quantity';
import { emissions, resolveCarbonIntensity } from '../energy/carbon';
import { electricityCost, resolveTariff } from '../energy/cost';
import { SOURCES } from '../energy/sources';
import type { Settings } from '../settings';

const MODEL = modelData as unknown as PreModel;

/** What the user describes. */
export interface TrainingInput {
  arch: string;
  gpu: string;
  epochs: number;
  /** Images per epoch (training + validation). */
  images: number;
  /** Training image side, px; the catalog's native size when omitted. */
  size?: number;
  /** Batch size per GPU: checked against the fitting range (outside it the band widens and says so). */
  batch?: number;
  /** Number of GPU boards (data parallel); 1 when omitted. */
  gpus?: number;
  /** Numerical precision; fp32 when omitted. */
  precision?: TrainingPrecision;
  /** A measured seconds per epoch, when one epoch has run: replaces the epoch-time model. */
  epochSeconds?: number;
}

/** The physical bounds that applied. */
export interface TrainingBounds {
  precision: TrainingPrecision;
  /** Dense peak per board at the precision, TFLOPS; undefined when no data sheet gives it. */
  peakTflops?: number;
  /** The shortest possible duration, s: 3 × forward FLOPs × images × epochs ÷ (GPUs × peak). */
  minDurationS?: number;
  /** Share of the dense peak the duration implies (≤ 1 for an estimate). */
  shareOfPeak?: number;
  /** Board power limit, W per board. */
  boardPowerW: number;
  /** True when the model's time was below the bound and was raised to it. */
  clamped: boolean;
}

/** The estimate with its parts; every figure is an Estimate. */
export interface TrainingEstimate {
  model: string;
  gpu: PreGpu;
  gflopsPerImage: number;
  inputs: TrainingInput & { size: number; gpus: number; precision: TrainingPrecision };
  duration: Estimate;
  energy: Estimate;
  co2: Estimate;
  cost: Estimate;
  bounds: TrainingBounds;
  /** What the figures cover. */
  scope: string;
  /** Present only when the user gave a duration (an epoch time). */
  baselines?: { greenAlgorithms: Estimate; mlco2: Estimate };
  /** Why the baselines are absent, when they are. */
  baselinesNote?: string;
  /** Inputs outside the fitting range of the models. */
  outsideRange: string[];
  notes: string[];
}

/** The scope sentence every training figure carries. */
export const TRAINING_SCOPE =
  'GPU boards only (board power × time × GPU count): host CPU, memory, storage, networking and cooling (PUE) are not included.';

function knownGpus(): string {
  return GPU_SPECS.map((g) => g.name).join(', ');
}

/** The catalog name's architecture as the fitting data names it, when it is one of them. */
function fittingArchitecture(catalogName: string): string | undefined {
  const base = catalogName.replace(/^torchvision:/, '').replace(/\..*$/, '');
  return base in MODEL.fitGflops ? base : undefined;
}

function checkScope(input: TrainingInput): { gpus: number; precision: TrainingPrecision } {
  const gpus = requireFinite(input.gpus ?? 1, 'GPU count', 1, 100_000);
  if (!Number.isInteger(gpus)) throw new EnergyInputError(`GPU count must be a whole number; got ${gpus}.`);
  const precision = input.precision ?? 'fp32';
  if (!TRAINING_PRECISIONS.includes(precision))
    throw new EnergyInputError(
      `Precision must be one of ${TRAINING_PRECISIONS.join(', ')}; got ${JSON.stringify(precision)}.`,
    );
  if (input.batch !== undefined) {
    const b = requireFinite(input.batch, 'batch size', 1, 1e6);
    if (!Number.isInteger(b)) throw new EnergyInputError(`Batch size must be a whole number; got ${b}.`);
  }
  return { gpus, precision };
}

/** Estimates a training run. Throws EnergyInputError with a user-facing message on unusable input. */
export function estimateTraining(
  input: TrainingInput,
  settings: Partial<Pick<Settings, 'carbonRegion' | 'carbonIntensity' | 'electricityPrice' | 'currency'>>,
): TrainingEstimate {
  const found = lookupModel(input.arch);
  if (!found)
    throw new EnergyInputError(
      `Unknown model "${input.arch}": use a torchvision builder (resnet50), a timm name (resnet50.a1_in1k) or a Hugging Face id; see greenlens catalog.`,
    );
  const gpu = preGpu(input.gpu);
  if (!gpu)
    throw new EnergyInputError(
      `Unknown GPU "${input.gpu}", or one without a peak-TFLOPS figure; known data-sheet GPUs: ${knownGpus()} (and the ML CO2 Impact table).`,
    );
  const epochs = requireFinite(input.epochs, 'epochs', 1, 1e6);
  const images = requireFinite(input.images, 'images per epoch', 1, 1e11);
  const size = requireFinite(input.size ?? found.entry.imgSize, 'image size (px)', 8, 4096);
  const { gpus, precision } = checkScope(input);
  // Forward FLOPs ≈ 2 × MACs, and both grow with the pixel count.
  const fwd = 2 * found.entry.gmacs * (size / found.entry.imgSize) ** 2;
  const arch = fittingArchitecture(found.entry.name);
  // The regressors were fitted on the fitting data's own FLOP counts at its image size; the same count,
  // scaled by pixel count, keeps a prediction consistent with its fit.
  const fitG = arch ? MODEL.fitGflops[arch]! * (size / DEL_REY_IMAGE_SIZE) ** 2 : fwd;
  const mactsM = found.entry.mactsM > 0 ? found.entry.mactsM * (size / found.entry.imgSize) ** 2 : undefined;
  const spec: RunSpec = {
    fwdGflops: fwd,
    mactsM,
    fitGflops: fitG,
    architecture: arch,
    imagesPerEpoch: images,
    gpu,
    gpus,
    precision,
    batch: input.batch,
    imageSize: size,
  };
  const measured =
    input.epochSeconds === undefined ? undefined : requireFinite(input.epochSeconds, 'seconds per epoch', 1e-3, 1e8);
  const p = predictRun(MODEL, spec, measured);
  const share = p.peakTflops === undefined ? undefined : shareOfPeak(spec, p.epochSeconds.value, p.peakTflops);
  const notes = [
    ...(found.note ? [found.note] : []),
    ...runNotes({ input, spec, p, share, nativeSize: found.entry.imgSize, measured: measured !== undefined }),
  ];
  const sources = [
    SOURCES.delRey,
    ...(gpu.spec ? [`${gpu.spec.source.name}, ${gpu.spec.source.url}`] : [SOURCES.mlco2Gpus]),
  ];
  const t = p.epochSeconds;
  const duration =
    measured !== undefined
      ? makeEstimate(measured * epochs, 's', { provenance: 'measured', method: 'your epoch time × epochs' })
      : makeEstimate(t.value * epochs, 's', {
          low: t.low * epochs,
          high: t.high * epochs,
          method: `${p.timeModel} × epochs`,
          sources: p.timeModel === 'compute-share model' ? [SOURCES.timmResults, ...sources] : sources,
        });
  const e = p.epochEnergyJ;
  const energy = makeEstimate(e.value * epochs, 'J', {
    low: e.low * epochs,
    high: e.high * epochs,
    method:
      measured !== undefined
        ? `PRE power regressor × your duration × ${gpus} GPU`
        : `PRE power × estimated epoch time × epochs × ${gpus} GPU`,
    sources,
    notes: [`Scope: ${TRAINING_SCOPE}`],
  });
  const intensity = resolveCarbonIntensity(settings);
  const tariff = resolveTariff(settings);
  return {
    model: found.entry.name,
    gpu,
    gflopsPerImage: fwd,
    inputs: { ...input, size, gpus, precision },
    duration,
    energy,
    co2: convertMass(emissions(energy, intensity), 'kgCO2e'),
    cost: electricityCost(energy, tariff),
    bounds: {
      precision,
      peakTflops: p.peakTflops,
      minDurationS: p.minEpochSeconds === undefined ? undefined : p.minEpochSeconds * epochs,
      shareOfPeak: share,
      boardPowerW: gpu.maxPowerW,
      clamped: p.clamped,
    },
    scope: TRAINING_SCOPE,
    ...baselinesOf(gpu, gpus, measured === undefined ? undefined : duration),
    outsideRange: p.validity.outside,
    notes: [...notes, ...intensity.notes, ...tariff.notes],
  };
}

/** The notes that say what was scaled, assumed, out of range or bounded. */
function runNotes(a: {
  input: TrainingInput;
  spec: RunSpec;
  p: RunPrediction;
  share?: number;
  nativeSize: number;
  measured: boolean;
}): string[] {
  const { spec, p } = a;
  const notes: string[] = [];
  const at = `${spec.imageSize} px`;
  if (a.nativeSize !== spec.imageSize) notes.push(`GFLOPs scaled from ${a.nativeSize} px to ${at} by pixel count.`);
  if (spec.architecture && Math.abs(spec.fitGflops / spec.fwdGflops - 1) > 0.2)
    notes.push(
      `The regressors use the fitting data's count for ${spec.architecture} (${spec.fitGflops.toFixed(3)} GFLOPs at ${at}); the bounds use the catalog's ${spec.fwdGflops.toFixed(3)}.`,
    );
  const vNote = validityNote(p.validity);
  if (vNote) notes.push(vNote);
  if (p.timeModel === 'compute-share model')
    notes.push(
      `The batch${a.input.batch === undefined ? '' : ` (${a.input.batch})`} does not enter the mixed-precision time model: timm's benchmark ran each network at the largest batch that fit the RTX 3090's memory (ResNet-50: 512). A batch well below what fits usually trains more slowly per image than this estimate.`,
    );
  else if (a.input.batch === undefined && p.timeModel === 'PRE epoch-time regressor')
    notes.push(`No batch size given: the epoch-time model was fitted at batch ${MODEL.validity.batch.join(', ')}.`);
  const peak = `${p.peakTflops} TFLOPS dense ${spec.precision} peak`;
  if (p.clamped)
    notes.push(
      `The model's epoch time was below the physical bound (3 × forward FLOPs ÷ ${spec.gpus} × ${peak}); it was raised to the bound.`,
    );
  if (a.measured && a.share !== undefined && a.share > 1)
    notes.push(
      `Your epoch time implies ${(100 * a.share).toFixed(0)} % of the ${peak}, which no GPU reaches: check --gpus, --precision, --images and the model.`,
    );
  if (p.peakTflops === undefined)
    notes.push(`No data-sheet ${spec.precision} peak for ${spec.gpu.name}: the physical bound on time is not applied.`);
  const tr = p.transfer;
  if (tr && tr.factor !== 1)
    notes.push(
      `The epoch time was measured on an ${tr.from} (timm's training benchmark) and moved to the ${spec.gpu.name} by a roofline split: ${(100 * tr.computeFraction).toFixed(0)} % arithmetic, scaled by the dense peak, and the rest memory traffic, scaled by the memory bandwidth${spec.gpu.spec ? '' : ' (unknown for this GPU, so the peak alone scales it)'}; time ×${formatNumber(tr.factor)}.`,
    );
  return notes;
}

function baselinesOf(
  gpu: PreGpu,
  gpus: number,
  given: Estimate | undefined,
): Pick<TrainingEstimate, 'baselines' | 'baselinesNote'> {
  if (!given) {
    return {
      baselinesNote:
        'Green Algorithms and ML CO2 Impact need a duration you give (an epoch time): computed from GreenLens’s own duration they would repeat its estimate, not check it.',
    };
  }
  const ga = greenAlgorithmsEnergy({ tdpW: gpu.maxPowerW, utilization: 1, ramGB: 0, durationS: given.value });
  const ml = mlco2ImpactEnergy(gpu.maxPowerW, given.value);
  return { baselines: { greenAlgorithms: scaleEstimate(ga, gpus), mlco2: scaleEstimate(ml, gpus) } };
}
