/**
 * User-defined models: which classes of a file (or of another workspace file it imports) are models, whether
 * they hold weights, how many parameters their literal layer sizes give, and whether a call builds a
 * model or only a part of an enclosing model (`self.block = Block(...)` in a constructor).
 */
import type { ClassFact, FileFacts } from './extract';
import { KERAS_MODEL_BASES, matchCallee, MODULE_BASES } from './frameworks';
import { resolveDotted, type ImportTable } from './imports';
import type { SyntaxNode } from './treeSitter';

/** What the analysis knows of a model class, wherever it is defined. */
export interface ModelClass {
  name: string;
  framework: 'torch' | 'keras';
  /** False for modules without parameters (matchers, fixed position encodings, activations). */
  weights: boolean;
  /** Parameters counted from literal layer sizes, when every layer of the class has literal sizes. */
  params?: number;
}

/**
 * Resolves model classes imported from other files of the workspace. Implementations cache what they read
 * per file version, so that resolving on every edit does not re-read the workspace.
 */
export interface WorkspaceResolver {
  /** The model class that `qualified` (an import's dotted name, `.models.Net` when relative) names, seen from `file`. */
  modelClass(file: string | undefined, qualified: string): ModelClass | undefined;
  /** True when `qualified` names a function (not a class) defined in a workspace file. */
  isFunction?(file: string | undefined, qualified: string): boolean;
}

/** A class of some file with the facts needed to decide whether it is a model. */
export interface ClassSummary {
  name: string;
  bases: string[];
  body: string;
}

/** True for a qualified base name that makes its subclasses models. */
export function modelBaseFramework(q: string): 'torch' | 'keras' | undefined {
  // Subclasses of a single layer (`class Linear(nn.Linear)`) are layers, not models; containers are models.
  if (MODULE_BASES.has(q) || /^torch\.nn\.(?:modules\.[a-z_]+\.)?(?:Sequential|ModuleList|ModuleDict)$/.test(q))
    return 'torch';
  if (KERAS_MODEL_BASES.has(q)) return 'keras';
  const m = matchCallee(q);
  if (m && m.kind !== 'define') return m.framework === 'keras' ? 'keras' : 'torch';
  return undefined;
}

/** Bases that are exactly a bare module class: a subclass holds weights only when its own body creates some. */
const BARE_BASE = /^(?:torch\.nn\.(?:modules\.(?:module\.)?)?Module|tensorflow\.Module)$/;
/** Any call of a class (a layer, a sub-module) or a parameter: the body then holds weights. */
const WEIGHT_CALL = /\b(?:[A-Z]\w*|nn\.\w+|layers\.\w+)\s*\(/;
/** Calls of classes that hold no weights, so that a body made only of them is weightless. */
const WEIGHTLESS_CALL =
  /\b(?:nn\.)?(?:ReLU\d?|GELU|SiLU|Sigmoid|Tanh|Softmax|LogSoftmax|Dropout\d?d?|Identity|Flatten|Unflatten|MaxPool\dd|AvgPool\dd|AdaptiveAvgPool\dd|AdaptiveMaxPool\dd|Upsample|LeakyReLU|ELU|Hardswish|Mish|NestedTensor|ValueError|TypeError|NotImplementedError|RuntimeError|OrderedDict)\s*\(/g;

/**
 * Builds the model-class table of one file from its classes, following bases through the file itself and,
 * when a resolver is given, through imports of other workspace files. Two passes let a subclass come
 * before its base in the file.
 */
export function modelClasses(
  classes: readonly ClassSummary[],
  imports: ImportTable,
  resolveImported?: (q: string) => ModelClass | undefined,
): Map<string, ModelClass> {
  const out = new Map<string, ModelClass>();
  for (let pass = 0; pass < 3; pass++) {
    for (const c of classes) {
      if (out.has(c.name)) continue;
      const info = classInfo(c, imports, out, resolveImported);
      if (info) out.set(c.name, info);
    }
  }
  return out;
}

function classInfo(
  c: ClassSummary,
  imports: ImportTable,
  known: Map<string, ModelClass>,
  resolveImported?: (q: string) => ModelClass | undefined,
): ModelClass | undefined {
  let framework: 'torch' | 'keras' | undefined;
  let inherited = false;
  let bare = true;
  for (const b of c.bases) {
    const local = known.get(b);
    const q = resolveDotted(imports, b);
    const fw = local?.framework ?? (q ? modelBaseFramework(q) : undefined);
    const imported = !local && !fw && q && resolveImported ? resolveImported(q) : undefined;
    const found = fw ?? imported?.framework;
    if (!found) continue;
    framework ??= found;
    const base = local ?? imported;
    if (base) inherited ||= base.weights;
    else if (!q || !BARE_BASE.test(q)) bare = false;
  }
  if (!framework) return undefined;
  const own = ownWeights(c.body);
  const weights = own || inherited || !bare;
  const info: ModelClass = { name: c.name, framework, weights };
  const params = bare && !inherited ? staticParams(initBody(c.body)) : undefined;
  if (params !== undefined && params > 0) info.params = params;
  return info;
}

/** True when a class body creates a layer, a sub-module or a parameter. */
function ownWeights(body: string): boolean {
  return WEIGHT_CALL.test(body.replace(WEIGHTLESS_CALL, '('));
}

/** The text of the `__init__` method of a class body (the whole body when there is none). */
function initBody(body: string): string {
  const m = /^([ \t]*)def\s+__init__\s*\(/m.exec(body);
  if (!m) return body;
  const indent = m[1] ?? '';
  const rest = body.slice(m.index + m[0].length);
  const end = new RegExp(`^${indent}(?:def|@|class)\\b`, 'm').exec(rest);
  return end ? rest.slice(0, end.index) : rest;
}

/** One literal-sized layer: how its parameters follow from its literal arguments. */
type Counter = (a: number[], kw: Map<string, string>) => number | undefined;

const noBias = (kw: Map<string, string>): boolean => kw.get('bias') === 'False';
const LAYERS: Record<string, { need: number; count: Counter }> = {
  Linear: { need: 2, count: ([i = 0, o = 0], kw) => i * o + (noBias(kw) ? 0 : o) },
  Bilinear: { need: 3, count: ([a = 0, b = 0, o = 0], kw) => a * b * o + (noBias(kw) ? 0 : o) },
  Embedding: { need: 2, count: ([n = 0, d = 0]) => n * d },
  LayerNorm: { need: 1, count: ([n = 0], kw) => (kw.get('elementwise_affine') === 'False' ? 0 : 2 * n) },
  GroupNorm: { need: 2, count: ([, c = 0], kw) => (kw.get('affine') === 'False' ? 0 : 2 * c) },
  BatchNorm1d: { need: 1, count: ([n = 0], kw) => (kw.get('affine') === 'False' ? 0 : 2 * n) },
  BatchNorm2d: { need: 1, count: ([n = 0], kw) => (kw.get('affine') === 'False' ? 0 : 2 * n) },
  BatchNorm3d: { need: 1, count: ([n = 0], kw) => (kw.get('affine') === 'False' ? 0 : 2 * n) },
};
for (const d of [1, 2, 3]) {
  const conv: Counter = ([i = 0, o = 0, k = 0], kw) => {
    const groups = Number(kw.get('groups') ?? 1);
    if (!Number.isInteger(groups) || groups < 1) return undefined;
    return (i / groups) * o * k ** d + (noBias(kw) ? 0 : o);
  };
  LAYERS[`Conv${d}d`] = { need: 3, count: conv };
  LAYERS[`ConvTranspose${d}d`] = { need: 3, count: conv };
}

const LAYER_CALL = /\b(?:nn\.)?([A-Z]\w*)\s*\(/g;
const REPEAT = /\bfor\b|\*\s*\[|\]\s*\*/;

/**
 * Parameters of the layers created in a text, when every class call in it is a layer of the table with
 * literal sizes (or weightless), and nothing repeats them (a loop, a comprehension, a list product).
 */
export function staticParams(text: string): number | undefined {
  if (REPEAT.test(text)) return undefined;
  let total = 0;
  for (const m of text.matchAll(LAYER_CALL)) {
    const name = m[1] ?? '';
    if (name === 'Sequential' || name === 'ModuleList' || name === 'ModuleDict') continue;
    WEIGHTLESS_CALL.lastIndex = 0;
    if (WEIGHTLESS_CALL.test(`${name}(`) || WEIGHTLESS_CALL.test(`nn.${name}(`)) continue;
    const layer = LAYERS[name];
    if (!layer) return undefined;
    const args = literalArgs(text, (m.index ?? 0) + m[0].length);
    if (!args || args.positional.length < layer.need) return undefined;
    const n = layer.count(args.positional, args.keyword);
    if (n === undefined || !Number.isFinite(n)) return undefined;
    total += n;
  }
  return total;
}

/** The arguments after an opening parenthesis when they are integer literals and simple keywords. */
function literalArgs(text: string, open: number): { positional: number[]; keyword: Map<string, string> } | undefined {
  let depth = 1;
  let i = open;
  for (; i < text.length && depth > 0; i++) {
    const c = text[i];
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
  }
  const inner = text.slice(open, i - 1);
  if (/[([]/.test(inner)) return undefined;
  const out = { positional: [] as number[], keyword: new Map<string, string>() };
  for (const part of inner
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const kw = /^(\w+)\s*=\s*(.+)$/.exec(part);
    if (kw?.[1] && kw[2]) out.keyword.set(kw[1], kw[2].trim());
    else if (/^\d[\d_]*$/.test(part) && out.keyword.size === 0) out.positional.push(Number(part.replace(/_/g, '')));
    else return undefined;
  }
  for (const k of [
    'in_features',
    'out_features',
    'in_channels',
    'out_channels',
    'kernel_size',
    'num_embeddings',
    'embedding_dim',
    'normalized_shape',
    'num_features',
  ]) {
    const v = out.keyword.get(k);
    if (v !== undefined) {
      if (!/^\d+$/.test(v)) return undefined;
      out.positional.push(Number(v));
    }
  }
  return out;
}

/** The summaries of a file's classes, for {@link modelClasses}. */
export function classSummaries(facts: FileFacts): ClassSummary[] {
  return facts.classes.map((c: ClassFact) => ({
    name: c.name,
    bases: c.bases,
    body: facts.source.slice(c.body.start, c.body.end),
  }));
}

/**
 * True when a call builds a part of an enclosing model rather than a model: it is inside a model class and
 * either in its constructor or not bound to a local variable (`layers.append(Block(...))`). A model built
 * in a factory method (`model = GPT(config)` in a classmethod) stays a model.
 */
export function isModelPart(call: SyntaxNode, facts: FileFacts, models: ReadonlyMap<string, unknown>): boolean {
  const start = call.startIndex;
  const owner = facts.classes.filter((c) => c.body.start <= start && start < c.body.end && models.has(c.name));
  if (owner.length === 0) return false;
  let fn: SyntaxNode | null = call.parent;
  while (fn && fn.type !== 'function_definition' && fn.type !== 'class_definition') fn = fn.parent;
  if (!fn || fn.type === 'class_definition') return true;
  if (fn.childForFieldName('name')?.text === '__init__') return true;
  let up: SyntaxNode | null = call.parent;
  while (
    up &&
    (up.type === 'attribute' ||
      up.type === 'call' ||
      up.type === 'argument_list' ||
      up.type === 'parenthesized_expression')
  ) {
    if (up.type === 'argument_list') return true;
    up = up.parent;
  }
  if (up?.type === 'return_statement') return false;
  if (up?.type !== 'assignment') return true;
  return /^self\b/.test(up.childForFieldName('left')?.text ?? 'self');
}
