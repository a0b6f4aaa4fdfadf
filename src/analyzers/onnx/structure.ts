/** Structural facts of a model that need no shapes: op histogram, parameters, quantization, external data. */
import { dtypeBytes, dtypeInfo } from './dtypes';
import type { AttributeInfo, GraphInfo, ModelInfo, NodeInfo, TensorInfo } from './types';

/** Parameter totals: initializers plus the tensors of Constant nodes, in every graph. */
export interface ParameterStats {
  count: number;
  bytes: number;
  byDtype: Record<string, { count: number; bytes: number }>;
  /** Elements held in initializers. */
  initializerCount: number;
  /** Elements held in Constant nodes (PaddleOCR exports keep every weight there). */
  constantNodeCount: number;
  /** Stored values of sparse initializers (not in `count`). */
  sparseValueCount: number;
}

/** One external data file and what the model keeps there. */
export interface ExternalFile {
  location: string;
  tensors: number;
  bytes: number;
}

/** Shape-independent facts of a model. */
export interface ModelStructure {
  nodeCount: number;
  subgraphCount: number;
  opHistogram: Record<string, number>;
  parameters: ParameterStats;
  quantization: { quantized: boolean; ops: Record<string, number> };
  externalData: ExternalFile[];
}

/** Quantized operators: QLinear*, *Integer, and the quantize/dequantize pair. */
export function isQuantizedOp(op: string): boolean {
  return (
    op.startsWith('QLinear') ||
    op.endsWith('Integer') ||
    op === 'QuantizeLinear' ||
    op === 'DequantizeLinear' ||
    op === 'DynamicQuantizeLinear' ||
    op === 'QGemm' ||
    op === 'QAttention'
  );
}

/** Calls `visit` on every graph (main graph first, then subgraphs depth-first). */
export function forEachGraph(g: GraphInfo, visit: (g: GraphInfo) => void): void {
  visit(g);
  // Indexed loops here and in the other per-node passes: for-of allocates an iterator result per
  // element until the code is optimised, which a one-shot summary never waits for.
  for (let i = 0; i < g.nodes.length; i++) {
    const node = g.nodes[i] as NodeInfo;
    if (!node.attributes.size) continue;
    const subs = subgraphsOf(node);
    for (let k = 0; k < subs.length; k++) forEachGraph(subs[k] as GraphInfo, visit);
  }
}

const NO_GRAPHS: GraphInfo[] = [];

/**
 * Adds an attribute's graphs to the list passed as `this`: Map#forEach's thisArg hands the list over, so
 * that the callback is one shared function rather than a closure made for every node.
 */
function collectGraphs(this: GraphInfo[], a: AttributeInfo): void {
  if (a.g) this.push(a.g);
  if (a.graphs) for (let i = 0; i < a.graphs.length; i++) this.push(a.graphs[i] as GraphInfo);
}

/** The subgraphs held by a node's attributes (If branches, Loop and Scan bodies). */
export function subgraphsOf(node: NodeInfo): GraphInfo[] {
  if (!node.attributes.size) return NO_GRAPHS;
  const found: GraphInfo[] = [];
  node.attributes.forEach(collectGraphs, found);
  return found;
}

/** Elements and dtype of the value a Constant node holds, if any. */
export function constantNodeTensor(
  node: NodeInfo,
): { elements: number; dtype: number; tensor?: TensorInfo } | undefined {
  const at = node.attributes;
  const t = at.get('value')?.t;
  if (t) return { elements: t.elements, dtype: t.dtype, tensor: t };
  if (at.has('value_float')) return { elements: 1, dtype: 1 };
  if (at.has('value_int')) return { elements: 1, dtype: 7 };
  if (at.has('value_floats')) return { elements: at.get('value_floats')?.floats?.length ?? 0, dtype: 1 };
  if (at.has('value_ints')) return { elements: at.get('value_ints')?.ints?.length ?? 0, dtype: 7 };
  return undefined;
}

function addParam(p: ParameterStats, dtype: number, elements: number, bytes: number): void {
  const key = dtypeInfo(dtype).name;
  const row = (p.byDtype[key] ??= { count: 0, bytes: 0 });
  row.count += elements;
  row.bytes += bytes;
  p.count += elements;
  p.bytes += bytes;
}

function addExternal(files: Map<string, ExternalFile>, t: TensorInfo): void {
  if (t.data?.kind !== 'external') return;
  const f = files.get(t.data.location) ?? { location: t.data.location, tensors: 0, bytes: 0 };
  f.tensors++;
  f.bytes += t.data.length ?? t.bytes;
  files.set(f.location, f);
}

/** Walks every graph of the model once and gathers the shape-independent facts. */
export function modelStructure(model: ModelInfo): ModelStructure {
  const s: ModelStructure = {
    nodeCount: 0,
    subgraphCount: -1,
    opHistogram: {},
    parameters: { count: 0, bytes: 0, byDtype: {}, initializerCount: 0, constantNodeCount: 0, sparseValueCount: 0 },
    quantization: { quantized: false, ops: {} },
    externalData: [],
  };
  const files = new Map<string, ExternalFile>();
  // Counted in a Map and turned into objects at the end: a handful of op names, each seen many times.
  const ops = new Map<string, number>();
  const opTypes = new Map<string, string>();
  forEachGraph(model.graph, (g) => {
    s.subgraphCount++;
    for (let i = 0; i < g.initializers.length; i++) {
      const t = g.initializers[i] as TensorInfo;
      addParam(s.parameters, t.dtype, t.elements, t.bytes);
      s.parameters.initializerCount += t.elements;
      addExternal(files, t);
    }
    for (const t of g.sparseInitializers) s.parameters.sparseValueCount += t.elements;
    for (let i = 0; i < g.nodes.length; i++) {
      const node = g.nodes[i] as NodeInfo;
      s.nodeCount++;
      const op = node.domain && node.domain !== 'ai.onnx' ? `${node.domain}:${node.opType}` : node.opType;
      const seen = ops.get(op);
      if (seen === undefined) {
        ops.set(op, 1);
        opTypes.set(op, node.opType);
      } else ops.set(op, seen + 1);
      const c = node.opType === 'Constant' ? constantNodeTensor(node) : undefined;
      if (c) {
        addParam(s.parameters, c.dtype, c.elements, c.tensor?.bytes ?? dtypeBytes(c.dtype, c.elements));
        s.parameters.constantNodeCount += c.elements;
        if (c.tensor) addExternal(files, c.tensor);
      }
    }
  });
  ops.forEach((count, op) => {
    s.opHistogram[op] = count;
    if (isQuantizedOp(opTypes.get(op) ?? '')) s.quantization.ops[op] = count;
  });
  s.quantization.quantized = Object.keys(s.quantization.ops).length > 0;
  s.externalData = [...files.values()];
  return s;
}
