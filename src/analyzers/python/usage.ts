/**
 * What the code does with each model: device and dtype moves, eval(), compile and quantization, and the
 * calls that run it for inference. Training loops come from training.ts and are passed in, so that a
 * forward pass inside a training loop is not counted as inference.
 */
import { readArgs, type CallFact, type FileFacts, type Span } from './extract';
import { COMPILE, DATALOADER, pruneFunction, QUANTIZE } from './frameworks';
import { inside, scopeOf, type CallScope } from './scopes';
import { assignmentOf, innermostCall, type SiteTable } from './sites';
import { nodeRange, type SyntaxNode } from './treeSitter';
import type { InferenceCall, ModelSite } from './types';

/** A receiver and method of a model call found in the file. */
export interface ModelCall {
  call: CallFact;
  site: number;
  receiver: string;
  method: string;
}

const INFERENCE_METHODS = new Set([
  'call',
  'predict',
  'predict_on_batch',
  'generate',
  'encode',
  'run',
  'forward',
  'track',
]);
const MOVE_METHODS = new Set(['to', 'cuda', 'cpu', 'half', 'bfloat16', 'float', 'double']);

/** The site a receiver expression refers to: a bound variable, or a site call at the head of a chain. */
function receiverSite(table: SiteTable, call: CallFact, recvText: string): number | undefined {
  const bound = table.bindings.get(recvText);
  if (bound !== undefined || !recvText.includes('(')) return bound;
  const recvNode = call.node.childForFieldName('function')?.childForFieldName('object');
  const inner = recvNode ? innermostCall(recvNode) : undefined;
  if (!inner) return undefined;
  // `model.to("cuda").eval()`: the chain starts at a bound variable rather than at a site call.
  const root = inner.childForFieldName('function')?.childForFieldName('object')?.text;
  return table.byCall.get(inner.startIndex) ?? (root ? table.bindings.get(root) : undefined);
}

/** Every call whose receiver is a model: `model(x)`, `model.eval()`, `resnet50().to("cuda")`. */
export function collectModelCalls(facts: FileFacts, table: SiteTable): ModelCall[] {
  const out: ModelCall[] = [];
  if (table.sites.length === 0) return out;
  for (const call of facts.calls) {
    if (call.fnType === 'identifier' || (call.fnType === 'attribute' && table.bindings.has(call.fnText))) {
      const site = table.bindings.get(call.fnText);
      if (site !== undefined) out.push({ call, site, receiver: call.fnText, method: 'call' });
      continue;
    }
    if (call.fnType !== 'attribute') continue;
    const dot = call.fnText.lastIndexOf('.');
    const method = call.fnText.slice(dot + 1).trim();
    if (!INFERENCE_METHODS.has(method) && !MOVE_METHODS.has(method) && !/^(?:eval|train|fit|compile)$/.test(method))
      continue;
    const receiver = call.fnText.slice(0, dot).trim();
    const site = receiverSite(table, call, receiver);
    if (site !== undefined) out.push({ call, site, receiver, method });
  }
  return out;
}

/** Fills each site's context from the model calls and the helper calls of the file. */
export function applyContext(facts: FileFacts, table: SiteTable, calls: ModelCall[]): void {
  const usesCuda = /\bcuda\b|["']cuda/.test(facts.source);
  for (const s of table.sites) initialDevice(s, usesCuda);
  for (const mc of calls) {
    const site = table.sites[mc.site];
    if (!site) continue;
    const text = facts.source.slice(mc.call.start, mc.call.end);
    if (mc.method === 'eval' || (mc.method === 'train' && /\(\s*(?:mode\s*=\s*)?False\s*\)$/.test(text)))
      site.context.evalCalled = true;
    else if (mc.method === 'compile' && site.framework !== 'keras') site.context.compiled = true;
    else if (MOVE_METHODS.has(mc.method)) applyMove(site, mc.method, text.slice(mc.call.fnText.length), table);
  }
  for (const [call, q] of table.qualified) {
    const first =
      COMPILE.has(q) || QUANTIZE.has(q) || pruneFunction(q) !== undefined
        ? readArgs(call.node).positional[0]
        : undefined;
    if (!first) continue;
    const root = first.node.text.split(/[.[(]/)[0] ?? '';
    const site =
      table.bindings.get(first.node.text) ?? table.bindings.get(root) ?? bindingPrefix(table, first.node.text);
    const s = site === undefined ? undefined : table.sites[site];
    if (!s) continue;
    if (COMPILE.has(q)) s.context.compiled = true;
    else if (QUANTIZE.has(q)) s.context.quantized = true;
    else s.context.pruned = true;
  }
}

/** The site of the longest bound variable that prefixes an expression (`self.model.fc` → `self.model`). */
function bindingPrefix(table: SiteTable, text: string): number | undefined {
  for (let t = text; t.includes('.');) {
    t = t.slice(0, t.lastIndexOf('.'));
    const s = table.bindings.get(t);
    if (s !== undefined) return s;
  }
  return undefined;
}

function initialDevice(site: ModelSite, usesCuda: boolean): void {
  const a = site.args;
  const dev = a.device ?? a.device_map ?? a.providers;
  if (dev !== undefined)
    site.context.device = deviceOf(typeof dev === 'object' && dev !== null ? dev.expr : String(dev));
  else if (site.framework !== 'onnxruntime' && site.kind !== 'define') site.context.device = 'cpu';
  if (site.framework === 'transformers' && typeof a.device === 'number')
    site.context.device = a.device >= 0 ? 'cuda' : 'cpu';
  const dtype = a.torch_dtype ?? a.dtype;
  if (dtype !== undefined)
    site.context.dtype =
      typeof dtype === 'object' && dtype !== null ? dtype.expr.replace(/^torch\./, '') : String(dtype);
  void usesCuda;
}

/** cuda / mps / cpu from an expression's text; `unknown` when it names none of them. */
export function deviceOf(text: string): 'cuda' | 'cpu' | 'mps' | 'unknown' {
  if (/cuda|CUDAExecutionProvider|TensorrtExecutionProvider|["']auto["']/i.test(text)) return 'cuda';
  if (/\bmps\b/.test(text)) return 'mps';
  if (/\bcpu\b|CPUExecutionProvider/i.test(text)) return 'cpu';
  return 'unknown';
}

/** Applies `.to(...)`, `.cuda()`, `.half()`...; `argList` is the call's argument list text. */
function applyMove(site: ModelSite, method: string, argList: string, table: SiteTable): void {
  if (method === 'cuda') site.context.device = 'cuda';
  else if (method === 'cpu') site.context.device = 'cpu';
  else if (method === 'half') site.context.dtype = 'float16';
  else if (method === 'bfloat16') site.context.dtype = 'bfloat16';
  else if (method === 'double') site.context.dtype = 'float64';
  else if (method === 'to') {
    const args = argList.replace(/^\s*\(|\)\s*$/g, '');
    // A variable such as `device` is resolved through module constants and, failing that, read by name.
    const constant = table.constant(args.trim());
    const resolved = typeof constant === 'object' && constant !== null ? constant.expr : args;
    const dev = deviceOf(resolved);
    if (dev !== 'unknown') site.context.device = dev;
    else if (/\bdevice\b/.test(args)) site.context.device = 'unknown';
    const dt = /\b(float16|half|bfloat16|float64)\b/.exec(args);
    if (dt?.[1]) site.context.dtype = dt[1] === 'half' ? 'float16' : dt[1];
  }
}

/** Variables bound to a DataLoader (iterating one yields batches, not samples). */
export function dataLoaderVars(table: SiteTable): Set<string> {
  const out = new Set<string>();
  for (const [call, q] of table.qualified) {
    const a = DATALOADER.has(q) ? assignmentOf(call.node) : undefined;
    if (a) out.add(a.left);
  }
  return out;
}

/** An inference call with its scope, for the rules that need the tree around it. */
export interface InferenceSite {
  call: CallFact;
  scope: CallScope;
}

/** Model calls that are inference: outside training loops and outside model class bodies. */
export function collectInference(
  facts: FileFacts,
  table: SiteTable,
  calls: ModelCall[],
  training: Span[],
): { calls: InferenceCall[]; nodes: InferenceSite[] } {
  const loaders = dataLoaderVars(table);
  const result: { calls: InferenceCall[]; nodes: InferenceSite[] } = { calls: [], nodes: [] };
  for (const mc of calls) {
    if (!INFERENCE_METHODS.has(mc.method)) continue;
    if (inside(training, mc.call.start)) continue;
    const scope = scopeOf(facts, mc.call.node);
    if (scope.classes.some((c) => table.userClasses.has(c))) continue;
    const loop = scope.loops[0];
    result.calls.push({
      range: nodeRange(mc.call.node),
      site: mc.site,
      receiver: mc.receiver,
      method: mc.method,
      inNoGrad: scope.noGrad,
      inAutocast: scope.autocast,
      inLoop: loop !== undefined,
      perSample: loop?.type === 'for_statement' && isPerSample(facts, mc.call, loop, loaders),
    });
    result.nodes.push({ call: mc.call, scope });
    const site = table.sites[mc.site];
    if (site) site.context.inferenceCalls++;
  }
  return result;
}

/** True when a call inside a `for` loop feeds the model the loop variable: one sample per call. */
function isPerSample(facts: FileFacts, call: CallFact, loop: SyntaxNode, loaders: Set<string>): boolean {
  const left = loop.childForFieldName('left')?.text;
  const iterable = loop.childForFieldName('right')?.text;
  if (!left || !iterable || /batch/i.test(left) || loaders.has(iterable) || /loader/i.test(iterable)) return false;
  const argsText = facts.source.slice(call.start + call.fnText.length, call.end);
  return left
    .split(/[^\w]+/)
    .filter((v) => v && v !== '_')
    .some((v) => new RegExp(`\\b${v}\\b`).test(argsText));
}
