/**
 * The estimate of a training run found in code (`estimateTraining` with the loop's epochs and batch on a
 * stated number of images), and the editor's lens text for it, saying what had to be assumed. The editor's
 * lens and the CI baseline both estimate a loop here, so they state the same run.
 */
import type { TrainingLoop } from '../analyzers/python/types';
import type { ResolvedHardware } from '../energy/detect';
import { convertEnergy, formatNumber, isDisplayable, type Estimate } from '../energy/quantity';
import { estimateTraining, type TrainingEstimate } from './training-estimate';
import type { Settings } from '../settings';

/** The images per epoch every figure is given for: the dataset size is not in the code. */
export const IMAGES_PER_EPOCH = 10_000;
/** The GPU assumed when none is detected or configured: the catalog's reference device. */
export const REFERENCE_GPU = 'RTX 3090';

/** A training lens: its title and the lines of its details. */
export interface TrainingSummary {
  title: string;
  details: string[];
  estimate?: TrainingEstimate;
}

type CostSettings = Pick<Settings, 'carbonRegion' | 'carbonIntensity' | 'electricityPrice' | 'currency'>;

/**
 * The run a training loop stands for: its epochs (one, so per epoch, when the code does not say), its batch,
 * IMAGES_PER_EPOCH images. Throws the estimator's EnergyInputError on an input outside its range.
 */
export function estimateLoop(
  loop: TrainingLoop,
  modelName: string,
  gpu: string,
  settings: Partial<CostSettings>,
): TrainingEstimate {
  return estimateTraining(
    { arch: modelName, gpu, epochs: loop.epochs ?? 1, images: IMAGES_PER_EPOCH, batch: loop.batchSize },
    settings,
  );
}

function fig(q: Estimate, unit: string): string | undefined {
  return isDisplayable(q) ? `${formatNumber(q.value)} ${unit}` : undefined;
}

/** The GPU to estimate for, and what was assumed to choose it. */
export function trainingGpu(hw: ResolvedHardware | undefined): { name: string; assumption?: string } {
  const gpu = hw?.gpu;
  if (gpu) return { name: gpu.matchedName ?? gpu.name };
  return {
    name: REFERENCE_GPU,
    assumption: `No GPU detected or configured: assuming an ${REFERENCE_GPU} (set greenlens.hardware.profile to your GPU).`,
  };
}

/**
 * Summarises a training loop. `modelName` is the catalog name of the trained model when known. Never throws:
 * when no estimate can be made the title says why.
 */
export function summarizeTraining(
  loop: TrainingLoop,
  modelName: string | undefined,
  hw: ResolvedHardware | undefined,
  settings: CostSettings,
): TrainingSummary {
  const head = [loop.kind === 'loop' ? 'Training loop' : `Training (${loop.kind === 'fit' ? '.fit' : 'Trainer'})`];
  if (loop.epochs !== undefined) head.push(`${formatNumber(loop.epochs)} epochs`);
  if (loop.batchSize !== undefined) head.push(`batch ${formatNumber(loop.batchSize)}`);
  if (!modelName)
    return {
      title: [...head, 'model not in catalog: no energy estimate'].join(' · '),
      details: [
        'GreenLens estimates training energy from the model’s GMACs in its catalog; the trained model was not found there.',
      ],
    };
  const gpu = trainingGpu(hw);
  try {
    const est = estimateLoop(loop, modelName, gpu.name, settings);
    const figures = [
      fig(convertEnergy(est.energy, 'kWh'), 'kWh'),
      fig(est.co2, 'kgCO2e'),
      fig(est.cost, est.cost.unit),
    ].filter(Boolean);
    const scope = `${loop.epochs === undefined ? 'per epoch, ' : ''}per ${formatNumber(IMAGES_PER_EPOCH)} images/epoch`;
    const on = `estimated for ${gpu.assumption ? `an ${est.gpu.name} (assumed: no GPU found)` : est.gpu.name}`;
    const details = [
      `Model ${est.model}, ${formatNumber(est.gflopsPerImage)} GFLOPs per image at ${est.inputs.size ?? '?'} px.`,
      `Epochs: ${loop.epochs === undefined ? 'not found in the code; figures are per epoch' : loop.epochs}.`,
      `Images per epoch: the dataset size is not in the code; figures are for ${formatNumber(IMAGES_PER_EPOCH)} and scale with it.`,
      ...(gpu.assumption ? [gpu.assumption] : [`GPU: ${est.gpu.name} (from the hardware profile or detection).`]),
      `Scope: ${est.scope} One GPU at ${est.inputs.precision} assumed (the code does not say).`,
      `Energy: ${est.energy.method}; band ${formatNumber(convertEnergy(est.energy, 'kWh').low)}–${formatNumber(convertEnergy(est.energy, 'kWh').high)} kWh.`,
      ...est.notes,
      ...(est.energy.sources.length ? [`Sources: ${est.energy.sources.join('; ')}`] : []),
    ];
    return { title: [...head, `≈ ${figures.join(', ')} ${scope}`, on].join(' · '), details, estimate: est };
  } catch (err) {
    return { title: [...head, 'no energy estimate'].join(' · '), details: [(err as Error).message] };
  }
}
