/**
 * Plain-data types of the PyTorch profiler: the tactics of the first study (dynamic quantization,
 * torch.compile, local and global magnitude pruning) plus fp16/bf16, measured in the user's own Python.
 * Results reuse the ONNX profiler's format (VariantResult, VariantMetrics, EnergyReading, AccuracyImpact)
 * with the kinds and facts that only PyTorch has. Pure: no vscode.
 */
import type { ArgValue, Framework, SiteKind } from '../../analyzers/python/types';
import type { MachineFingerprint, ProfileProgress, ProfileResult, VariantResult } from '../types';

/** The tactics the harness applies to a PyTorch model. */
export type TorchVariantKind =
  'baseline' | 'int8-dynamic' | 'torch-compile' | 'prune-local' | 'prune-global' | 'fp16' | 'bf16';

/** One variant to measure, parsed from a spec such as `prune-global:0.5`. */
export interface TorchVariantSpec {
  id: string;
  kind: TorchVariantKind;
  /** prune-*: fraction of weights set to zero, in (0, 1). */
  sparsity?: number;
}

/** How the harness builds the model. */
export type TorchSiteKind = 'torchvision' | 'timm' | 'transformers' | 'module';

/** A model site as the harness needs it: plain JSON, embedded in the generated script. */
export interface TorchSite {
  kind: TorchSiteKind;
  /** Absolute path of the Python file the site is in. */
  file: string;
  /** 1-based line of the site. */
  line: number;
  /** The name shown to the user (`resnet18`, `FashionMLP`). */
  label: string;
  framework: Framework;
  siteKind: SiteKind;
  modelId?: string;
  /** The qualified callee (`torchvision.models.resnet18`, `transformers.AutoModel.from_pretrained`). */
  callee: string;
  /** For user modules: the nn.Module subclass to instantiate when no module-level variable holds the model. */
  className?: string;
  /** Variables the model was bound to; a module-level one is taken as is (the user's weights). */
  boundTo: string[];
  args: Record<string, ArgValue>;
  /** torchvision: the weights tag asked for (`IMAGENET1K_V1`, `DEFAULT`). */
  weights?: string;
  pretrained?: boolean;
}

/** The harness's input settings. */
export interface TorchInputSpec {
  /** Full input shape including the batch axis (`[1, 784]`); inferred from the model when absent. */
  shape?: number[];
  dtype?: 'float32' | 'int64';
}

/** Everything the generated script needs; embedded in it as JSON. */
export interface HarnessConfig {
  site: TorchSite;
  input: TorchInputSpec;
  dataset: { dir: string; maxSamples?: number } | null;
  /** Batch of the latency measurement (overridden by `input.shape[0]`). */
  batch: number;
  randomSamples: number;
  seed: number;
  device: 'cpu' | 'cuda';
  budgetMs: number;
  targetCiPct: number;
  maxRepetitions: number;
  maxOutputValues: number;
  /** RAPL energy counters the harness reads around each block (discovered by the host). */
  rapl: { id: string; file: string; maxRangeUj?: number }[];
  /** Where the baseline is exported to ONNX, when asked. */
  onnxExport: string | null;
  /** The baseline first. */
  variants: TorchVariantSpec[];
}

/** A PyTorch variant's outcome: the ONNX profiler's VariantResult with PyTorch's kinds. */
export type TorchVariantResult = Omit<VariantResult, 'kind'> & { kind: TorchVariantKind };

/** The interpreter and libraries that ran the harness, as it reported them. */
export interface TorchEnvironment {
  python: string;
  executable: string;
  platform: string;
  torch: string;
  torchvision?: string;
  numpy?: string;
  threads: number;
  quantEngine: string;
  compile: boolean;
  cuda: boolean;
  device: 'cpu' | 'cuda';
  deviceName: string;
}

/** The model as the harness built it. */
export interface TorchModelInfo {
  label: string;
  className: string;
  /** `user-code`: taken from the user's module after import; `local`: pretrained weights found locally; `random`: random initialisation. */
  weights: 'user-code' | 'local' | 'random';
  notes: string[];
  parameters: number;
  inputShape: number[];
  inputDtype: string;
  inputNote: string;
  buildMs: number;
}

/** One profiling run of a PyTorch model site: the ONNX profiler's ProfileResult plus PyTorch's facts. */
export interface TorchProfileResult extends Omit<ProfileResult, 'variants' | 'machine'> {
  profiler: 'torch';
  /** modelPath is the Python file; modelSha256 its hash; modelBytes the baseline's serialized state_dict. */
  site: Omit<TorchSite, 'args'>;
  environment: TorchEnvironment;
  model: TorchModelInfo;
  machine: Omit<MachineFingerprint, 'ortVersion'>;
  variants: TorchVariantResult[];
  onnxExport?: { path: string; ms: number } | { error: string };
  /** The ONNX profiler's result on the exported baseline, when the run was handed over to it. */
  onnxProfile?: ProfileResult;
  /** Where the script that ran was written (GreenLens's storage, never the user's folder). */
  scriptPath: string;
  notes: string[];
}

/** Streamed while a run goes on: the ONNX profiler's steps, with what only a PyTorch run knows. */
export type TorchProfileProgress =
  | Extract<ProfileProgress, { type: 'run-started' | 'variant-started' | 'variant-phase' }>
  | { type: 'environment'; environment: TorchEnvironment }
  | { type: 'model'; model: TorchModelInfo }
  | { type: 'variant-finished'; index: number; total: number; result: TorchVariantResult }
  | { type: 'run-finished'; result: TorchProfileResult };

/** Why a run ended without a result. */
export type TorchErrorCode =
  | 'no-python'
  | 'no-torch'
  | 'no-numpy'
  | 'no-device'
  | 'import-failed'
  | 'build-failed'
  | 'needs-download'
  | 'no-input-shape'
  | 'dataset'
  | 'baseline-failed'
  | 'unsupported-site'
  | 'timeout'
  | 'cancelled'
  | 'crashed'
  | 'protocol'
  | 'internal';

/** A run that ended without a result, with what is known so far. */
export class TorchProfileError extends Error {
  constructor(
    message: string,
    readonly code: TorchErrorCode,
    readonly details: { environment?: TorchEnvironment; stderrTail?: string; scriptPath?: string } = {},
  ) {
    super(message);
    this.name = 'TorchProfileError';
  }
}
