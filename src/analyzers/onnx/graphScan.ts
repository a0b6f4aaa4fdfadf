/**
 * Graphs and their nodes, read lazily. A node that fits the read window is decoded in place and its
 * subgraphs read after it; a larger node or attribute is scanned field by field, its tensors and graphs
 * read on their own and only its small fields decoded. Every entry is charged to the caps (limitCounts.ts)
 * before or as it is materialised.
 */
import { guarded } from './errors';
import { FieldScanner, RangeList } from './wire';
import { asBuffer, type ProtoReader } from './protoReader';
import { decodeAttribute, decodeNode, decodeValueInfo, inferAttributeType, type PendingGraphs } from './decode';
import { AttributeProto, GraphProto, NodeProto } from './fields';
import { MAX_SMALL_BYTES, gathered, inPlace, readString, type Ctx } from './readContext';
import { capOf, countGraph, countNode, listElements } from './limitCounts';
import { finishTensor, readSparse, readTensor } from './tensorScan';
import type { AttributeInfo, GraphInfo, NodeInfo, TensorInfo, ValueInfo } from './types';

/** Subgraphs the node being decoded holds; emptied after each node (nested nodes take their own copy). */
const pending: PendingGraphs = [];

function readNodeInPlace(ctx: Ctx, r: ProtoReader, start: number, depth: number): NodeInfo {
  if (pending.length !== 0) pending.length = 0; // left over from a node that failed to decode
  const node = decodeNode(r, pending, finishTensor);
  countNode(ctx.limits, node, start);
  if (pending.length === 0) return node;
  const graphs = pending.splice(0);
  for (const p of graphs) {
    const g = readGraph(ctx, p.start, p.end, depth + 1);
    if (p.many) (p.attr.graphs ??= []).push(g);
    else p.attr.g = g;
  }
  return node;
}

/**
 * Reads an AttributeProto too large to decode in place. Its list elements are counted before they are
 * decoded, and sparse tensors, which the summary does not use, are skipped.
 */
function readAttribute(ctx: Ctx, start: number, end: number, depth: number): AttributeInfo {
  const small = new RangeList(MAX_SMALL_BYTES);
  const tensors: TensorInfo[] = [];
  const graphs: GraphInfo[] = [];
  let t: TensorInfo | undefined;
  let g: GraphInfo | undefined;
  const s = new FieldScanner(ctx.src, start, end);
  while (s.next()) {
    const field = s.field;
    if (
      field === AttributeProto.sparse_tensor ||
      field === AttributeProto.sparse_tensors ||
      field === AttributeProto.doc_string
    )
      continue;
    if (field >= AttributeProto.floats && field <= AttributeProto.graphs)
      ctx.limits.add('attributeValues', field <= AttributeProto.strings ? listElements(ctx, s) : 1, s.tagStart);
    if (!s.delimited) small.add(s.tagStart, s.end);
    else if (field === AttributeProto.t) t = readTensor(ctx, s.valStart, s.end);
    else if (field === AttributeProto.g) g = readGraph(ctx, s.valStart, s.end, depth + 1);
    else if (field === AttributeProto.tensors) tensors.push(readTensor(ctx, s.valStart, s.end));
    else if (field === AttributeProto.graphs) graphs.push(readGraph(ctx, s.valStart, s.end, depth + 1));
    else small.add(s.tagStart, s.end);
  }
  // The small fields hold no graphs: those were read above.
  const a = guarded(
    'corrupt node attribute',
    () => decodeAttribute(gathered(ctx, small, start), [], finishTensor),
    start,
  );
  a.t = t;
  a.g = g;
  if (tensors.length) a.tensors = tensors;
  if (graphs.length) a.graphs = graphs;
  if (!a.type) a.type = inferAttributeType(a);
  return a;
}

/** Reads a NodeProto too large to decode in place, counting its names and attributes as it goes. */
function readNode(ctx: Ctx, start: number, end: number, depth: number): NodeInfo {
  const small = new RangeList(MAX_SMALL_BYTES);
  const attrs: AttributeInfo[] = [];
  let names = 0;
  const s = new FieldScanner(ctx.src, start, end);
  while (s.next()) {
    if (s.field === NodeProto.attribute && s.delimited) {
      ctx.limits.check('attributesPerNode', attrs.length + 1, start);
      ctx.limits.add('attributes', 1, s.tagStart);
      attrs.push(readAttribute(ctx, s.valStart, s.end, depth));
    } else if (s.field !== NodeProto.doc_string) {
      if (s.field === NodeProto.input || s.field === NodeProto.output) ctx.limits.check('namesPerNode', ++names, start);
      small.add(s.tagStart, s.end);
    }
  }
  ctx.limits.add('nodeNames', names, start);
  const n = guarded('corrupt node', () => decodeNode(gathered(ctx, small, start), [], finishTensor), start);
  const attributes = new Map<string, AttributeInfo>();
  for (const a of attrs) attributes.set(a.name, a);
  return { ...n, attributes };
}

/**
 * A graph input, output or value_info entry, decoded in place or, when it is larger than the read window,
 * from a copy; the decoder checks the rank of its shape as it goes.
 */
function readValueInfo(ctx: Ctx, start: number, end: number): ValueInfo {
  const r =
    inPlace(ctx, start, end) ?? ctx.reader.reset(asBuffer(ctx.src.read(start, end - start)), 0, end - start, start);
  const v = decodeValueInfo(r);
  if (v.shape) ctx.limits.add('dims', v.shape.length, start);
  return v;
}

/** Reads one length-delimited field of a GraphProto into `g`. */
function graphField(ctx: Ctx, g: GraphInfo, s: FieldScanner, depth: number): void {
  const { valStart: start, end } = s;
  switch (s.field) {
    case GraphProto.node: {
      const r = inPlace(ctx, start, end);
      g.nodes.push(r ? readNodeInPlace(ctx, r, start, depth) : readNode(ctx, start, end, depth));
      break;
    }
    case GraphProto.initializer:
      g.initializers.push(readTensor(ctx, start, end));
      break;
    case GraphProto.sparse_initializer: {
      const sparse = readSparse(ctx, start, end);
      if (sparse) g.sparseInitializers.push(sparse);
      break;
    }
    case GraphProto.name:
      g.name = readString(ctx, start, end);
      break;
    case GraphProto.input:
      g.inputs.push(readValueInfo(ctx, start, end));
      break;
    case GraphProto.output:
      g.outputs.push(readValueInfo(ctx, start, end));
      break;
    case GraphProto.value_info:
      g.valueInfo.push(readValueInfo(ctx, start, end));
      break;
    default: // doc_string, quantization_annotation, metadata_props: not used by the summary.
  }
}

/** Reads the GraphProto in [start, end); `depth` counts subgraph nesting. */
export function readGraph(ctx: Ctx, start: number, end: number, depth: number): GraphInfo {
  ctx.limits.check('depth', depth, start);
  ctx.limits.add('graphs', 1, start);
  // An entry takes at least two bytes: a graph too short to pass a cap is counted as it is read, and only
  // a longer one is scanned a second time to count its entries first.
  const room = Math.min(
    ctx.limits.remaining('nodes'),
    ctx.limits.remaining('initializers'),
    ctx.limits.remaining('valueInfos'),
  );
  const counted = (end - start) / 2 > room;
  if (counted) countGraph(ctx, start, end);
  const g: GraphInfo = {
    name: '',
    nodes: [],
    initializers: [],
    sparseInitializers: [],
    inputs: [],
    outputs: [],
    valueInfo: [],
  };
  const s = new FieldScanner(ctx.src, start, end);
  while (s.next()) {
    if (!s.delimited) continue;
    const cap = counted ? undefined : capOf(s.field);
    if (cap) ctx.limits.add(cap, 1, s.tagStart);
    graphField(ctx, g, s, depth);
  }
  return g;
}
