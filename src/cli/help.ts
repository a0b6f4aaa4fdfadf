/**
 * The options of every command for `--help`: a one-line description, the default, and an example to copy.
 * Kept in one table, apart from the commands, so that `greenlens <command> --help` loads nothing heavy;
 * a unit test checks that every flag of a command's usage line is described here and the other way round.
 * main.ts also uses the table to keep a negative number (`--epochs -3`) attached to its flag, so that the
 * command's range check names the flag instead of parseArgs calling the argument ambiguous.
 */
import { DEFAULT_SETTINGS, DEPLOYMENT_TARGETS } from '../settings';
import type { OptionTable } from './args';

export interface CommandHelp {
  options: OptionTable;
  example: string;
}

/** The flags that set a report's assumptions (`demo`, `report`). */
const ASSUMPTIONS: OptionTable = {
  'inferences-per-day': {
    type: 'string',
    value: 'N',
    description: 'workload the yearly figures assume',
    default: String(DEFAULT_SETTINGS.inferencesPerDay),
  },
  price: {
    type: 'string',
    value: 'P',
    description: 'electricity price per kWh, in --currency',
    default: `${DEFAULT_SETTINGS.electricityPrice} (a placeholder)`,
  },
  currency: {
    type: 'string',
    value: 'CODE',
    description: 'ISO 4217 code of the price',
    default: DEFAULT_SETTINGS.currency,
  },
  region: {
    type: 'string',
    value: 'CODE',
    description: 'grid region: ISO alpha-3 country (FRA) or provider:region',
    default: 'world average',
  },
  'carbon-intensity': {
    type: 'string',
    value: 'G',
    description: 'gCO2e/kWh, instead of the region’s',
    default: 'from --region',
  },
  tolerance: {
    type: 'string',
    value: 'PT',
    description: 'largest top-1 loss in points a recommendation may cost',
    default: String(DEFAULT_SETTINGS.accuracyTolerance),
  },
  hardware: { type: 'string', value: 'NAME', description: 'CPU or GPU the estimates are for', default: 'detected' },
  'deploy-target': {
    type: 'string',
    value: 'NAME',
    description: `where the model serves: ${DEPLOYMENT_TARGETS.join(', ')}`,
    default: DEFAULT_SETTINGS.deploymentTarget,
  },
  'deploy-batch': {
    type: 'string',
    value: 'N',
    description: 'batch size it serves at',
    default: String(DEFAULT_SETTINGS.deploymentBatch),
  },
};

const INPUTS: OptionTable = {
  dim: {
    type: 'string',
    value: 'NAME=N',
    multiple: true,
    description: 'value of a symbolic input dimension (repeatable)',
    default: 'batch=1, others 1',
  },
  value: {
    type: 'string',
    value: 'INPUT=N[,N]',
    multiple: true,
    description: 'known values of a small input, such as a sample rate (repeatable)',
  },
};

export const HELP: Record<string, CommandHelp> = {
  demo: {
    options: {
      out: {
        type: 'string',
        value: 'DIR',
        description: 'folder the four report files are written to',
        default: 'out/demo',
      },
      budget: {
        type: 'string',
        value: 'TIME',
        description: 'wall-clock budget of all profiling (100ms to 24h)',
        default: '20s',
      },
      ...ASSUMPTIONS,
    },
    example: 'greenlens demo examples --budget 30s --region FRA',
  },
  report: {
    options: {
      format: { type: 'string', value: 'FMT', description: 'html, md, json or csv', default: 'md' },
      out: { type: 'string', value: 'FILE', description: 'file to write', default: 'standard output' },
      budget: {
        type: 'string',
        value: 'TIME',
        description: 'wall-clock budget of all profiling (100ms to 24h)',
        default: '20s',
      },
      'no-profile': { type: 'boolean', description: 'profile nothing: static and catalog figures only' },
      storage: {
        type: 'string',
        value: 'DIR',
        description: 'folder for profiled variants and cached results',
        default: 'the folder of --out, else out/report',
      },
      ...ASSUMPTIONS,
    },
    example: 'greenlens report . --format json --out report.json --no-profile',
  },
  inspect: {
    options: { json: { type: 'boolean', description: 'print the summary as JSON' }, ...INPUTS },
    example: 'greenlens inspect model.onnx --dim batch=8',
  },
  analyze: {
    options: {
      format: {
        type: 'string',
        value: 'FMT',
        description: 'text, json, markdown or sarif (code scanning)',
        default: 'text',
      },
      exclude: {
        type: 'string',
        value: 'GLOB',
        multiple: true,
        description: 'gitignore-style pattern of files to skip (repeatable; .gitignore is honoured)',
      },
    },
    example: 'greenlens analyze src --format sarif > greenlens.sarif',
  },
  profile: {
    options: {
      variants: {
        type: 'string',
        value: 'A,B',
        description: 'variants to build and measure',
        default: 'int8-dynamic,int8-static,fp16,prune-global:0.5,opt-all',
      },
      dataset: {
        type: 'string',
        value: 'DIR',
        description: 'labelled inputs (inputs.npy, labels.npy) for true accuracy',
        default: 'random inputs',
      },
      budget: {
        type: 'string',
        value: 'TIME',
        description: 'wall-clock budget of the run (100ms to 24h)',
        default: '60s',
      },
      batch: { type: 'string', value: 'N', description: 'batch size of the measured inputs', default: '1' },
      ...INPUTS,
      storage: {
        type: 'string',
        value: 'DIR',
        description: 'folder for the variant files',
        default: 'the cache folder',
      },
      cache: {
        type: 'string',
        value: 'DIR',
        description: 'folder of cached results',
        default: '$GREENLENS_CACHE_DIR/profile-cache',
      },
      'no-cache': { type: 'boolean', description: 'measure again even when a cached result exists' },
      json: { type: 'boolean', description: 'print the result as JSON' },
    },
    example: 'greenlens profile model.onnx --variants int8-dynamic,opt-all --budget 2m',
  },
  'profile-torch': {
    options: {
      python: { type: 'string', value: 'PATH', description: 'the Python interpreter with torch', default: 'python3' },
      json: { type: 'boolean', description: 'print the result as JSON' },
      dataset: {
        type: 'string',
        value: 'DIR',
        description: 'labelled inputs for true accuracy',
        default: 'random inputs',
      },
      'max-samples': { type: 'string', value: 'N', description: 'most samples of the dataset to use', default: 'all' },
      budget: { type: 'string', value: 'TIME', description: 'wall-clock budget of the measurements', default: '60s' },
      timeout: {
        type: 'string',
        value: 'TIME',
        description: 'longest the Python run may take (1s to 24h)',
        default: 'twice the budget plus 2 minutes',
      },
      variants: { type: 'string', value: 'A,B', description: 'variants to measure', default: 'all that apply' },
      shape: {
        type: 'string',
        value: 'DIMS',
        description: 'input shape of your own nn.Module (1,784)',
        default: 'inferred from the first layer',
      },
      dtype: { type: 'string', value: 'TYPE', description: 'input dtype: float32 or int64', default: 'float32' },
      device: { type: 'string', value: 'DEV', description: 'cpu or cuda', default: 'cpu' },
      onnx: { type: 'boolean', description: 'also export to ONNX and profile that with the ONNX profiler' },
      storage: {
        type: 'string',
        value: 'DIR',
        description: 'folder for the harness and exported files',
        default: '$GREENLENS_CACHE_DIR/torch',
      },
      'save-script': { type: 'string', value: 'FILE', description: 'write the generated harness to FILE as well' },
      'print-script': { type: 'boolean', description: 'print the generated harness and exit without running it' },
    },
    example: 'greenlens profile-torch app.py:12 --python .venv/bin/python --budget 2m',
  },
  catalog: {
    options: {
      'min-top1': {
        type: 'string',
        value: 'PCT',
        description: 'only models with at least this ImageNet top-1 accuracy',
      },
      'max-gmacs': { type: 'string', value: 'G', description: 'only models with at most this many GMACs per image' },
      sort: { type: 'string', value: 'KEY', description: 'energy, top1, gmacs or name', default: 'energy' },
      limit: { type: 'string', value: 'N', description: 'print at most N models', default: 'all' },
      all: { type: 'boolean', description: 'list timm’s test networks too' },
      json: { type: 'boolean', description: 'print the rows as JSON' },
    },
    example: 'greenlens catalog --min-top1 80 --max-gmacs 5 --limit 20',
  },
  'estimate-training': {
    options: {
      arch: { type: 'string', value: 'NAME', description: 'torchvision, timm or Hugging Face model name (required)' },
      gpu: { type: 'string', value: 'NAME', description: 'GPU model, for example "RTX 3090" (required)' },
      epochs: { type: 'string', value: 'N', description: 'number of epochs, positive (required)' },
      images: { type: 'string', value: 'N', description: 'images per epoch (required)' },
      size: { type: 'string', value: 'PX', description: 'input image size', default: 'the model’s own' },
      batch: { type: 'string', value: 'N', description: 'batch size', default: 'not given: the fit’s batch sizes' },
      gpus: { type: 'string', value: 'N', description: 'number of GPUs', default: '1' },
      precision: { type: 'string', value: 'P', description: 'fp32, tf32, amp or bf16', default: 'fp32' },
      'epoch-seconds': {
        type: 'string',
        value: 'S',
        description: 'measured seconds per epoch, instead of the prediction',
      },
      region: {
        type: 'string',
        value: 'CODE',
        description: 'grid region for CO2 (ISO alpha-3 or provider:region)',
        default: 'world average',
      },
      intensity: { type: 'string', value: 'G', description: 'gCO2e/kWh, instead of the region’s' },
      price: {
        type: 'string',
        value: 'P',
        description: 'electricity price per kWh',
        default: String(DEFAULT_SETTINGS.electricityPrice),
      },
      currency: {
        type: 'string',
        value: 'CODE',
        description: 'ISO 4217 code of the price',
        default: DEFAULT_SETTINGS.currency,
      },
      json: { type: 'boolean', description: 'print the estimate as JSON' },
    },
    example: 'greenlens estimate-training --arch resnet50 --gpu "RTX 3090" --epochs 30 --images 50000 --batch 64',
  },
};
