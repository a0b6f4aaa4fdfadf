/** `greenlens estimate-training`: energy, CO2 and cost of a training run before (or after) it runs. */
import { parseArgs } from 'node:util';
import { estimateTraining, type TrainingEstimate } from '../../catalog/training-estimate';
import { TRAINING_PRECISIONS, type TrainingPrecision } from '../../energy/gpu-specs';
import { formatTrainingLines } from '../../catalog/training-format';
import { EnergyInputError } from '../../energy/quantity';
import { CliUsageError, type CliCommand } from '../io';
import { cliSettings, settingsFromFlags, SETTING_FLAGS } from '../settingsFlags';

/** Flags that set the cost settings; `--intensity` is this command's name for the carbon intensity. */
const COST_FLAGS = {
  region: SETTING_FLAGS.region,
  intensity: SETTING_FLAGS['carbon-intensity'],
  price: SETTING_FLAGS.price,
  currency: SETTING_FLAGS.currency,
};

function num(value: string | undefined, flag: string, min: number, max: number, required: boolean): number | undefined {
  if (value === undefined) {
    if (required) throw new CliUsageError(`${flag} is required.`);
    return undefined;
  }
  const x = Number(value);
  if (min > 0 && value.trim() !== '' && Number.isFinite(x) && x <= 0)
    throw new CliUsageError(`${flag} must be positive; got ${value}.`);
  if (value.trim() === '' || !Number.isFinite(x) || x < min || x > max)
    throw new CliUsageError(`${flag} must be a number from ${min} to ${max}; got "${value}".`);
  return x;
}

function print(r: TrainingEstimate, out: (t: string) => void): void {
  for (const line of formatTrainingLines(r)) out(line);
}

function precisionOf(value: string | undefined): TrainingPrecision | undefined {
  if (value === undefined) return undefined;
  if (!(TRAINING_PRECISIONS as readonly string[]).includes(value))
    throw new CliUsageError(`--precision must be one of ${TRAINING_PRECISIONS.join(', ')}; got "${value}".`);
  return value as TrainingPrecision;
}

export const estimateTrainingCommand: CliCommand = {
  summary: 'estimate the energy, CO2 and cost of a training run',
  usage:
    'greenlens estimate-training --arch resnet50 --gpu "RTX 3090" --epochs 30 --images 10000 [--size 224] [--batch 64] [--gpus N] [--precision fp32|tf32|amp|bf16] [--epoch-seconds S] [--region FRA] [--intensity G] [--price P] [--currency EUR] [--json]',
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        arch: { type: 'string' },
        gpu: { type: 'string' },
        epochs: { type: 'string' },
        batch: { type: 'string' },
        images: { type: 'string' },
        size: { type: 'string' },
        gpus: { type: 'string' },
        precision: { type: 'string' },
        'epoch-seconds': { type: 'string' },
        region: { type: 'string' },
        intensity: { type: 'string' },
        price: { type: 'string' },
        currency: { type: 'string' },
        json: { type: 'boolean' },
      },
    });
    if (!values.arch) throw new CliUsageError('--arch is required (a torchvision, timm or Hugging Face model name).');
    if (!values.gpu) throw new CliUsageError('--gpu is required (for example "RTX 3090").');
    // The carbon and price flags are the report's settings, checked by the same rules and messages.
    const { raw, names } = settingsFromFlags(values, COST_FLAGS);
    try {
      const r = estimateTraining(
        {
          arch: values.arch,
          gpu: values.gpu,
          epochs: num(values.epochs, '--epochs', 1, 1e6, true)!,
          batch: num(values.batch, '--batch', 1, 1e6, false),
          images: num(values.images, '--images', 1, 1e11, true)!,
          size: num(values.size, '--size', 8, 4096, false),
          gpus: num(values.gpus, '--gpus', 1, 100_000, false),
          precision: precisionOf(values.precision),
          epochSeconds: num(values['epoch-seconds'], '--epoch-seconds', 1e-3, 1e8, false),
        },
        cliSettings(raw, names),
      );
      if (values.json) io.out(JSON.stringify(r, null, 1));
      else print(r, io.out);
      return 0;
    } catch (err) {
      if (err instanceof EnergyInputError) throw new CliUsageError(err.message);
      throw err;
    }
  },
};
