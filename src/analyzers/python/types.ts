/**
 * Plain data returned by the Python analyzer. Nothing here refers to tree-sitter or to VS Code: positions
 * are 0-based `{line, character}` in UTF-16 code units (what VS Code and web-tree-sitter both use), so the
 * editor layer converts them one to one.
 */

/** A 0-based position; `character` counts UTF-16 code units. */
export interface Position {
  line: number;
  character: number;
}

/** A half-open range between two positions. */
export interface Range {
  start: Position;
  end: Position;
}

/** A text replacement; an insertion has an empty range. */
export interface TextEdit {
  range: Range;
  newText: string;
}

/** Diagnostic severity as a string, so pure modules need no editor enum. */
export type Severity = 'hint' | 'information' | 'warning' | 'error';

/** Frameworks whose model creation or loading the analyzer recognises. */
export type Framework =
  | 'torchvision'
  | 'timm'
  | 'transformers'
  | 'sentence-transformers'
  | 'diffusers'
  | 'keras'
  | 'torch.hub'
  | 'ultralytics'
  | 'onnxruntime'
  | 'torch';

/**
 * How a site brings a model into being: `create` builds an architecture (maybe with pretrained weights),
 * `load` reads weights or a whole model from disk or a hub, `pipeline` wraps a model in a task pipeline,
 * `define` is a user-defined `nn.Module` subclass (its instantiations are separate `create` sites).
 */
export type SiteKind = 'create' | 'load' | 'pipeline' | 'define';

/** A statically known argument value: literal values as JS values, anything else as its source text. */
export type ArgValue = string | number | boolean | null | { expr: string };

/** One model creation or loading site. */
export interface ModelSite {
  file?: string;
  /** The whole call (or the class name for `define`). */
  range: Range;
  framework: Framework;
  kind: SiteKind;
  /** Architecture name or hub id (`resnet50`, `google/vit-base-patch16-224`), absent when not static. */
  modelId?: string;
  /** True when pretrained weights are requested, false when explicitly not, absent when unknown. */
  pretrained?: boolean;
  /** Statically known arguments: positional ones as `"0"`, `"1"`, keyword ones by name. */
  args: Record<string, ArgValue>;
  /** The qualified callee, after import aliases are resolved (`torchvision.models.resnet50`). */
  callee: string;
  /** Variables the model was bound to (`model`, `self.backbone`). */
  boundTo: string[];
  /** For onnxruntime sessions and `torch.load`: the path argument, so the ONNX analyzer can be linked. */
  path?: string;
  /** What the code around the site does with the model. */
  context: SiteContext;
  /**
   * How sure the analysis is that the call yields a model: `high` for a known builder or loader or a model
   * class, `medium` when only the way the result is used says so, `low` when the usage does not tell (a
   * `torch.load` whose result may be a checkpoint).
   */
  confidence?: Confidence;
  /** Parameters counted statically from literal layer sizes (user models and bare layers). */
  params?: number;
}

/** How sure the analysis is about a site. */
export type Confidence = 'high' | 'medium' | 'low';

/** Facts about how a model is used, gathered from the whole file. */
export interface SiteContext {
  device?: 'cuda' | 'cpu' | 'mps' | 'unknown';
  dtype?: string;
  evalCalled: boolean;
  compiled: boolean;
  quantized: boolean;
  pruned: boolean;
  inferenceCalls: number;
  trainingLoops: number;
}

/** A call that runs a model forward for inference (outside any training loop). */
export interface InferenceCall {
  range: Range;
  /** Index into `sites`. */
  site: number;
  /** The receiver as written (`model`, `self.net`, `clf`). */
  receiver: string;
  /** `call` for `model(x)`, otherwise the method name (`predict`, `generate`, `encode`, `run`). */
  method: string;
  inNoGrad: boolean;
  inAutocast: boolean;
  inLoop: boolean;
  /** True when the call is inside a loop and its arguments use the loop variable: one sample at a time. */
  perSample: boolean;
}

/** A training loop or training call with the settings that decide its energy. */
export interface TrainingLoop {
  range: Range;
  /** The loop's header (`for epoch in range(30):`) or the training call: what a diagnostic underlines. */
  header?: Range;
  kind: 'loop' | 'trainer' | 'fit';
  /** Index into `sites` when the trained model is known. */
  site?: number;
  epochs?: number;
  batchSize?: number;
  device?: string;
  hasEarlyStopping: boolean;
  hasCheckpoint: boolean;
  usesAutocast: boolean;
}

/** A fix made of text edits that the editor applies as one quick fix. */
export interface QuickFix {
  title: string;
  edits: TextEdit[];
}

/** A green-rule hit. */
export interface Finding {
  ruleId: string;
  message: string;
  severity: Severity;
  range: Range;
  /** Index into `sites` when the finding is about one model. */
  site?: number;
  fix?: QuickFix;
}

/** A place where the source does not parse; analysis still covers the rest of the file. */
export interface ParseError {
  range: Range;
  message: string;
}

/** Everything the analyzer knows about one file. */
export interface PythonAnalysis {
  sites: ModelSite[];
  trainingLoops: TrainingLoop[];
  inferenceCalls: InferenceCall[];
  findings: Finding[];
  parseErrors?: ParseError[];
  /**
   * Why the file was not fully analyzed, when it was not: the parse timed out, was aborted, or the parser
   * faulted (then `parseErrors` says so and the parser has been replaced).
   */
  incomplete?: 'timeout' | 'aborted' | 'fault';
  /** True when a cheap byte prefilter showed that the file cannot contain a model, so it was not parsed. */
  skipped?: boolean;
}
