/**
 * Lazy ONNX reader: walks the protobuf structure of a model with the field scanner (wire.ts), skips tensor
 * payloads (recording where they are) and decodes the small messages with the decoders of decode.ts, by
 * the onnx.proto field numbers of fields.ts. Messages that fit the file source's read window (nodes, graph
 * inputs, header entries: nearly all of a model) are decoded in place; larger ones are scanned field by
 * field so that their payloads are never read.
 */
import { dtypeBytes } from './dtypes';
import { OnnxReadError, guarded } from './errors';
import { LimitCounter, type OnnxLimits } from './limits';
import { bytesSource, fileSource, type ByteSource } from './source';
import { FieldScanner, RangeList } from './wire';
import { ProtoReader, UTF8, asBuffer } from './protoReader';
import {
  decodeAttribute,
  decodeEntry,
  inferAttributeType,
  payloadEncoding,
  decodeNode,
  decodeOpset,
  decodeTensor,
  decodeValueInfo,
  type ExternalEntries,
  type PendingGraphs,
} from './decode';
import {
  AttributeProto,
  DataLocation,
  FunctionProto,
  GraphProto,
  ModelProto,
  NodeProto,
  SparseTensorProto,
  TensorProto,
} from './fields';
import type { AttributeInfo, GraphInfo, InlineDataRef, ModelInfo, NodeInfo, TensorInfo, ValueInfo } from './types';

/** The structure (not the weights) of one message; real models stay far below this. */
const MAX_SMALL_BYTES = 64 * 1024 * 1024;
/** Documentation strings longer than this are skipped rather than decoded. */
const MAX_DOC_BYTES = 64 * 1024;
/** Messages up to this size are decoded in place from the read window (the file source's window size). */
const IN_PLACE_BYTES = 64 * 1024;

interface Ctx {
  src: ByteSource;
  /** What this read has materialised so far, against the caps of limits.ts. */
  limits: LimitCounter;
  /** The reader the decoders use, pointed at each message in turn. */
  reader: ProtoReader;
}

/** Element count of a tensor with these dims, after checking its rank and every dim (throws on a bad one). */
function checkedElements(dims: number[], at: number): number {
  if (dims.length > 64) throw new OnnxReadError('malformed', `tensor has rank ${dims.length}`, at);
  let elements = 1;
  for (let i = 0; i < dims.length; i++) {
    const d = dims[i] as number;
    if (!Number.isSafeInteger(d) || d < 0)
      throw new OnnxReadError('malformed', `tensor has an invalid dimension ${d}`, at);
    elements *= d;
  }
  if (!Number.isSafeInteger(elements))
    throw new OnnxReadError('malformed', `tensor dims [${dims.join(', ')}] are implausibly large`, at);
  return elements;
}

function externalRef(entries: ExternalEntries, at: number): TensorInfo['data'] {
  const kv = new Map(entries.map((e) => [e.key, e.value]));
  const location = kv.get('location');
  if (!location) throw new OnnxReadError('malformed', 'external tensor has no location', at);
  const offset = Number(kv.get('offset') ?? 0);
  const length = kv.has('length') ? Number(kv.get('length')) : undefined;
  if (
    !Number.isSafeInteger(offset) ||
    offset < 0 ||
    (length !== undefined && (!Number.isSafeInteger(length) || length < 0))
  ) {
    throw new OnnxReadError('malformed', `external tensor has an invalid offset or length`, at);
  }
  return { kind: 'external', location, offset, length };
}

/** Completes a decoded tensor: checked element count, storage size, external data. */
function finishTensor(t: TensorInfo, ext: ExternalEntries, location: number, start: number): TensorInfo {
  const elements = checkedElements(t.dims, start);
  t.elements = elements;
  t.bytes = dtypeBytes(t.dtype, elements);
  if (location === DataLocation.EXTERNAL) t.data = externalRef(ext, start);
  return t;
}

/** Points the context's reader at [start, end) in place, or returns undefined when it is too large for that. */
function inPlace(ctx: Ctx, start: number, end: number): ProtoReader | undefined {
  if (end - start > IN_PLACE_BYTES) return undefined;
  const at = ctx.src.locate(start, end - start);
  return ctx.reader.reset(ctx.src.buf, at, at + end - start, start - at);
}

/** Points the context's reader at the concatenated small fields of a message whose payloads were left out. */
function gathered(ctx: Ctx, small: RangeList, start: number): ProtoReader {
  const b = small.gather(ctx.src);
  return ctx.reader.reset(b, 0, b.length, start);
}

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

/** Elements of an attribute's lists; tensors and graphs count one each. */
function attributeValues(a: AttributeInfo): number {
  return (
    (a.floats?.length ?? 0) +
    (a.ints?.length ?? 0) +
    (a.strings?.length ?? 0) +
    (a.tensors?.length ?? 0) +
    (a.graphs?.length ?? 0)
  );
}

function countAttribute(limits: LimitCounter, a: AttributeInfo, start: number): void {
  const n = attributeValues(a);
  if (n) limits.add('attributeValues', n, start);
  // Values without a packed payload came from unpacked fields (eagerly decoded small constants have one).
  if (a.t?.values && !a.t.data) limits.add('unpackedValues', a.t.values.length, start);
}

/**
 * Counts a node decoded in place. Such a node is at most IN_PLACE_BYTES long, so what it materialised is
 * small; the totals stop a file made of millions of them.
 */
function countNode(limits: LimitCounter, node: NodeInfo, start: number): void {
  const names = node.inputs.length + node.outputs.length;
  limits.check('namesPerNode', names, start);
  limits.add('nodeNames', names, start);
  const attrs = node.attributes.size;
  if (!attrs) return;
  limits.check('attributesPerNode', attrs, start);
  limits.add('attributes', attrs, start);
  node.attributes.forEach((a) => countAttribute(limits, a, start));
}

/** Reads the TensorProto in [start, end), recording payload positions instead of reading payloads. */
export function readTensor(ctx: Ctx, start: number, end: number): TensorInfo {
  const small = new RangeList(MAX_SMALL_BYTES);
  let data: InlineDataRef | undefined;
  const s = new FieldScanner(ctx.src, start, end);
  while (s.next()) {
    const payload = s.delimited ? payloadEncoding(s.field) : undefined;
    if (payload) data = { kind: 'inline', offset: s.valStart, length: s.end - s.valStart, encoding: payload };
    else if (s.field === TensorProto.string_data && s.delimited) {
      // Repeated string_data: keep the span of all its fields and decode them on demand.
      if (data?.encoding === 'strings') data.length = s.end - data.offset;
      else data = { kind: 'inline', offset: s.tagStart, length: s.end - s.tagStart, encoding: 'strings' };
    } else if (s.field !== TensorProto.doc_string || s.end - s.valStart <= MAX_DOC_BYTES) small.add(s.tagStart, s.end);
  }
  const info = guarded('corrupt tensor', () => decodeTensor(gathered(ctx, small, start), finishTensor), start);
  if (info.values && !data) ctx.limits.add('unpackedValues', info.values.length, start);
  if (info.data?.kind !== 'external') info.data = data;
  return info;
}

/** Elements of one list field of an AttributeProto (floats, ints, strings), before decoding it. */
function listElements(ctx: Ctx, s: FieldScanner): number {
  if (!s.delimited || s.field === AttributeProto.strings) return 1;
  if (s.field === AttributeProto.floats) return Math.ceil((s.end - s.valStart) / 4);
  // Packed varints: one element ends at each byte below 0x80.
  const bytes = ctx.src.read(s.valStart, s.end - s.valStart);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) if ((bytes[i] as number) < 0x80) n++;
  return n;
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

function readSparse(ctx: Ctx, start: number, end: number): TensorInfo | undefined {
  let values: TensorInfo | undefined;
  let rank = 0;
  const dims: number[] = [];
  const s = new FieldScanner(ctx.src, start, end);
  while (s.next()) {
    if (s.field === SparseTensorProto.values && s.delimited) values = readTensor(ctx, s.valStart, s.end);
    else if (s.field === SparseTensorProto.dims) {
      // Dims are checked against the rank limit before they are decoded.
      rank += s.delimited ? Math.ceil((s.end - s.valStart) / 10) : 1;
      ctx.limits.check('rank', rank, s.tagStart);
      if (s.delimited) {
        const r = ctx.reader.reset(
          asBuffer(ctx.src.read(s.valStart, s.end - s.valStart)),
          0,
          s.end - s.valStart,
          s.valStart,
        );
        while (r.pos < r.end) dims.push(r.int64());
      } else dims.push(s.value);
    }
  }
  if (!values) return undefined;
  checkedElements(dims, start);
  return { ...values, dims };
}

/** A UTF-8 string field. */
function readString(ctx: Ctx, start: number, end: number): string {
  const r = inPlace(ctx, start, end);
  return r ? r.buf.toString(UTF8, r.pos, r.end) : asBuffer(ctx.src.read(start, end - start)).toString();
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

/** The cap a GraphProto field counts against, if any. */
function capOf(field: number): 'nodes' | 'initializers' | 'valueInfos' | undefined {
  switch (field) {
    case GraphProto.node:
      return 'nodes';
    case GraphProto.initializer:
    case GraphProto.sparse_initializer:
      return 'initializers';
    case GraphProto.input:
    case GraphProto.output:
    case GraphProto.value_info:
      return 'valueInfos';
    default:
      return undefined;
  }
}

/** Counts the entries of one graph before any of them is decoded, so that no cap is passed by materialising. */
function countGraph(ctx: Ctx, start: number, end: number): void {
  const counts = { nodes: 0, initializers: 0, valueInfos: 0 };
  const s = new FieldScanner(ctx.src, start, end);
  while (s.next()) {
    const cap = capOf(s.field);
    if (cap) counts[cap]++;
  }
  ctx.limits.add('nodes', counts.nodes, start);
  ctx.limits.add('initializers', counts.initializers, start);
  ctx.limits.add('valueInfos', counts.valueInfos, start);
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

/** `domain:name` of a model-local function, read without decoding its body. */
function functionName(ctx: Ctx, start: number, end: number): string {
  let name = '';
  let domain = '';
  const s = new FieldScanner(ctx.src, start, end);
  while (s.next()) {
    if (
      !s.delimited ||
      (s.field !== FunctionProto.name && s.field !== FunctionProto.domain) ||
      s.end - s.valStart > 4096
    )
      continue;
    const text = readString(ctx, s.valStart, s.end);
    if (s.field === FunctionProto.name) name = text;
    else domain = text;
  }
  return `${domain}:${name}`;
}

/** One OperatorSetIdProto or StringStringEntryProto of the model header, decoded in place. */
function readSmall<T>(ctx: Ctx, start: number, end: number, what: string, decode: (r: ProtoReader) => T): T {
  const r = inPlace(ctx, start, end);
  if (!r) throw new OnnxReadError('too-large', `a model ${what} of ${end - start} bytes`, start);
  return decode(r);
}

type Header = Omit<ModelInfo, 'graph' | 'fileSize' | 'functions'>;

/** Reads one length-delimited ModelProto field other than the graph into the header or the functions. */
function headerField(ctx: Ctx, model: Header, functions: string[], s: FieldScanner): void {
  const { valStart: start, end } = s;
  switch (s.field) {
    case ModelProto.functions:
      ctx.limits.add('functions', 1, s.tagStart);
      functions.push(functionName(ctx, start, end));
      break;
    case ModelProto.opset_import:
      ctx.limits.add('entries', 1, s.tagStart);
      model.opsets.push(readSmall(ctx, start, end, 'opset import', decodeOpset));
      break;
    case ModelProto.metadata_props: {
      ctx.limits.add('entries', 1, s.tagStart);
      const e = readSmall(ctx, start, end, 'metadata entry', decodeEntry);
      model.metadata[e.key] = e.value;
      break;
    }
    case ModelProto.producer_name:
      model.producerName = readString(ctx, start, end);
      break;
    case ModelProto.producer_version:
      model.producerVersion = readString(ctx, start, end);
      break;
    case ModelProto.domain:
      model.domain = readString(ctx, start, end);
      break;
    case ModelProto.doc_string:
      if (end - start <= MAX_DOC_BYTES) model.docString = readString(ctx, start, end);
      break;
    default: // training_info and fields of later IR versions: not used by the summary.
  }
}

/** Reads a whole model from a source. Throws OnnxReadError for anything that is not a readable model. */
export function readModelFromSource(src: ByteSource, limits?: Readonly<OnnxLimits>): ModelInfo {
  const ctx: Ctx = { src, limits: new LimitCounter(limits), reader: new ProtoReader(Buffer.alloc(0), 0, 0) };
  let graph: GraphInfo | undefined;
  const functions: string[] = [];
  const model: Header = {
    irVersion: 0,
    producerName: '',
    producerVersion: '',
    domain: '',
    modelVersion: 0,
    docString: '',
    opsets: [],
    metadata: {},
  };
  if (src.size === 0) throw new OnnxReadError('truncated', 'the file is empty');
  const s = new FieldScanner(src, 0, src.size);
  while (s.next()) {
    if (!s.delimited) {
      if (s.wire !== 0) continue;
      if (s.field === ModelProto.ir_version) model.irVersion = s.value;
      else if (s.field === ModelProto.model_version) model.modelVersion = s.value;
    } else if (s.field === ModelProto.graph) graph = readGraph(ctx, s.valStart, s.end, 0);
    else headerField(ctx, model, functions, s);
  }
  if (!graph)
    throw new OnnxReadError(
      'malformed',
      'no graph found: this is not an ONNX model (or it is truncated before its graph)',
    );
  return { ...model, graph, functions, fileSize: src.size };
}

/** Reads a model file lazily: only its structure, never its weights. */
export function readModelFile(path: string, limits?: Readonly<OnnxLimits>): ModelInfo {
  const src = fileSource(path);
  try {
    return readModelFromSource(src, limits);
  } finally {
    src.close();
  }
}

/** Reads a model from bytes in memory. */
export function readModelBytes(bytes: Uint8Array, limits?: Readonly<OnnxLimits>): ModelInfo {
  return readModelFromSource(bytesSource(bytes), limits);
}
