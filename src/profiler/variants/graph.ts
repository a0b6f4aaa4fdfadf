/**
 * Helpers for graph rewrites on the compiled onnx.proto classes: constant lookup (initializers and
 * Constant nodes), float weight access, tensor builders, unique names and dead-constant cleanup.
 */
import { onnx } from '../../analyzers/onnx/generated/onnx';

type Tensor = onnx.ITensorProto;
type Graph = onnx.IGraphProto;
type Node = onnx.INodeProto;

/** ONNX element types used by the rewrites. */
export const DT = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7, FLOAT16: 10, DOUBLE: 11 } as const;

/** Thrown when a variant does not apply to a model; the message says why, for the user. */
export class NotApplicableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotApplicableError';
  }
}

/** protobufjs decodes int64 as Long objects (or numbers); both become numbers here. */
export function num(v: number | { toNumber(): number } | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === 'number' ? v : v.toNumber();
}

export function decodeModel(bytes: Uint8Array): onnx.ModelProto {
  return onnx.ModelProto.decode(bytes);
}

export function encodeModel(model: onnx.IModelProto): Uint8Array {
  return onnx.ModelProto.encode(model).finish();
}

/** The default-domain opset of a model. */
export function opsetOf(model: onnx.IModelProto): number {
  const imp = (model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx');
  return num(imp?.version);
}

/** Adds an opset import for `domain` unless the model has one. */
export function addOpset(model: onnx.IModelProto, domain: string, version: number): void {
  model.opsetImport ??= [];
  if (!model.opsetImport.some((o) => o.domain === domain))
    model.opsetImport.push(onnx.OperatorSetIdProto.create({ domain, version }));
}

/** Dims of a tensor as numbers. */
export function dimsOf(t: Tensor): number[] {
  return (t.dims ?? []).map((d) => num(d));
}

/** Float32 values of a tensor held inline, or undefined (other types, external data). */
export function floatValues(t: Tensor): Float32Array | undefined {
  if (t.dataType !== DT.FLOAT || t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) return undefined;
  const n = dimsOf(t).reduce((a, b) => a * b, 1);
  if (t.rawData && t.rawData.length > 0) {
    const copy = new Uint8Array(t.rawData);
    return copy.length === n * 4 ? new Float32Array(copy.buffer, 0, n) : undefined;
  }
  const fd = t.floatData ?? [];
  return fd.length === n ? Float32Array.from(fd) : undefined;
}

/** A tensor stored as raw little-endian bytes. */
export function rawTensor(name: string, dataType: number, dims: number[], data: ArrayBufferView): onnx.TensorProto {
  return onnx.TensorProto.create({
    name,
    dataType,
    dims,
    rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  });
}

/** A constant lookup over one graph: initializers and the outputs of Constant nodes with a tensor value. */
export class Constants {
  private readonly byName = new Map<string, Tensor>();

  constructor(graph: Graph) {
    for (const t of graph.initializer ?? []) if (t.name) this.byName.set(t.name, t);
    for (const n of graph.node ?? []) {
      if (n.opType !== 'Constant' || (n.domain ?? '') !== '') continue;
      const a = (n.attribute ?? []).find((x) => x.name === 'value' && x.t);
      const out = n.output?.[0];
      if (a?.t && out) this.byName.set(out, a.t);
    }
    // Exporters share identical weights through Identity nodes (torch does for cloned layers).
    for (const n of graph.node ?? []) {
      const src = n.input?.[0];
      const out = n.output?.[0];
      const t = src ? this.byName.get(src) : undefined;
      if (n.opType === 'Identity' && (n.domain ?? '') === '' && t && out) this.byName.set(out, t);
    }
  }

  get(name: string | undefined | null): Tensor | undefined {
    return name ? this.byName.get(name) : undefined;
  }

  /** Float values of a constant input, or undefined. */
  floats(name: string | undefined | null): Float32Array | undefined {
    const t = this.get(name);
    return t ? floatValues(t) : undefined;
  }
}

/** Hands out tensor names that collide with nothing in the model (including subgraphs). */
export class Namer {
  private readonly used = new Set<string>();

  constructor(graph: Graph) {
    forEachGraph(graph, (g) => {
      for (const n of g.node ?? [])
        for (const x of [...(n.input ?? []), ...(n.output ?? []), n.name ?? '']) this.used.add(x);
      for (const t of g.initializer ?? []) this.used.add(t.name ?? '');
      for (const v of [...(g.input ?? []), ...(g.output ?? [])]) this.used.add(v.name ?? '');
    });
  }

  fresh(base: string): string {
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }
}

/** Visits a graph and every subgraph (If branches, Loop and Scan bodies) depth-first. */
export function forEachGraph(graph: Graph, fn: (g: Graph) => void): void {
  fn(graph);
  for (const n of graph.node ?? []) {
    for (const a of n.attribute ?? []) {
      if (a.g) forEachGraph(a.g, fn);
      for (const g of a.graphs ?? []) forEachGraph(g, fn);
    }
  }
}

/** Attribute value by name (int, float, ints). */
export function attrOf(node: Node, name: string): onnx.IAttributeProto | undefined {
  return (node.attribute ?? []).find((a) => a.name === name);
}

export function intAttr(node: Node, name: string, dflt: number): number {
  const a = attrOf(node, name);
  return a ? num(a.i) : dflt;
}

export function floatAttr(node: Node, name: string, dflt: number): number {
  const a = attrOf(node, name);
  return a?.f ?? dflt;
}

/** Builds a node; attributes given as plain numbers become INT attributes. */
export function makeNode(
  opType: string,
  inputs: string[],
  outputs: string[],
  name: string,
  attrs: Record<string, number> = {},
  domain = '',
): onnx.NodeProto {
  const attribute = Object.entries(attrs).map(([k, v]) =>
    onnx.AttributeProto.create({ name: k, type: onnx.AttributeProto.AttributeType.INT, i: v }),
  );
  return onnx.NodeProto.create({ opType, input: inputs, output: outputs, name, attribute, domain });
}

/**
 * Removes initializers and Constant nodes of the main graph that nothing uses any more (names used in
 * subgraphs count as uses), so that replaced fp32 weights do not stay in the file.
 */
export function dropUnusedConstants(graph: Graph): void {
  const used = new Set<string>((graph.output ?? []).map((o) => o.name ?? ''));
  forEachGraph(graph, (g) => {
    for (const n of g.node ?? []) for (const x of n.input ?? []) used.add(x);
  });
  graph.node = (graph.node ?? []).filter((n) => n.opType !== 'Constant' || (n.output ?? []).some((o) => used.has(o)));
  graph.initializer = (graph.initializer ?? []).filter((t) => used.has(t.name ?? ''));
}

/** Inserts `nodes` before the node at `index` (order matters for sorted-graph consumers). */
export function topoInsert(list: Node[], index: number, nodes: Node[]): void {
  list.splice(index, 0, ...nodes);
}
