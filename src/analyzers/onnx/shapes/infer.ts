/**
 * Static shape inference over a model (and its If/Loop/Scan subgraphs) with constant folding of the small
 * integer tensors that shape computations carry. Symbolic input dims get values from the options; an
 * unnamed or unknown first dim is the batch. An operator without a rule yields unknown outputs.
 */
import type { ByteSource } from '../source';
import { readTensorValues } from '../tensorData';
import type { Dim, GraphInfo, ModelInfo, NodeInfo, TensorInfo } from '../types';
import {
  FLOAT,
  INT64,
  constantFact,
  fact,
  type RuleContext,
  type SDim,
  type ShapeRule,
  type TensorFact,
} from './common';
import { MATH_RULES } from './rulesMath';
import { SEQ_RULES } from './rulesSeq';
import { TENSOR_RULES } from './rulesTensor';
import { controlFlowOutputs } from './controlFlow';
export type { TensorFact };

/** Values for symbolic dimensions. */
export interface DimOptions {
  /** Batch size for the first dim of inputs when it is symbolic or unknown (default 1). */
  batch?: number;
  /** Values by symbolic dim name (`height: 640`) or by `input:axis` (`x:3: 320`); `batch` sets the batch. */
  dims?: Record<string, number>;
  /**
   * Known values of small inputs (a sample rate, a flag), so that conditions and shape arithmetic that
   * depend on them fold; e.g. `{ sr: [16000] }` selects silero VAD's 16 kHz branch.
   */
  values?: Record<string, number[]>;
}

/** What inference learnt about every tensor of one graph. */
export class Scope {
  readonly facts = new Map<string, TensorFact>();
  /** Constant tensors whose values are read from the file only when a rule asks. */
  readonly constTensors = new Map<string, TensorInfo>();

  /** Each node of the graph in execution order with the facts of its inputs and outputs. */
  readonly steps: { node: NodeInfo; ins: (TensorFact | undefined)[]; outs: (TensorFact | undefined)[] }[] = [];

  constructor(readonly parent?: Scope) {}

  /** The fact for a name here or in an enclosing graph. */
  get(name: string): TensorFact | undefined {
    return this.facts.get(name) ?? this.parent?.get(name);
  }

  /** The constant tensor behind a name here or in an enclosing graph. */
  constTensor(name: string): TensorInfo | undefined {
    return this.constTensors.get(name) ?? this.parent?.constTensor(name);
  }
}

/** The result of shape inference. */
export interface ShapeInference {
  /** Facts of every graph, the main graph included. */
  scopes: Map<GraphInfo, Scope>;
  /** Operator types that have no shape rule, with how many nodes use each. */
  unknownOps: Map<string, number>;
  /** Nodes whose rule failed on odd input, as messages (inference went on without them). */
  warnings: string[];
}

/** Rules by op type (a Map: an object lookup by a decoded name searches V8's string table each time). */
const RULES = new Map<string, ShapeRule>(Object.entries({ ...MATH_RULES, ...TENSOR_RULES, ...SEQ_RULES }));
const KNOWN_DOMAINS = new Set(['', 'ai.onnx', 'com.microsoft']);

/**
 * Constants larger than this are never decoded for folding: shape arithmetic uses a handful of values,
 * and decoding every bias an Add touches would read weights for nothing.
 */
const FOLD_LIMIT = 64;

/** Everything one inference run shares. */
export interface InferRun {
  src: ByteSource;
  opset: number;
  result: ShapeInference;
  /** The rule context, made on first use and reused for every node. */
  ctx?: NodeContext;
}

/** Symbolic dim names that mean the batch wherever they appear (RNN inputs have it at axis 1). */
const BATCH_NAMES = new Set(['batch', 'batch_size', 'batchsize', 'n']);

function resolveDim(d: Dim, axis: number, input: string, opts: DimOptions): SDim {
  const byPos = opts.dims?.[`${input}:${axis}`];
  if (byPos !== undefined) return byPos;
  if (typeof d === 'number') return d;
  const batch = opts.dims?.batch ?? opts.batch ?? 1;
  if (typeof d === 'string' && opts.dims?.[d] !== undefined) return opts.dims[d] ?? null;
  return axis === 0 || (typeof d === 'string' && BATCH_NAMES.has(d.toLowerCase())) ? batch : null;
}

/** The concrete shape of a graph input after substituting symbolic dims. */
export function resolveInputShape(name: string, shape: Dim[] | undefined, opts: DimOptions): SDim[] | undefined {
  return shape?.map((d, i) => resolveDim(d, i, name, opts));
}

function constantOutput(scope: Scope, node: NodeInfo): TensorFact | undefined {
  const out = node.outputs[0] ?? '';
  // Direct lookups rather than iterating the attribute map: iteration allocates entries in cold code.
  const at = node.attributes;
  const t = at.get('value')?.t;
  if (t) {
    scope.constTensors.set(out, t);
    return constantFact(t.dtype, t.dims);
  }
  const f = at.get('value_float')?.f;
  if (f !== undefined) return constantFact(FLOAT, [], [f]);
  const i = at.get('value_int')?.i;
  if (i !== undefined) return constantFact(INT64, [], [i]);
  const floats = at.get('value_floats')?.floats;
  if (floats) return constantFact(FLOAT, [floats.length], floats);
  const ints = at.get('value_ints')?.ints;
  if (ints) return constantFact(INT64, [ints.length], ints);
  return undefined;
}

/**
 * The context a rule sees. One per inference run, pointed at each node in turn: rules use it only while
 * they run, and none of them starts another inference.
 */
class NodeContext implements RuleContext {
  readonly opset: number;
  scope: Scope;
  node: NodeInfo;
  inputs: (TensorFact | undefined)[] = [];

  constructor(
    private readonly run: InferRun,
    scope: Scope,
    node: NodeInfo,
  ) {
    this.opset = run.opset;
    this.scope = scope;
    this.node = node;
  }

  value(i: number): number[] | undefined {
    const name = this.node.inputs[i];
    const f = this.inputs[i];
    if (!name || !f) return undefined;
    if (f.value) return f.value;
    // Only initializers and Constant outputs have tensors to read (this skips a scope-chain lookup
    // for every activation a folding rule asks about).
    if (!f.isConstant) return undefined;
    const t = this.scope.constTensor(name);
    if (!t) return undefined;
    const v = readTensorValues(this.run.src, t, FOLD_LIMIT);
    if (v) f.value = v;
    return v;
  }

  tensorValues(t: TensorInfo): number[] | undefined {
    return readTensorValues(this.run.src, t);
  }
}

/** Facts of a node's outputs: from its rule, its subgraphs, or nothing for an op without a rule. */
function inferNode(
  run: InferRun,
  scope: Scope,
  node: NodeInfo,
  inputs: (TensorFact | undefined)[],
): (TensorFact | undefined)[] {
  const op = node.opType;
  const known = node.domain === '' || KNOWN_DOMAINS.has(node.domain);
  if (known && op === 'Constant') return [constantOutput(scope, node)];
  if (op === 'If' || op === 'Loop' || op === 'Scan') {
    const flow = controlFlowOutputs(run, scope, node);
    if (flow) return flow;
  }
  const rule = known ? RULES.get(op) : undefined;
  if (!rule) {
    const key = node.domain ? `${node.domain}:${op}` : op;
    run.result.unknownOps.set(key, (run.result.unknownOps.get(key) ?? 0) + 1);
    return NO_FACTS;
  }
  const ctx = (run.ctx ??= new NodeContext(run, scope, node));
  ctx.scope = scope;
  ctx.node = node;
  ctx.inputs = inputs;
  try {
    return rule(ctx);
  } catch (err) {
    run.result.warnings.push(`shape rule of ${op} node "${node.name}" failed: ${(err as Error).message}`);
    return NO_FACTS;
  }
}

/** The outputs of a node nothing is known about (read-only: callers only index it). */
const NO_FACTS: (TensorFact | undefined)[] = [];

/** Orders nodes so producers come before consumers (exporters do not always keep ONNX's required order). */
export function topoOrder(nodes: NodeInfo[]): NodeInfo[] {
  const producer = new Map<string, number>();
  let sorted = true;
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i] as NodeInfo;
    // Sorted when every input was produced earlier (or outside); a later producer shows up as missing here.
    for (const o of n.outputs) if (o) producer.set(o, i);
  }
  const seen = new Set<string>();
  for (let i = 0; i < nodes.length && sorted; i++) {
    const n = nodes[i] as NodeInfo;
    for (const x of n.inputs) if (x && producer.has(x) && !seen.has(x)) sorted = false;
    for (const o of n.outputs) seen.add(o);
  }
  if (sorted) return nodes;
  const state = new Uint8Array(nodes.length);
  const out: NodeInfo[] = [];
  const visit = (root: number): void => {
    // Iterative depth-first search: recursion could overflow the stack on long chains.
    const stack: [number, number][] = [[root, 0]];
    while (stack.length) {
      const top = stack[stack.length - 1] as [number, number];
      const [i, k] = top;
      const node = nodes[i] as NodeInfo;
      if (k === 0) state[i] = 1;
      if (k < node.inputs.length) {
        top[1]++;
        const p = producer.get(node.inputs[k] ?? '');
        if (p !== undefined && state[p] === 0) stack.push([p, 0]);
        continue;
      }
      state[i] = 2;
      out.push(node);
      stack.pop();
    }
  };
  nodes.forEach((_, i) => state[i] === 0 && visit(i));
  return out;
}

/** Infers `nodes` in order; with `strict`, stops and returns false at a node reading an undefined tensor. */
function inferNodes(run: InferRun, scope: Scope, nodes: NodeInfo[], strict: boolean): boolean {
  const facts = scope.facts;
  const nested = scope.parent !== undefined;
  // Indexed loops and arrays of their final length: for-of and push cost allocations in cold code.
  for (let j = 0; j < nodes.length; j++) {
    const node = nodes[j] as NodeInfo;
    const names = node.inputs;
    const ins = new Array<TensorFact | undefined>(names.length);
    for (let k = 0; k < names.length; k++) {
      const n = names[k] as string;
      let f = n ? facts.get(n) : undefined;
      // Only tensors of this graph get a last use here: an enclosing graph's are live throughout.
      if (f) f.lastUse = j;
      else if (n && nested) f = scope.get(n);
      if (strict && n && !f) return false;
      ins[k] = f;
    }
    const outs = inferNode(run, scope, node, ins);
    const outNames = node.outputs;
    const known = new Array<TensorFact | undefined>(outNames.length);
    for (let i = 0; i < outNames.length; i++) {
      const name = outNames[i] as string;
      if (!name) {
        known[i] = undefined; // not a hole: callers map over these lists
        continue;
      }
      const f = outs[i] ?? fact(0, undefined);
      facts.set(name, f);
      known[i] = f;
    }
    scope.steps.push({ node, ins, outs: known });
  }
  return true;
}

/** Infers every node of a graph into `scope`; returns the facts of the graph outputs. */
export function inferGraph(run: InferRun, g: GraphInfo, scope: Scope): (TensorFact | undefined)[] {
  run.result.scopes.set(g, scope);
  for (let i = 0; i < g.initializers.length; i++) {
    const t = g.initializers[i] as TensorInfo;
    scope.facts.set(t.name, constantFact(t.dtype, t.dims));
    scope.constTensors.set(t.name, t);
  }
  for (const t of g.sparseInitializers) scope.facts.set(t.name, constantFact(t.dtype, t.dims));
  // ONNX requires nodes in execution order, so try the file order first and sort only when a node reads
  // a tensor nothing has defined yet (sorting up front costs a name-set pass over every graph).
  const unknownBefore = new Map(run.result.unknownOps);
  const warningsBefore = run.result.warnings.length;
  if (!inferNodes(run, scope, g.nodes, true)) {
    run.result.unknownOps.clear();
    for (const [k, v] of unknownBefore) run.result.unknownOps.set(k, v);
    run.result.warnings.length = warningsBefore;
    scope.steps.length = 0;
    for (const f of scope.facts.values()) f.lastUse = -1;
    inferNodes(run, scope, topoOrder(g.nodes), false);
  }
  return g.outputs.map((o) => scope.get(o.name));
}

/** Runs shape inference over a model whose bytes are available through `src`. */
export function inferShapes(model: ModelInfo, src: ByteSource, opts: DimOptions = {}): ShapeInference {
  const result: ShapeInference = { scopes: new Map(), unknownOps: new Map(), warnings: [] };
  const opset = model.opsets.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version ?? 1;
  const run: InferRun = { src, opset, result, ctx: undefined };
  const scope = new Scope();
  const inits = new Set(model.graph.initializers.map((t) => t.name));
  for (const input of model.graph.inputs) {
    if (inits.has(input.name)) continue;
    const value = opts.values?.[input.name];
    scope.facts.set(input.name, fact(input.dtype, resolveInputShape(input.name, input.shape, opts), value));
  }
  inferGraph(run, model.graph, scope);
  return result;
}
