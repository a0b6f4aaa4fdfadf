/**
 * Which resolved callees create or load a model, per framework. Matching is on qualified names after
 * import resolution, so a look-alike (`mylib.resnet50`, `timm.list_models`, `AutoTokenizer.from_pretrained`)
 * is not a model, and neither is a model name in a string or a comment (those are never callees).
 */
import type { Framework, SiteKind } from './types';

/** torchvision's public model builders (classification, detection, segmentation, video, optical flow). */
const TORCHVISION_BUILDERS = new Set(
  (
    'alexnet convnext_base convnext_large convnext_small convnext_tiny deeplabv3_mobilenet_v3_large deeplabv3_resnet101 ' +
    'deeplabv3_resnet50 densenet121 densenet161 densenet169 densenet201 efficientnet_b0 efficientnet_b1 efficientnet_b2 ' +
    'efficientnet_b3 efficientnet_b4 efficientnet_b5 efficientnet_b6 efficientnet_b7 efficientnet_v2_l efficientnet_v2_m ' +
    'efficientnet_v2_s fasterrcnn_mobilenet_v3_large_320_fpn fasterrcnn_mobilenet_v3_large_fpn fasterrcnn_resnet50_fpn ' +
    'fasterrcnn_resnet50_fpn_v2 fcn_resnet101 fcn_resnet50 fcos_resnet50_fpn googlenet inception_v3 keypointrcnn_resnet50_fpn ' +
    'lraspp_mobilenet_v3_large maskrcnn_resnet50_fpn maskrcnn_resnet50_fpn_v2 maxvit_t mc3_18 mnasnet0_5 mnasnet0_75 ' +
    'mnasnet1_0 mnasnet1_3 mobilenet_v2 mobilenet_v3_large mobilenet_v3_small mvit_v1_b mvit_v2_s r2plus1d_18 r3d_18 ' +
    'raft_large raft_small regnet_x_16gf regnet_x_1_6gf regnet_x_32gf regnet_x_3_2gf regnet_x_400mf regnet_x_800mf ' +
    'regnet_x_8gf regnet_y_128gf regnet_y_16gf regnet_y_1_6gf regnet_y_32gf regnet_y_3_2gf regnet_y_400mf regnet_y_800mf ' +
    'regnet_y_8gf resnet101 resnet152 resnet18 resnet34 resnet50 resnext101_32x8d resnext101_64x4d resnext50_32x4d ' +
    'retinanet_resnet50_fpn retinanet_resnet50_fpn_v2 s3d shufflenet_v2_x0_5 shufflenet_v2_x1_0 shufflenet_v2_x1_5 ' +
    'shufflenet_v2_x2_0 squeezenet1_0 squeezenet1_1 ssd300_vgg16 ssdlite320_mobilenet_v3_large swin_b swin_s swin_t ' +
    'swin_v2_b swin_v2_s swin_v2_t vgg11 vgg11_bn vgg13 vgg13_bn vgg16 vgg16_bn vgg19 vgg19_bn vit_b_16 vit_b_32 vit_h_14 ' +
    'vit_l_16 vit_l_32 wide_resnet101_2 wide_resnet50_2'
  ).split(' '),
);

/** A builder through any torchvision.models sub-module (`torchvision.models.resnet.resnet50`, `...detection.fasterrcnn_resnet50_fpn`). */
const TORCHVISION_BUILDER = /^torchvision\.models\.(?:[a-z_0-9]+\.)*([a-z0-9_]+)$/;
/** torchvision's backbone helpers, which build a (pretrained) feature extractor of the named architecture. */
const TORCHVISION_BACKBONE =
  /^torchvision\.models\.detection\.(?:backbone_utils\.)?(resnet_fpn_backbone|mobilenet_backbone)$/;
const HF_FROM_PRETRAINED = /^transformers\.([A-Z][A-Za-z0-9]*)\.from_pretrained$/;
/** transformers classes that are not models: loading them costs no compute worth reporting. */
const HF_NOT_MODEL = /(?:Tokenizer|TokenizerFast|Processor|Config|FeatureExtractor|ImageProcessor|GenerationConfig)$/;
/** transformers model classes built directly from a config (`GPT2LMHeadModel(config)`). */
const HF_CLASS =
  /^transformers\.(?:[a-z_0-9]+\.)*([A-Z][A-Za-z0-9]*(?:Model|For[A-Z][A-Za-z0-9]*))(\.from_pretrained|\.from_config)?$/;
/** Any diffusers class, called or loaded; classes that are not models are filtered by {@link DIFFUSERS_NOT_MODEL}. */
/** transformers classes named `...For...` that are helpers, not models (`DataCollatorForLanguageModeling`). */
const HF_HELPER =
  /^(?:DataCollator|Trainer|Training|Seq2SeqTrainer|Default|Pipeline)|Collator|Callback|Arguments|Output$/;
const DIFFUSERS_CLASS =
  /^diffusers\.(?:[A-Za-z_0-9]+\.)*?([A-Z][A-Za-z0-9_]*)(\.from_pretrained|\.from_config|\.from_single_file)?$/;
/** diffusers classes that hold no network: schedulers, processors, outputs, configuration and mixins. */
const DIFFUSERS_NOT_MODEL =
  /(?:Scheduler|Processor|Output|Config|Mixin|Tokenizer|FeatureExtractor|Loader|Hook|Callback|Error|Warning|Args|Pipe)$|^(?:DiffusionPipeline)$/;
const KERAS_ROOT = '(?:tensorflow\\.keras|tensorflow\\.python\\.keras|keras|tf_keras|keras\\.src)';
const KERAS_APP = new RegExp(`^${KERAS_ROOT}\\.applications\\.(?:[a-z0-9_]+\\.)?([A-Z][A-Za-z0-9]*)$`);
/** Keras containers that are models: `Sequential([...])` and the functional `Model(inputs, outputs)`. */
const KERAS_MODEL = new RegExp(
  `^${KERAS_ROOT}\\.(?:models\\.|engine\\.(?:sequential|training|functional)\\.)?(Sequential|Model)$`,
);
/** Keras and TensorFlow loaders of a whole saved model. */
const KERAS_LOAD = new RegExp(
  `^(?:${KERAS_ROOT}\\.(?:models\\.|saving\\.)?load_model|tensorflow\\.saved_model\\.load)$`,
);
const SENTENCE_TRANSFORMERS =
  /^sentence_transformers\.(?:[a-z_]+\.)*(SentenceTransformer|CrossEncoder|SparseEncoder)(?:\.(?:SentenceTransformer|CrossEncoder|SparseEncoder))?$/;
const ULTRALYTICS = /^ultralytics\.(?:models\.)?(YOLO|YOLOWorld|YOLOE|RTDETR|SAM|FastSAM|NAS)$/;
/** timm's model classes, built directly (`VisionTransformer(...)`), as opposed to its layers and helpers. */
const TIMM_CLASS = /^timm\.models\.(?:[a-z_0-9]+\.)?([A-Z][A-Za-z0-9]*)$/;
const TIMM_NOT_MODEL = /(?:Block|Layer|Attention|Mlp|Embed|Norm|Pool|Head|Config|Cfg|Info|Hook|Wrapper|Features\w*)$/;

/** What a callee is, when it creates or loads a model. */
export interface CalleeMatch {
  framework: Framework;
  kind: SiteKind;
  /** Where the model id comes from: a fixed name, or an argument (positional index or keyword). */
  id: { fixed: string } | { arg: number; kw?: string };
  /** Default of `pretrained` when the call says nothing. */
  pretrainedDefault?: boolean;
  /** True when the model id argument is a file path. */
  idIsPath?: boolean;
}

// A Map, not an object literal: a callee named `constructor` or `toString` must not find Object's members.
const EXACT = new Map<string, CalleeMatch>(
  Object.entries({
    'torchvision.models.get_model': {
      framework: 'torchvision',
      kind: 'create',
      id: { arg: 0, kw: 'name' },
      pretrainedDefault: false,
    },
    'timm.create_model': {
      framework: 'timm',
      kind: 'create',
      id: { arg: 0, kw: 'model_name' },
      pretrainedDefault: false,
    },
    'timm.models.create_model': {
      framework: 'timm',
      kind: 'create',
      id: { arg: 0, kw: 'model_name' },
      pretrainedDefault: false,
    },
    'transformers.pipeline': {
      framework: 'transformers',
      kind: 'pipeline',
      id: { arg: 1, kw: 'model' },
      pretrainedDefault: true,
    },
    'torch.hub.load': { framework: 'torch.hub', kind: 'load', id: { arg: 1, kw: 'model' }, pretrainedDefault: false },
    'onnxruntime.InferenceSession': {
      framework: 'onnxruntime',
      kind: 'load',
      id: { arg: 0, kw: 'path_or_bytes' },
      idIsPath: true,
    },
    'torch.load': { framework: 'torch', kind: 'load', id: { arg: 0, kw: 'f' }, idIsPath: true },
    'torch.jit.load': { framework: 'torch', kind: 'load', id: { arg: 0, kw: 'f' }, idIsPath: true },
    'onnx.load': { framework: 'onnxruntime', kind: 'load', id: { arg: 0, kw: 'f' }, idIsPath: true },
    'onnx.load_model': { framework: 'onnxruntime', kind: 'load', id: { arg: 0, kw: 'f' }, idIsPath: true },
    'onnx.hub.load': { framework: 'onnxruntime', kind: 'load', id: { arg: 0, kw: 'model' } },
    'torch.export.load': { framework: 'torch', kind: 'load', id: { arg: 0, kw: 'f' }, idIsPath: true },
    'onnxruntime.training.api.Module': {
      framework: 'onnxruntime',
      kind: 'load',
      id: { arg: 0, kw: 'train_model_uri' },
      idIsPath: true,
    },
  } satisfies Record<string, CalleeMatch>),
);

/** Matches a qualified callee against the known model builders and loaders. */
export function matchCallee(qualified: string): CalleeMatch | undefined {
  const exact = EXACT.get(qualified);
  if (exact) return exact;
  if (qualified.startsWith('torchvision.')) return matchTorchvision(qualified);
  if (qualified.startsWith('transformers.')) return matchTransformers(qualified);
  if (qualified.startsWith('diffusers.')) return matchDiffusers(qualified);
  if (qualified.startsWith('sentence_transformers.')) {
    return SENTENCE_TRANSFORMERS.test(qualified)
      ? {
          framework: 'sentence-transformers',
          kind: 'load',
          id: { arg: 0, kw: 'model_name_or_path' },
          pretrainedDefault: true,
        }
      : undefined;
  }
  if (qualified.startsWith('ultralytics.')) {
    return ULTRALYTICS.test(qualified)
      ? { framework: 'ultralytics', kind: 'load', id: { arg: 0, kw: 'model' }, pretrainedDefault: true, idIsPath: true }
      : undefined;
  }
  if (qualified.startsWith('timm.')) {
    const t = TIMM_CLASS.exec(qualified);
    return t?.[1] && !TIMM_NOT_MODEL.test(t[1])
      ? { framework: 'timm', kind: 'create', id: { fixed: t[1] }, pretrainedDefault: false }
      : undefined;
  }
  return matchKeras(qualified);
}

function matchTorchvision(qualified: string): CalleeMatch | undefined {
  const tv = TORCHVISION_BUILDER.exec(qualified);
  if (tv?.[1] && TORCHVISION_BUILDERS.has(tv[1]))
    return { framework: 'torchvision', kind: 'create', id: { fixed: tv[1] }, pretrainedDefault: false };
  if (TORCHVISION_BACKBONE.test(qualified))
    return { framework: 'torchvision', kind: 'create', id: { arg: 0, kw: 'backbone_name' }, pretrainedDefault: false };
  return undefined;
}

function matchTransformers(qualified: string): CalleeMatch | undefined {
  const hf = HF_FROM_PRETRAINED.exec(qualified);
  if (hf?.[1] && !HF_NOT_MODEL.test(hf[1]))
    return {
      framework: 'transformers',
      kind: 'load',
      id: { arg: 0, kw: 'pretrained_model_name_or_path' },
      pretrainedDefault: true,
    };
  const cls = HF_CLASS.exec(qualified);
  if (!cls?.[1] || HF_NOT_MODEL.test(cls[1]) || HF_HELPER.test(cls[1])) return undefined;
  if (cls[2] === '.from_pretrained')
    return {
      framework: 'transformers',
      kind: 'load',
      id: { arg: 0, kw: 'pretrained_model_name_or_path' },
      pretrainedDefault: true,
    };
  return { framework: 'transformers', kind: 'create', id: { fixed: cls[1] }, pretrainedDefault: false };
}

function matchDiffusers(qualified: string): CalleeMatch | undefined {
  const df = DIFFUSERS_CLASS.exec(qualified);
  const name = df?.[1];
  if (!name || DIFFUSERS_NOT_MODEL.test(name)) return undefined;
  const how = df[2];
  if (how === '.from_pretrained' || how === '.from_single_file')
    return {
      framework: 'diffusers',
      kind: 'load',
      id: { arg: 0, kw: 'pretrained_model_name_or_path' },
      pretrainedDefault: true,
    };
  return {
    framework: 'diffusers',
    kind: name.endsWith('Pipeline') ? 'pipeline' : 'create',
    id: { fixed: name },
    pretrainedDefault: false,
  };
}

function matchKeras(qualified: string): CalleeMatch | undefined {
  const app = KERAS_APP.exec(qualified);
  if (app?.[1]) return { framework: 'keras', kind: 'create', id: { fixed: app[1] }, pretrainedDefault: true };
  const model = KERAS_MODEL.exec(qualified);
  if (model?.[1]) return { framework: 'keras', kind: 'create', id: { fixed: model[1] }, pretrainedDefault: false };
  if (KERAS_LOAD.test(qualified))
    return { framework: 'keras', kind: 'load', id: { arg: 0, kw: 'filepath' }, idIsPath: true };
  return undefined;
}

/** True for a qualified name that the analyzer knows as a model callee or as a name a rule needs. */
export function isKnownName(qualified: string): boolean {
  return matchCallee(qualified) !== undefined || KNOWN_HELPERS.has(qualified);
}

/** Qualified names of `nn.Module`, whose subclasses are user-defined models. */
export const MODULE_BASES = new Set([
  'torch.nn.Module',
  'torch.nn.modules.module.Module',
  'torch.nn.modules.Module',
  'lightning.LightningModule',
  'lightning.pytorch.LightningModule',
  'pytorch_lightning.LightningModule',
  'pytorch_lightning.core.LightningModule',
]);

/** Qualified names of Keras and TensorFlow model bases, whose subclasses are user-defined Keras models. */
export const KERAS_MODEL_BASES = new Set([
  'keras.Model',
  'keras.models.Model',
  'tensorflow.keras.Model',
  'tensorflow.keras.models.Model',
  'tf_keras.Model',
  'tensorflow.Module',
]);

/** Helpers that rules look for, by qualified name. */
export const NO_GRAD = new Set([
  'torch.no_grad',
  'torch.inference_mode',
  'torch.autograd.no_grad',
  'torch.autograd.grad_mode.no_grad',
]);
export const AUTOCAST = new Set([
  'torch.autocast',
  'torch.cuda.amp.autocast',
  'torch.amp.autocast',
  'torch.cpu.amp.autocast',
]);
export const DATALOADER = new Set(['torch.utils.data.DataLoader', 'torch.utils.data.dataloader.DataLoader']);
export const QUANTIZE = new Set([
  'torch.quantization.quantize_dynamic',
  'torch.ao.quantization.quantize_dynamic',
  'torch.quantization.quantize',
  'torch.ao.quantization.quantize',
  'torch.ao.quantization.quantize_fx.convert_fx',
  'torch.quantization.convert',
  'torch.ao.quantization.convert',
]);
export const COMPILE = new Set(['torch.compile', 'torch.jit.script', 'torch.jit.trace']);
export const TRAINER = new Set(['transformers.Trainer', 'transformers.Seq2SeqTrainer', 'trl.SFTTrainer']);
const PRUNE_PREFIXES = ['torch.nn.utils.prune.'];
/** Per-layer (local) pruning functions of torch.nn.utils.prune. */
export const LOCAL_PRUNE = new Set([
  'l1_unstructured',
  'random_unstructured',
  'ln_structured',
  'random_structured',
  'custom_from_mask',
]);

/** The pruning function name when a qualified name is one, else undefined. */
export function pruneFunction(qualified: string): string | undefined {
  for (const p of PRUNE_PREFIXES) if (qualified.startsWith(p)) return qualified.slice(p.length);
  return undefined;
}

const KNOWN_HELPERS = new Set([
  ...MODULE_BASES,
  ...NO_GRAD,
  ...AUTOCAST,
  ...DATALOADER,
  ...QUANTIZE,
  ...COMPILE,
  ...TRAINER,
]);

/**
 * The byte prefilter (not applied when a workspace resolver is given: a class imported from another file
 * can be a model with no framework name in this one). A file can produce a site, or a finding about one, only when it names one of these
 * modules (those detections go through a resolved import of one of them) and contains one of the triggers
 * below, each a necessary textual condition of one detection path: a non-torch framework name (its
 * builders, pipelines, Trainer), `hub` or `.load(` / an imported `load` (torch.hub.load, torch.load,
 * torch.jit.load), a class deriving from something named `Module` or an aliased `Module` (user models),
 * `DataLoader`, `prune`, or a star import. Training loops need no import: an epoch `for` loop or a
 * `.backward(` / optimizer `.step(` call lets any file through. Files failing it are not parsed: their
 * analysis would be empty (the unit tests check both ways agree).
 */
const FRAMEWORK_WORD =
  /\b(?:torch|torchvision|timm|transformers|sentence_transformers|diffusers|keras|tensorflow|tf_keras|ultralytics|onnxruntime|onnx|trl|lightning|pytorch_lightning)\b/;

/** True when a text names a known framework: usage-based sites are only looked for in such files. */
export function namesFramework(source: string): boolean {
  return FRAMEWORK_WORD.test(source);
}
/**
 * Each trigger is a regular expression with a cheaper necessary condition in front (a word that every match
 * contains): most files of a large package fail every trigger, so each one scans the whole file.
 */
const FRAMEWORK_TRIGGERS: ((source: string) => boolean)[] = [
  (s) =>
    /\b(?:t(?:orchvision|imm|ransformers|rl)|sentence_transformers|diffusers|keras|ultralytics|onnxruntime|hub|DataLoader|prune)\b/.test(
      s,
    ),
  (s) => (s.includes('load') && /\.\s*load\s*\(|\bimport\b[^\n]*\bload\b/.test(s)) || /\bimport\s+\*/.test(s),
  (s) => s.includes('Module') && /^[ \t]*class\s+\w+\s*\([^)]*\bModule\b|\bModule\s+as\b/m.test(s),
  // Generic loaders (`X.from_pretrained`, Lightning's `load_from_checkpoint`) and registry lookups.
  (s) =>
    /\b(?:from_pretrained|from_config|from_single_file|load_from_checkpoint)\b|\.\s*__dict__\s*\[[^\]\n]+\]\s*\(/.test(
      s,
    ),
  // Bare layers bound to a variable as the model (`model = nn.Sequential(...)`).
  (s) => BARE_LAYER_ASSIGNMENT.test(s),
  // Instances of unknown classes that the file uses as models (usage-based sites).
  usageTrigger,
];

/** `name = [module.]Layer(`: the only form in which a bare layer is a site. */
export const BARE_LAYER_ASSIGNMENT =
  /^[ \t]*[A-Za-z_]\w*[ \t]*=[ \t]*(?:[\w.]+\.)?(?:Sequential|Linear|Bilinear|Conv[123]d|LSTM|GRU|RNN|Transformer|TransformerEncoder|TransformerDecoder|MultiheadAttention|Embedding)[ \t]*\(/m;
/**
 * `name = Class(`, `name = module.Class(`, `name = imported_name(` or `name = registry[key](`: the only forms
 * in which an unknown class's instance is a usage site (a dotted lowercase callee is a function).
 */
export const CALL_ASSIGNMENT =
  /^[ \t]*([A-Za-z_][\w.]*)[ \t]*=[ \t]*(?:(?:[A-Za-z_][\w.]*\.)?[A-Z]\w*|[a-z_]\w*|[A-Za-z_]\w*\[[^\]\n]*\])[ \t]*\(/gm;
/** Methods and consumers that only a model takes: the usage evidence of usage-based sites. */
export const MODEL_USE = '(?:parameters|named_parameters|load_state_dict|eval|summary|generate|predict|forward)';
export const MODEL_CONSUMER = '(?:export|trace|script|compile|summary)';
// Non-global twins for plain tests: a global pattern's `test` moves its lastIndex, which `matchAll` copies.
const MODEL_METHOD = new RegExp(`\\.\\s*${MODEL_USE}\\s*\\(`);
const MODEL_CONSUMER_CALL = new RegExp(`\\b${MODEL_CONSUMER}\\s*\\(\\s*[A-Za-z_]`);
const MODEL_METHOD_AT = new RegExp(`\\.\\s*${MODEL_USE}\\s*\\(`, 'g');
const MODEL_CONSUMER_AT = new RegExp(`\\b${MODEL_CONSUMER}\\s*\\(\\s*([A-Za-z_][\\w.]*)`, 'g');

/**
 * Every variable used as a model in a text, with the offset of the use: the receiver of a model method
 * (`net.eval()`, `self.model.parameters()`) or the first argument of a consumer (`export(net, ...)`). The
 * receiver is read backwards from the method, which is much cheaper than a pattern anchored on it.
 */
export function modelUses(s: string): { name: string; at: number }[] {
  const out: { name: string; at: number }[] = [];
  for (const m of s.matchAll(MODEL_METHOD_AT)) {
    const end = m.index ?? 0;
    let i = end;
    while (i > 0 && /\s/.test(s[i - 1] ?? '')) i--;
    const stop = i;
    while (i > 0 && /[\w.]/.test(s[i - 1] ?? '')) i--;
    const name = s.slice(i, stop);
    if (/^[A-Za-z_][\w.]*$/.test(name) && !name.endsWith('.')) out.push({ name, at: i });
  }
  for (const m of s.matchAll(MODEL_CONSUMER_AT)) if (m[1]) out.push({ name: m[1], at: m.index ?? 0 });
  return out;
}

/** True when a variable assigned from a call is also used as a model somewhere: what a usage site needs. */
export function usageTrigger(s: string): boolean {
  if (!MODEL_METHOD.test(s) && !MODEL_CONSUMER_CALL.test(s)) return false;
  const vars = new Set<string>();
  for (const m of s.matchAll(CALL_ASSIGNMENT)) vars.add(m[1] ?? '');
  return vars.size > 0 && modelUses(s).some((u) => vars.has(u.name));
}

/** Training loops: an epoch `for` loop, or a loop calling `.backward()` or an optimizer's `.step()`. */
const TRAINING_TRIGGERS: ((source: string) => boolean)[] = [
  (s) => /epoch/i.test(s) && /\bfor\b[^\n]*epoch/i.test(s),
  (s) => /\.\s*backward\s*\(|(?:optim|opt|scaler)\w*\s*\.\s*step\s*\(/i.test(s),
];

/** True when the text may contain something the analyzer reports; false means the analysis is empty. */
export function mayContainModels(source: string): boolean {
  return (
    (FRAMEWORK_WORD.test(source) && FRAMEWORK_TRIGGERS.some((t) => t(source))) ||
    TRAINING_TRIGGERS.some((t) => t(source))
  );
}
