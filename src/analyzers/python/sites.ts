/**
 * Model sites: calls that create or load a model (through resolved imports), user-defined `nn.Module`
 * subclasses and their instantiations, and the variables each model is bound to.
 */
import { calleeAliases, genericSite, layerSite } from './callHeuristics';
import { readArgs, type Args, type CallFact, type FileFacts } from './extract';
import { isKnownName, matchCallee, type CalleeMatch } from './frameworks';
import { resolveDotted, resolveWildcard } from './imports';
import { classifyLoads } from './torchLoads';
import { nodeRange, type SyntaxNode } from './treeSitter';
import type { ArgValue, ModelSite } from './types';
import { usageSites } from './usageSites';
import { classSummaries, isModelPart, modelClasses, type ModelClass, type WorkspaceResolver } from './userModels';

/** Sites of one file with the lookups the context and rule passes need. */
export interface SiteTable {
  sites: ModelSite[];
  /** Call start offset to site index. */
  byCall: Map<number, number>;
  /** Variable (`model`, `self.net`) to site index; later bindings win. */
  bindings: Map<string, number>;
  /** Qualified callee per call, for calls whose callee resolved through an import. */
  qualified: Map<CallFact, string>;
  /** Qualified callee by call start offset (resolved calls only). */
  qualifiedAt: Map<number, string>;
  /** Name of each user-defined model class to its `define` site, and whether its layers are mostly Linear. */
  userClasses: Map<string, { site: number; linearHeavy: boolean }>;
  /** Model classes usable in this file: its own and those it imports from the workspace, by local name. */
  modelClasses: Map<string, ModelClass>;
  /** The value of a module-level constant (`EPOCHS = 30`, `device = "cuda"`), read from the text on demand. */
  constant(name: string): ArgValue | undefined;
}

/** Resolves the callee of a call through imports (and star imports of known names). */
export function resolveCallee(facts: FileFacts, call: CallFact): string | undefined {
  if (call.fnType === 'identifier' || call.fnType === 'attribute') {
    const q = resolveDotted(facts.imports, call.fnText);
    if (q) return q;
    if (call.fnType === 'identifier' && facts.imports.wildcards.length)
      return resolveWildcard(facts.imports, call.fnText, isKnownName);
  }
  return undefined;
}

/** Finds every model site and binding in a file. */
export function collectSites(facts: FileFacts, file?: string, workspace?: WorkspaceResolver): SiteTable {
  const table: SiteTable = {
    sites: [],
    byCall: new Map(),
    bindings: new Map(),
    qualified: new Map(),
    qualifiedAt: new Map(),
    userClasses: new Map(),
    modelClasses: new Map(),
    constant: constantReader(facts.source),
  };
  collectClasses(facts, table, file, workspace);
  const aliases = calleeAliases(facts);
  // A file calls the same few callees (`torch.tensor`, `len`) many times: resolve each text once.
  const matches = new Map<string, CalleeMatch | undefined>();
  const resolved = {
    identifier: new Map<string, string | undefined>(),
    attribute: new Map<string, string | undefined>(),
    subscript: new Map<string, string | undefined>(),
  };
  for (const call of facts.calls) {
    const memo = resolved[call.fnType];
    let q = memo.get(call.fnText);
    if (q === undefined && !memo.has(call.fnText))
      memo.set(call.fnText, (q = resolveCallee(facts, call) ?? aliases.get(call.fnText)));
    if (q) {
      table.qualified.set(call, q);
      table.qualifiedAt.set(call.start, q);
    }
    let match: CalleeMatch | undefined;
    if (q) {
      match = matches.get(q);
      if (match === undefined && !matches.has(q)) matches.set(q, (match = matchCallee(q)));
    }
    if (match && isContainerPart(facts, call, match, table)) continue;
    const site =
      match && q
        ? buildSite(call, q, match, readArgs(call.node))
        : (siteFromSpecialCall(facts, call, table, q) ??
          layerSite(facts, call, q, table) ??
          genericSite(facts, call, q, table));
    if (!site) continue;
    site.file = file;
    site.confidence ??= 'high';
    table.byCall.set(call.start, table.sites.length);
    table.sites.push(site);
  }
  collectBindings(facts, table);
  usageSites(facts, table, file, workspace);
  classifyLoads(facts, table);
  return table;
}

/** Imports of well-known libraries: never a workspace file, so not looked up there. */
const LIBRARY_ROOT =
  /^(?:torch|torchvision|tensorflow|keras|numpy|transformers|diffusers|sentence_transformers|timm|os|sys|json|math|typing|collections|PIL|cv2|pandas|sklearn|scipy|matplotlib|datasets|accelerate|tqdm)\./;

/** A Keras `Sequential` / `Model` container built inside a model's constructor: a part of that model. */
function isContainerPart(facts: FileFacts, call: CallFact, match: CalleeMatch, table: SiteTable): boolean {
  return (
    match.framework === 'keras' &&
    'fixed' in match.id &&
    (match.id.fixed === 'Sequential' || match.id.fixed === 'Model') &&
    isModelPart(call.node, facts, table.modelClasses)
  );
}

/** Model classes of the file (`class Net(nn.Module)`, Keras models, subclasses of either) and imported ones. */
function collectClasses(facts: FileFacts, table: SiteTable, file?: string, workspace?: WorkspaceResolver): void {
  const resolveImported = workspace ? (q: string) => workspace.modelClass(file, q) : undefined;
  const own = modelClasses(classSummaries(facts), facts.imports, resolveImported);
  for (const c of facts.classes) {
    const info = own.get(c.name);
    if (!info || table.userClasses.has(c.name)) continue;
    const body = facts.source.slice(c.body.start, c.body.end);
    const linear = count(
      body,
      /\b(?:Linear|MultiheadAttention|TransformerEncoderLayer|TransformerDecoderLayer|LSTM|GRU)\s*\(/g,
    );
    const conv = count(body, /\bConv(?:Transpose)?[123]d\s*\(/g);
    table.userClasses.set(c.name, { site: table.sites.length, linearHeavy: linear > 0 && linear >= conv });
    const site: ModelSite = {
      file,
      range: nodeRange(c.nameNode),
      framework: info.framework,
      kind: 'define',
      modelId: c.name,
      args: {},
      callee: c.name,
      boundTo: [],
      context: emptyContext(),
      confidence: 'high',
    };
    if (info.params !== undefined) site.params = info.params;
    table.sites.push(site);
  }
  table.modelClasses = own;
  if (!resolveImported) return;
  // Only names the file calls (or loads from) can yield a site: resolve those, not every import.
  const called = new Set(
    facts.calls.map((c) => c.fnText.replace(/\s*\.\s*(?:from_pretrained|load_from_checkpoint)$/, '')),
  );
  for (const [local, q] of facts.imports.names) {
    if (!called.has(local) || own.has(local) || matchCallee(q) || LIBRARY_ROOT.test(q)) continue;
    const info = resolveImported(q);
    if (info) table.modelClasses.set(local, info);
  }
}

function count(text: string, re: RegExp): number {
  return text.match(re)?.length ?? 0;
}

/** An empty usage context, filled in by the context pass. */
export function emptyContext(): ModelSite['context'] {
  return { evalCalled: false, compiled: false, quantized: false, pruned: false, inferenceCalls: 0, trainingLoops: 0 };
}

/**
 * `models.__dict__[arch]()`, instantiations of model classes (of the file or imported from the workspace)
 * outside the constructors of enclosing models, and their `from_pretrained` / `load_from_checkpoint`.
 */
function siteFromSpecialCall(
  facts: FileFacts,
  call: CallFact,
  table: SiteTable,
  q: string | undefined,
): ModelSite | undefined {
  if (call.fnType === 'subscript') return registrySite(facts, call);
  if (table.modelClasses.size === 0) return undefined;
  const loader =
    call.fnText.endsWith('_pretrained') || call.fnText.endsWith('_checkpoint')
      ? /^(.+?)\s*\.\s*(from_pretrained|load_from_checkpoint)$/.exec(call.fnText)
      : null;
  const name = loader ? (loader[1] ?? '') : call.fnText;
  const cls = table.modelClasses.get(name);
  if (!cls || (!loader && !cls.weights) || isModelPart(call.node, facts, table.modelClasses)) return undefined;
  const args = readArgs(call.node);
  const site: ModelSite = {
    range: nodeRange(call.node),
    framework: cls.framework,
    kind: loader ? 'load' : 'create',
    modelId: cls.name,
    args: argRecord(args),
    callee: q ?? call.fnText,
    boundTo: [],
    context: emptyContext(),
  };
  if (cls.params !== undefined && !loader) site.params = cls.params;
  return site;
}

/** `torchvision.models.__dict__[arch](...)` and the same registry idiom on a workspace module of models. */
function registrySite(facts: FileFacts, call: CallFact): ModelSite | undefined {
  const m = /^([\w.\s]+?)\s*\.\s*__dict__\s*\[([\s\S]+)\]$/.exec(call.fnText);
  const owner = m?.[1] ? resolveDotted(facts.imports, m[1]) : undefined;
  if (!owner) return undefined;
  const key = m?.[2]?.trim() ?? '';
  const literal = /^(['"])([A-Za-z0-9_]+)\1$/.exec(key);
  const torchvision = owner === 'torchvision.models';
  const match: CalleeMatch = {
    framework: torchvision ? 'torchvision' : 'torch',
    kind: 'create',
    id: { fixed: literal?.[2] ?? '' },
    pretrainedDefault: false,
  };
  const site = buildSite(
    call,
    torchvision ? 'torchvision.models.__dict__' : `${owner}.__dict__`,
    match,
    readArgs(call.node),
  );
  if (!literal) {
    delete site.modelId;
    site.args.arch = { expr: key };
  }
  if (!torchvision) site.confidence = 'medium';
  return site;
}

/** Statically known arguments as a record. */
export function argRecord(args: Args): Record<string, ArgValue> {
  const out: Record<string, ArgValue> = {};
  args.positional.forEach((a, i) => {
    out[String(i)] = a.value;
  });
  for (const [k, a] of args.keyword) out[k] = a.value;
  return out;
}

export function buildSite(call: CallFact, q: string, match: CalleeMatch, args: Args): ModelSite {
  const site: ModelSite = {
    range: nodeRange(call.node),
    framework: match.framework,
    kind: match.kind,
    args: argRecord(args),
    callee: q,
    boundTo: [],
    context: emptyContext(),
  };
  let id: string | undefined;
  if ('fixed' in match.id) id = match.id.fixed;
  else {
    const a = (match.id.kw ? args.keyword.get(match.id.kw) : undefined) ?? args.positional[match.id.arg];
    if (typeof a?.value === 'string') id = a.value;
  }
  if (id !== undefined && match.idIsPath) {
    site.path = id;
    id = id.replace(/^.*[\\/]/, '').replace(/\.(?:pt|pth|onnx|bin|ckpt|safetensors|torchscript|keras|h5)$/i, '');
  }
  if (id) site.modelId = id;
  const pretrained = pretrainedOf(args, match);
  if (pretrained !== undefined) site.pretrained = pretrained;
  return site;
}

/** `weights=...` (anything but None means pretrained), legacy `pretrained=True`, Keras `weights='imagenet'`. */
function pretrainedOf(args: Args, match: CalleeMatch): boolean | undefined {
  const weights = args.keyword.get('weights');
  if (weights) return weights.value !== null && weights.value !== false;
  const pretrained = args.keyword.get('pretrained');
  if (pretrained) return typeof pretrained.value === 'boolean' ? pretrained.value : undefined;
  return match.pretrainedDefault;
}

/** The innermost call of a chain such as `resnet50(weights=w).to(device).eval()`. */
export function innermostCall(node: SyntaxNode): SyntaxNode | undefined {
  let cur: SyntaxNode | null = node;
  let call: SyntaxNode | undefined;
  // Bounded so that a pathological chain cannot stall the analysis.
  for (let i = 0; cur && i < 64; i++) {
    if (cur.type === 'call') {
      call = cur;
      const fn = cur.childForFieldName('function');
      cur = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
    } else if (cur.type === 'parenthesized_expression' || cur.type === 'await') cur = cur.namedChildren[0] ?? null;
    else break;
  }
  return call;
}

/** The assignment whose right side is `node` or a call chain starting with it (`x = node.to(d).eval()`). */
export function assignmentOf(node: SyntaxNode): { left: string; node: SyntaxNode } | undefined {
  let cur = node;
  for (let i = 0; i < 64; i++) {
    const parent = cur.parent;
    if (!parent) return undefined;
    if (
      parent.type === 'attribute' &&
      parent.parent?.type === 'call' &&
      parent.childForFieldName('object')?.equals(cur)
    )
      cur = parent.parent;
    else if (parent.type === 'parenthesized_expression' || parent.type === 'await') cur = parent;
    else if (parent.type === 'assignment' && parent.childForFieldName('right')?.equals(cur)) {
      const left = parent.childForFieldName('left');
      return left ? { left: left.text, node: parent } : undefined;
    } else return undefined;
  }
  return undefined;
}

/** Binds a variable (`model`, `self.net`) to a site; later bindings of the same name win. */
export function bindSite(table: SiteTable, left: string, site: number): void {
  if (!/^[A-Za-z_][\w.]*$/.test(left)) return;
  table.bindings.set(left, site);
  const s = table.sites[site];
  if (s && !s.boundTo.includes(left)) s.boundTo.push(left);
}

/** Binds variables to sites: `m = resnet50()`, `m = Net().to(dev)`, then `m2 = torch.compile(m)`. */
function collectBindings(facts: FileFacts, table: SiteTable): void {
  const bind = (left: string, site: number): void => bindSite(table, left, site);
  const siteCalls = facts.calls.filter((c) => table.byCall.has(c.start));
  for (const call of siteCalls) {
    const a = assignmentOf(call.node);
    const site = table.byCall.get(call.start);
    if (a && site !== undefined) bind(a.left, site);
  }
  for (const [call, q] of table.qualified) {
    if (!/^torch\.(?:compile|jit\.(?:script|trace)|(?:ao\.)?quantization\.quantize_dynamic)$/.test(q)) continue;
    const first = readArgs(call.node).positional[0];
    const site = first ? table.bindings.get(first.node.text) : undefined;
    const a = site === undefined ? undefined : assignmentOf(call.node);
    if (a && site !== undefined) bind(a.left, site);
  }
}

/** Reads `NAME = value` at the start of a line, the first time each name is asked for. */
function constantReader(source: string): (name: string) => ArgValue | undefined {
  const cache = new Map<string, ArgValue | undefined>();
  return (name) => {
    if (!/^[A-Za-z_]\w*$/.test(name)) return undefined;
    if (cache.has(name)) return cache.get(name);
    const m = new RegExp(`^[ \\t]*${name}\\s*(?::[^=\\n]*)?=\\s*([^\\n#]+)`, 'm').exec(source);
    const text = m?.[1]?.trim();
    let value: ArgValue | undefined;
    if (text !== undefined) value = /^-?\d[\d_]*$/.test(text) ? Number(text.replace(/_/g, '')) : { expr: text };
    cache.set(name, value);
    return value;
  };
}
