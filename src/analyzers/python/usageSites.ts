/**
 * Instances of classes the analyzer does not know by name, found by what the file then does with them:
 * a variable bound from such a call that is used as a model, passed into another model, or returned by a
 * local factory whose callers use it as a model.
 */
import { readArgs, type CallFact, type FileFacts, type Span } from './extract';
import { CALL_ASSIGNMENT, modelUses, namesFramework, usageTrigger } from './frameworks';
import { resolveDotted } from './imports';
import { argRecord, assignmentOf, bindSite, emptyContext, type SiteTable } from './sites';
import { nodeRange, type SyntaxNode } from './treeSitter';
import type { ModelSite } from './types';
import type { WorkspaceResolver } from './userModels';

/** Callees that are never models: their instances are data, metrics, losses, optimizers or helpers. */
const NOT_MODEL_NAME =
  /(?:Loss|Metric|Accuracy|Score|Tensor|Dataset|Loader|Sampler|Criterion|Optimizer|Scheduler|Trainer|Tokenizer|Processor|Config|Args|Arguments|Parser|Writer|Logger|Meter|Dict|List|Path|Error|Weights|Input)$/;
/** Libraries whose unknown callees are not models (the model builders among them are matched by name). */
const NOT_MODEL_LIB =
  /^(?:torch|tensorflow|keras|numpy|transformers|diffusers|sentence_transformers|timm|torchvision|os|sys|re|json|math|random|time|logging|argparse|pathlib|collections|itertools|functools|typing|dataclasses|PIL|cv2|pandas|sklearn|scipy|matplotlib|datasets|evaluate|accelerate|tqdm|wandb|omegaconf|hydra|onnx|onnxruntime|inspect|copy|glob|shutil|subprocess|pickle|io|contextlib|warnings|math|statistics|string|textwrap|yaml|requests|urllib)(?:\.|$)/;
/** Lowercase callees named like a function (a verb first), as opposed to a lowercase class name. */
const FACTORY_VERB =
  /^(?:create|build|make|get|load|init|setup|prepare|instantiate|construct|new|convert|wrap|to|from|super)(?:_|$)/;
/** A call that may build a model, with the variable it is bound to. */
interface Candidate {
  call: CallFact;
  name: string;
  q: string | undefined;
  left: string | undefined;
}

/**
 * Instances of classes the analyzer does not know (imported from an unread file or an unknown library)
 * whose result the file then uses as a model: moved to a device, asked for its parameters, switched to
 * eval, exported, or passed into another model (`Classifier(backbone=encoder)`), also through the
 * return value of a local factory function. Medium confidence: the usage, not the name, says it is a model.
 */
export function usageSites(facts: FileFacts, table: SiteTable, file?: string, workspace?: WorkspaceResolver): void {
  // Evidence is a variable bound from a call and used as a model (the byte prefilter's own test), or an
  // argument of a site: without either, there is nothing to find.
  if (!namesFramework(facts.source) || (table.byCall.size === 0 && !usageTrigger(facts.source))) return;
  const ctx = new UsageContext(facts, table, file, workspace);
  const pending: Candidate[] = [];
  for (const call of facts.calls) {
    if (table.byCall.has(call.start)) continue;
    const text = call.fnText;
    const name = call.fnType === 'subscript' ? text : text.slice(text.lastIndexOf('.') + 1).trim();
    // Most calls are of functions: a lowercase callee is a candidate only as an undotted imported name.
    if (call.fnType !== 'subscript' && !/^[A-Z]/.test(name) && (text.includes('.') || !facts.imports.names.has(text)))
      continue;
    const q =
      call.fnType === 'subscript' ? undefined : (table.qualified.get(call) ?? resolveDotted(facts.imports, text));
    if (!isCandidate(ctx, call, name, q)) continue;
    const left = callAssignment(call);
    // A candidate is bound as `name = callee(...)` (the form the byte prefilter looks for) or returned by a factory.
    if (left === undefined && call.node.parent?.type !== 'return_statement') continue;
    pending.push({ call, name, q, left });
  }
  // Evidence flows backwards (a model's argument is a model), so a few rounds settle it.
  for (let round = 0; round < 4 && pending.length > 0; round++) {
    let added = false;
    for (let i = 0; i < pending.length; i++) {
      const c = pending[i];
      if (!c) continue;
      const wrapped = wrappedSite(table, c);
      if (wrapped === undefined && !hasModelEvidence(ctx, c)) continue;
      pending.splice(i--, 1);
      if (wrapped !== undefined) {
        if (c.left) bindSite(table, c.left, wrapped);
        continue;
      }
      addUsageSite(table, c, file);
      ctx.addSite(c.call);
      added = true;
    }
    if (!added) break;
  }
}

/** What the usage pass looks up many times, each computed once per file and only when first needed. */
class UsageContext {
  private definedNames: Set<string> | undefined;
  private uses: Map<string, number[]> | undefined;
  private args: Map<string, number[]> | undefined;
  private byName: Map<string, CallFact[]> | undefined;
  readonly callAt = new Map<number, CallFact>();
  readonly modelBodies: Span[];

  constructor(
    readonly facts: FileFacts,
    readonly table: SiteTable,
    readonly file: string | undefined,
    readonly workspace: WorkspaceResolver | undefined,
  ) {
    if (table.byCall.size > 0) for (const c of facts.calls) if (table.byCall.has(c.start)) this.callAt.set(c.start, c);
    this.modelBodies = facts.classes.filter((c) => table.modelClasses.has(c.name)).map((c) => c.body);
  }

  /** Names of the functions the file defines. */
  get defined(): Set<string> {
    this.definedNames ??= new Set(
      [...this.facts.source.matchAll(/^[ \t]*(?:async[ \t]+)?def[ \t]+(\w+)/gm)].map((m) => m[1] ?? ''),
    );
    return this.definedNames;
  }

  /** Variable to the offsets where it is used as a model (`v.eval()`, `export(v, ...)`). */
  get modelUses(): Map<string, number[]> {
    if (this.uses) return this.uses;
    const uses = new Map<string, number[]>();
    for (const u of modelUses(this.facts.source)) push(uses, u.name, u.at);
    this.uses = uses;
    return uses;
  }

  /** Argument text to the starts of the site calls that take it (`encoder` in `ARGVA(encoder, ...)`). */
  get argUses(): Map<string, number[]> {
    if (this.args) return this.args;
    this.args = new Map();
    for (const c of this.callAt.values()) this.noteArgs(c);
    return this.args;
  }

  /** Records a call that became a site, for later argument lookups. */
  addSite(call: CallFact): void {
    this.callAt.set(call.start, call);
    if (this.args) this.noteArgs(call);
  }

  /** Calls by callee text (the callers of a local factory). */
  callsNamed(name: string): CallFact[] {
    if (!this.byName) {
      this.byName = new Map();
      for (const c of this.facts.calls) {
        const list = this.byName.get(c.fnText);
        if (list) list.push(c);
        else this.byName.set(c.fnText, [c]);
      }
    }
    return this.byName.get(name) ?? [];
  }

  private noteArgs(call: CallFact): void {
    const index = this.table.byCall.get(call.start);
    // Keras containers take tensors (`Model(inputs, outputs)`), not models.
    if (!this.args || index === undefined || this.table.sites[index]?.framework === 'keras') return;
    const a = readArgs(call.node);
    for (const arg of [...a.positional, ...a.keyword.values()]) push(this.args, arg.node.text, call.start);
  }
}

function push(map: Map<string, number[]>, key: string | undefined, at: number): void {
  if (!key) return;
  const list = map.get(key);
  if (list) list.push(at);
  else map.set(key, [at]);
}

/** `model = get_peft_model(model, config)`: a function of an existing model returns that model, wrapped. */
function wrappedSite(table: SiteTable, c: Candidate): number | undefined {
  if (!/^[a-z_]/.test(c.name)) return undefined;
  return readArgs(c.call.node)
    .positional.map((p) => table.bindings.get(p.node.text))
    .find((i) => i !== undefined);
}

function addUsageSite(table: SiteTable, c: Candidate, file?: string): void {
  const site: ModelSite = {
    file,
    range: nodeRange(c.call.node),
    framework: 'torch',
    kind: 'create',
    modelId: c.name.replace(/\[[\s\S]*$/, ''),
    args: argRecord(readArgs(c.call.node)),
    callee: c.q ?? c.call.fnText,
    boundTo: [],
    context: emptyContext(),
    confidence: 'medium',
  };
  table.byCall.set(c.call.start, table.sites.length);
  table.sites.push(site);
  if (c.left) bindSite(table, c.left, table.sites.length - 1);
}

/**
 * A callee whose instances may be models: a class (capitalised), a lowercase name imported from a module
 * that is not a known library and not known as a function, or a lookup in a registry of models
 * (`sam_model_registry[kind](...)`); never a data, metric or helper class, nor a part of a model.
 * Cheap tests on the name come first: most calls of a file are of functions.
 */
function isCandidate(ctx: UsageContext, call: CallFact, name: string, q: string | undefined): boolean {
  if (call.fnType === 'subscript') {
    if (!/^[A-Za-z_]\w*(?:model|registry|arch|net)\w*\s*\[/i.test(name) || name.includes('__dict__')) return false;
  } else if (/^[A-Z]/.test(name)) {
    if (NOT_MODEL_NAME.test(name) || (q && NOT_MODEL_LIB.test(q)) || ctx.defined.has(name)) return false;
  } else {
    // A verb-named function (`create_classifier`, `build_model`) is a factory: its site is inside it.
    if (!q || !q.includes('.') || NOT_MODEL_LIB.test(q) || ctx.defined.has(name) || FACTORY_VERB.test(name))
      return false;
    if (ctx.workspace?.isFunction?.(ctx.file, q) === true) return false;
  }
  const start = call.start;
  return !ctx.table.modelClasses.has(call.fnText) && !ctx.modelBodies.some((b) => b.start <= start && start < b.end);
}

function hasModelEvidence(ctx: UsageContext, c: Candidate): boolean {
  if (usedAsModel(ctx, c.call)) return true;
  if (c.left && passedToModel(ctx, c.left, c.call.end)) return true;
  return returnedAsModel(ctx, c);
}

/** The variable of `name = callee(...)`, the one assignment form that binds a usage candidate. */
function callAssignment(call: CallFact): string | undefined {
  const a = assignmentOf(call.node);
  return a && new RegExp(CALL_ASSIGNMENT.source).test(a.node.text) ? a.left : undefined;
}

/** True when the variable a call is bound to is used as a model later (`v.eval()`, `export(v, ...)`). */
function usedAsModel(ctx: UsageContext, call: CallFact): boolean {
  const left = callAssignment(call);
  const end = call.end;
  return left !== undefined && (ctx.modelUses.get(left)?.some((at) => at >= end) ?? false);
}

/** True when a variable is passed, as it is, into a call that is a model site (`ARGVA(encoder, ...)`). */
function passedToModel(ctx: UsageContext, v: string, from: number): boolean {
  for (const start of ctx.argUses.get(v) ?? []) {
    if (start >= from && !reassigned(ctx.facts.source.slice(from, start), v)) return true;
  }
  return false;
}

/** True when a variable gets a new value in a text, other than a wrapper of itself (`model = setup(model)`). */
function reassigned(between: string, v: string): boolean {
  const e = v.replace(/\./g, '\\.');
  for (const m of between.matchAll(new RegExp(`^[ \\t]*${e}[ \\t]*=(?!=)([^\\n]*)`, 'gm'))) {
    if (!new RegExp(`(?<![\\w.])${e}\\b`).test(m[1] ?? '')) return true;
  }
  return false;
}

/** True when a local factory returns the candidate (`return detr`) and its callers use the result as a model. */
function returnedAsModel(ctx: UsageContext, c: Candidate): boolean {
  let fn: SyntaxNode | null = c.call.node.parent;
  while (fn && fn.type !== 'function_definition') fn = fn.parent;
  const fname = fn?.childForFieldName('name')?.text;
  const body = fn?.childForFieldName('body')?.text;
  if (!fn || !fname || !body) return false;
  const direct = c.call.node.parent?.type === 'return_statement';
  if (!direct && !(c.left && new RegExp(`\\breturn\\s+${c.left.replace(/\./g, '\\.')}\\s*$`, 'm').test(body)))
    return false;
  return ctx.callsNamed(fname).some((k) => {
    if (k.start === c.call.start) return false;
    const left = callAssignment(k);
    return usedAsModel(ctx, k) || (left !== undefined && passedToModel(ctx, left, k.end));
  });
}
