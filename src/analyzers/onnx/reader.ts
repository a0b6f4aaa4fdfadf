/**
 * Lazy ONNX reader: walks the protobuf structure of a model with the wire scanner, skips tensor payloads
 * (recording where they are) and decodes the small remainder of each message with the protobufjs classes
 * compiled from the official onnx.proto.
 */
import { onnx } from './generated/onnx';
import { dtypeBytes } from './dtypes';
import { OnnxReadError, guarded } from './errors';
import { LimitCounter, type OnnxLimits } from './limits';
import { bytesSource, fileSource, type ByteSource } from './source';
import { RangeList, readSignedVarint, scanFields, type WireField } from './wire';
import { decodeEntry, decodeNode, decodeOpset, decodeString, decodeTensorFields, decodeValueInfo, type PendingGraphs } from './fastNode';
import type { AttributeInfo, Dim, GraphInfo, InlineDataRef, ModelInfo, NodeInfo, TensorInfo, ValueInfo } from './types';

/** The structure (not the weights) of one message; real models stay far below this. */
const MAX_SMALL_BYTES = 64 * 1024 * 1024;
/** Documentation strings longer than this are skipped rather than decoded. */
const MAX_DOC_BYTES = 64 * 1024;
const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Turns a protobufjs int64 (Long object or number) into a number. */
export function toNum(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v && typeof v === 'object' && 'toNumber' in v) return (v as { toNumber(): number }).toNumber();
  return Number(v ?? 0);
}

interface Ctx {
  src: ByteSource;
  /** What this read has materialised so far, against the caps of limits.ts. */
  limits: LimitCounter;
}

function decodeSmall<T>(ctx: Ctx, ranges: RangeList, what: string, at: number, decode: (b: Uint8Array) => T): T {
  const bytes = ranges.gather(ctx.src);
  return guarded(`corrupt ${what}`, () => decode(bytes), at);
}

const PACKED_ENCODING: Record<number, InlineDataRef['encoding']> = { 4: 'fixed32', 5: 'varint', 7: 'varint', 10: 'fixed64', 11: 'varint' };

/** Element count of a tensor with these dims, after checking its rank and every dim (throws on a bad one). */
function checkedElements(dims: number[], at: number): number {
  if (dims.length > 64) throw new OnnxReadError('malformed', `tensor has rank ${dims.length}`, at);
  let elements = 1;
  for (let i = 0; i < dims.length; i++) {
    const d = dims[i] as number;
    if (!Number.isSafeInteger(d) || d < 0) throw new OnnxReadError('malformed', `tensor has an invalid dimension ${d}`, at);
    elements *= d;
  }
  if (!Number.isSafeInteger(elements)) throw new OnnxReadError('malformed', `tensor dims [${dims.join(', ')}] are implausibly large`, at);
  return elements;
}

function checkedDims(raw: unknown[], at: number): { dims: number[]; elements: number } {
  if (raw.length > 64) throw new OnnxReadError('malformed', `tensor has rank ${raw.length}`, at);
  const dims = raw.map(toNum);
  return { dims, elements: checkedElements(dims, at) };
}

function externalRef(entries: onnx.StringStringEntryProto.$Properties[], at: number): TensorInfo['data'] {
  const kv = new Map(entries.map((e) => [e.key ?? '', e.value ?? '']));
  const location = kv.get('location');
  if (!location) throw new OnnxReadError('malformed', 'external tensor has no location', at);
  const offset = Number(kv.get('offset') ?? 0);
  const length = kv.has('length') ? Number(kv.get('length')) : undefined;
  if (!Number.isSafeInteger(offset) || offset < 0 || (length !== undefined && (!Number.isSafeInteger(length) || length < 0))) {
    throw new OnnxReadError('malformed', `external tensor has an invalid offset or length`, at);
  }
  return { kind: 'external', location, offset, length };
}

/** Completes a tensor decoded by the fast path: checked element count, storage size, external data. */
function finishTensor(t: TensorInfo, ext: onnx.StringStringEntryProto.$Properties[], location: number, start: number): TensorInfo {
  const elements = checkedElements(t.dims, start);
  t.elements = elements;
  t.bytes = dtypeBytes(t.dtype, elements);
  if (location === 1) t.data = externalRef(ext, start);
  return t;
}

/** Nodes up to this size are decoded by the hand-written fast path from one copied buffer. */
const FAST_NODE_BYTES = 64 * 1024;

/** Subgraphs the node being decoded holds; emptied after each node (nested nodes take their own copy). */
const pending: PendingGraphs = [];

function readNodeFast(ctx: Ctx, start: number, end: number, depth: number): NodeInfo {
  const at = ctx.src.locate(start, end - start);
  if (pending.length !== 0) pending.length = 0; // left over from a node that failed to decode
  const node = decodeNode(ctx.src.buf, at, at + end - start, start - at, pending, finishTensor, inferAttrType);
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
  return (a.floats?.length ?? 0) + (a.ints?.length ?? 0) + (a.strings?.length ?? 0) + (a.tensors?.length ?? 0) + (a.graphs?.length ?? 0);
}

function countAttribute(limits: LimitCounter, a: AttributeInfo, start: number): void {
  const n = attributeValues(a);
  if (n) limits.add('attributeValues', n, start);
  // Values without a packed payload came from unpacked fields (eagerly decoded small constants have one).
  if (a.t?.values && !a.t.data) limits.add('unpackedValues', a.t.values.length, start);
}

/**
 * Counts a node decoded by the fast path. Such a node is at most FAST_NODE_BYTES long, so what it
 * materialised is small; the totals stop a file made of millions of them.
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
  scanFields(ctx.src, start, end, (f) => {
    const packed = PACKED_ENCODING[f.num];
    if (f.num === 9 && f.wire === 2) data = { kind: 'inline', offset: f.valStart, length: f.end - f.valStart, encoding: 'raw' };
    else if (packed && f.wire === 2) data = { kind: 'inline', offset: f.valStart, length: f.end - f.valStart, encoding: packed };
    else if (f.num === 6 && f.wire === 2) {
      // Repeated string_data: keep the span of all its fields and decode them on demand.
      if (data?.encoding === 'strings') data.length = f.end - data.offset;
      else data = { kind: 'inline', offset: f.tagStart, length: f.end - f.tagStart, encoding: 'strings' };
    } else if (f.num === 12 && f.end - f.valStart > MAX_DOC_BYTES) return;
    else small.add(f.tagStart, f.end);
  });
  const bytes = small.gather(ctx.src);
  const b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The hand decoder rather than onnx.TensorProto.decode: see fastNode.ts (80 such headers in vit_b_16).
  const info = guarded('corrupt tensor', () => decodeTensorFields(b, 0, b.length, start, finishTensor), start);
  if (info.values && !data) ctx.limits.add('unpackedValues', info.values.length, start);
  if (info.data?.kind !== 'external') info.data = data;
  return info;
}

function dimOf(d: onnx.TensorShapeProto.Dimension.$Properties): Dim {
  if (Object.prototype.hasOwnProperty.call(d, 'dimParam') && d.dimParam) return d.dimParam;
  if (Object.prototype.hasOwnProperty.call(d, 'dimValue')) return toNum(d.dimValue);
  return null;
}

/**
 * Converts a protobufjs ValueInfoProto to plain data, keeping symbolic dims by name: the reference the
 * fast decoder is tested against.
 */
export function valueInfoOf(v: onnx.ValueInfoProto.$Properties): ValueInfo {
  const type = v.type;
  const name = v.name ?? '';
  const tt = type?.tensorType ?? type?.sparseTensorType;
  if (tt) {
    const shape = tt.shape ? (tt.shape.dim ?? []).map(dimOf) : undefined;
    return { name, dtype: tt.elemType ?? 0, shape, kind: type?.tensorType ? 'tensor' : 'sparse_tensor' };
  }
  const kind = type?.sequenceType ? 'sequence' : type?.mapType ? 'map' : type?.optionalType ? 'optional' : 'unknown';
  return { name, dtype: 0, shape: undefined, kind };
}

function attributeOf(a: onnx.AttributeProto, ext: Partial<AttributeInfo>): AttributeInfo {
  const out: AttributeInfo = { name: a.name, type: a.type, ...ext };
  const has = (k: string): boolean => Object.prototype.hasOwnProperty.call(a, k);
  if (has('f')) out.f = a.f;
  if (has('i')) out.i = toNum(a.i);
  if (has('s')) out.s = utf8.decode(a.s);
  if (a.floats.length) out.floats = a.floats;
  if (a.ints.length) out.ints = a.ints.map(toNum);
  if (a.strings.length) out.strings = a.strings.map((s) => utf8.decode(s));
  if (!out.type) out.type = inferAttrType(out);
  return out;
}

/** IR 1 files have no attribute type field; infer it from which member is set. */
function inferAttrType(a: AttributeInfo): number {
  if (a.floats) return 6;
  if (a.ints) return 7;
  if (a.strings) return 8;
  if (a.tensors) return 9;
  if (a.graphs) return 10;
  if (a.t) return 4;
  if (a.g) return 5;
  if (a.s !== undefined) return 3;
  if (a.i !== undefined) return 2;
  if (a.f !== undefined) return 1;
  return 0;
}

/** Elements of one list field of an AttributeProto (floats 7, ints 8, strings 9), before decoding it. */
function listElements(ctx: Ctx, f: WireField): number {
  if (f.wire !== 2 || f.num === 9) return 1;
  if (f.num === 7) return Math.ceil((f.end - f.valStart) / 4);
  // Packed varints: one element ends at each byte below 0x80.
  const bytes = ctx.src.read(f.valStart, f.end - f.valStart);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) if ((bytes[i] as number) < 0x80) n++;
  return n;
}

/**
 * Reads an AttributeProto too large for the fast path. Its list elements are counted before protobufjs
 * decodes them, and sparse tensors (fields 22 and 23), which the summary does not use, are skipped.
 */
function readAttribute(ctx: Ctx, start: number, end: number, depth: number): AttributeInfo {
  const small = new RangeList(MAX_SMALL_BYTES);
  const ext: Partial<AttributeInfo> = {};
  scanFields(ctx.src, start, end, (f) => {
    if (f.num === 22 || f.num === 23) return;
    if (f.num >= 7 && f.num <= 11) ctx.limits.add('attributeValues', f.num <= 9 ? listElements(ctx, f) : 1, f.tagStart);
    if (f.wire !== 2 || ![5, 6, 10, 11, 13].includes(f.num)) return small.add(f.tagStart, f.end);
    if (f.num === 5) ext.t = readTensor(ctx, f.valStart, f.end);
    else if (f.num === 6) ext.g = readGraph(ctx, f.valStart, f.end, depth + 1);
    else if (f.num === 10) (ext.tensors ??= []).push(readTensor(ctx, f.valStart, f.end));
    else if (f.num === 11) (ext.graphs ??= []).push(readGraph(ctx, f.valStart, f.end, depth + 1));
  });
  const a = decodeSmall(ctx, small, 'node attribute', start, (b) => onnx.AttributeProto.decode(b));
  return attributeOf(a, ext);
}

function readNode(ctx: Ctx, start: number, end: number, depth: number): NodeInfo {
  const small = new RangeList(MAX_SMALL_BYTES);
  const attributes = new Map<string, AttributeInfo>();
  const attrs: AttributeInfo[] = [];
  let names = 0;
  scanFields(ctx.src, start, end, (f) => {
    if (f.num === 5 && f.wire === 2) {
      ctx.limits.check('attributesPerNode', attrs.length + 1, start);
      ctx.limits.add('attributes', 1, f.tagStart);
      attrs.push(readAttribute(ctx, f.valStart, f.end, depth));
    } else if (f.num !== 6) {
      if (f.num === 1 || f.num === 2) ctx.limits.check('namesPerNode', ++names, start);
      small.add(f.tagStart, f.end);
    }
  });
  ctx.limits.add('nodeNames', names, start);
  const n = decodeSmall(ctx, small, 'node', start, (b) => onnx.NodeProto.decode(b));
  for (const a of attrs) attributes.set(a.name, a);
  return { name: n.name, opType: n.opType, domain: n.domain, inputs: n.input, outputs: n.output, attributes };
}

function readSparse(ctx: Ctx, start: number, end: number): TensorInfo | undefined {
  let values: TensorInfo | undefined;
  let rank = 0;
  const small = new RangeList(MAX_SMALL_BYTES);
  scanFields(ctx.src, start, end, (f) => {
    if (f.num === 1 && f.wire === 2) values = readTensor(ctx, f.valStart, f.end);
    else if (f.num === 3) {
      // Dims are checked against the rank limit before protobufjs makes an int64 of each.
      rank += f.wire === 2 ? Math.ceil((f.end - f.valStart) / 10) : 1;
      ctx.limits.check('rank', rank, f.tagStart);
      small.add(f.tagStart, f.end);
    }
  });
  const sp = decodeSmall(ctx, small, 'sparse tensor', start, (b) => onnx.SparseTensorProto.decode(b));
  if (!values) return undefined;
  const { dims } = checkedDims(sp.dims, start);
  return { ...values, dims };
}

/** Where [start, end) sits in the source's buffer, or -1 when it is too large to decode in place. */
function inPlace(ctx: Ctx, start: number, end: number): number {
  return end - start <= FAST_NODE_BYTES ? ctx.src.locate(start, end - start) : -1;
}

/** A UTF-8 string field. */
function readString(ctx: Ctx, start: number, end: number): string {
  const at = inPlace(ctx, start, end);
  return at >= 0 ? decodeString(ctx.src.buf, at, at + end - start) : utf8.decode(ctx.src.read(start, end - start));
}

/**
 * A graph input, output or value_info entry, decoded by the fast path in place or, when it is larger than
 * the read window, from a copy; the decoder checks the rank of its shape as it goes.
 */
function readValueInfo(ctx: Ctx, start: number, end: number): ValueInfo {
  const at = inPlace(ctx, start, end);
  let v: ValueInfo;
  if (at >= 0) v = decodeValueInfo(ctx.src.buf, at, at + end - start, start - at);
  else {
    const bytes = ctx.src.read(start, end - start);
    const b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    v = decodeValueInfo(b, 0, b.length, start);
  }
  if (v.shape) ctx.limits.add('dims', v.shape.length, start);
  return v;
}

/** Counts one GraphProto field against the cap of its kind (node 1, initializer 5 and 15, value info 11–13). */
function countEntry(limits: LimitCounter, num: number, at: number): void {
  if (num === 1) limits.add('nodes', 1, at);
  else if (num === 5 || num === 15) limits.add('initializers', 1, at);
  else if (num === 11 || num === 12 || num === 13) limits.add('valueInfos', 1, at);
}

/** Counts the entries of one graph before any of them is decoded, so that no cap is passed by materialising. */
function countGraph(ctx: Ctx, start: number, end: number): void {
  let nodes = 0;
  let initializers = 0;
  let valueInfos = 0;
  scanFields(ctx.src, start, end, (f: WireField) => {
    const num = f.num;
    if (num === 1) nodes++;
    else if (num === 5 || num === 15) initializers++;
    else if (num === 11 || num === 12 || num === 13) valueInfos++;
  });
  ctx.limits.add('nodes', nodes, start);
  ctx.limits.add('initializers', initializers, start);
  ctx.limits.add('valueInfos', valueInfos, start);
}

/**
 * Reads the GraphProto in [start, end); `depth` counts subgraph nesting. Fields the summary does not use
 * (doc_string, quantization_annotation, metadata_props) are skipped unread.
 */
export function readGraph(ctx: Ctx, start: number, end: number, depth: number): GraphInfo {
  ctx.limits.check('depth', depth, start);
  ctx.limits.add('graphs', 1, start);
  // An entry takes at least two bytes: a graph too short to pass a cap is counted as it is read, and only
  // a longer one is scanned a second time to count its entries first.
  const room = Math.min(ctx.limits.remaining('nodes'), ctx.limits.remaining('initializers'), ctx.limits.remaining('valueInfos'));
  const counted = (end - start) / 2 > room;
  if (counted) countGraph(ctx, start, end);
  const g: GraphInfo = { name: '', nodes: [], initializers: [], sparseInitializers: [], inputs: [], outputs: [], valueInfo: [] };
  scanFields(ctx.src, start, end, (f: WireField) => {
    if (f.wire !== 2) return;
    const num = f.num;
    if (!counted) countEntry(ctx.limits, num, f.tagStart);
    if (num === 1) g.nodes.push(f.end - f.valStart <= FAST_NODE_BYTES ? readNodeFast(ctx, f.valStart, f.end, depth) : readNode(ctx, f.valStart, f.end, depth));
    else if (num === 5) g.initializers.push(readTensor(ctx, f.valStart, f.end));
    else if (num === 15) {
      const s = readSparse(ctx, f.valStart, f.end);
      if (s) g.sparseInitializers.push(s);
    } else if (num === 2) g.name = readString(ctx, f.valStart, f.end);
    else if (num === 11) g.inputs.push(readValueInfo(ctx, f.valStart, f.end));
    else if (num === 12) g.outputs.push(readValueInfo(ctx, f.valStart, f.end));
    else if (num === 13) g.valueInfo.push(readValueInfo(ctx, f.valStart, f.end));
  });
  return g;
}

function functionName(ctx: Ctx, start: number, end: number): string {
  let name = '';
  let domain = '';
  scanFields(ctx.src, start, end, (f) => {
    if (f.wire !== 2 || (f.num !== 1 && f.num !== 10) || f.end - f.valStart > 4096) return;
    const s = utf8.decode(ctx.src.read(f.valStart, f.end - f.valStart));
    if (f.num === 1) name = s;
    else domain = s;
  });
  return `${domain}:${name}`;
}

/** One OperatorSetIdProto or StringStringEntryProto of the model header, decoded in place. */
function readSmall<T>(ctx: Ctx, start: number, end: number, what: string, fast: (b: Buffer, at: number, stop: number, base: number) => T): T {
  const at = inPlace(ctx, start, end);
  if (at < 0) throw new OnnxReadError('too-large', `a model ${what} of ${end - start} bytes`, start);
  return fast(ctx.src.buf, at, at + end - start, start - at);
}

/**
 * Reads a whole model from a source. Throws OnnxReadError for anything that is not a readable model.
 * The header fields are decoded by hand, by their onnx.proto field numbers: protobufjs decoding of the
 * few header messages cost a cold summary more than the nodes they describe (see fastNode.ts).
 */
export function readModelFromSource(src: ByteSource, limits?: Readonly<OnnxLimits>): ModelInfo {
  const ctx: Ctx = { src, limits: new LimitCounter(limits) };
  let graph: GraphInfo | undefined;
  const functions: string[] = [];
  const model: Omit<ModelInfo, 'graph' | 'fileSize' | 'functions'> = { irVersion: 0, producerName: '', producerVersion: '', domain: '', modelVersion: 0, docString: '', opsets: [], metadata: {} };
  if (src.size === 0) throw new OnnxReadError('truncated', 'the file is empty');
  scanFields(src, 0, src.size, (f) => {
    const num = f.num;
    if (f.wire === 0) {
      if (num === 1) model.irVersion = readSignedVarint(src, f.valStart, f.end);
      else if (num === 5) model.modelVersion = readSignedVarint(src, f.valStart, f.end);
      return;
    }
    if (f.wire !== 2) return;
    if (num === 7) graph = readGraph(ctx, f.valStart, f.end, 0);
    else if (num === 25) {
      ctx.limits.add('functions', 1, f.tagStart);
      functions.push(functionName(ctx, f.valStart, f.end));
    } else if (num === 8) {
      ctx.limits.add('entries', 1, f.tagStart);
      model.opsets.push(readSmall(ctx, f.valStart, f.end, 'opset import', decodeOpset));
    } else if (num === 14) {
      ctx.limits.add('entries', 1, f.tagStart);
      const e = readSmall(ctx, f.valStart, f.end, 'metadata entry', decodeEntry);
      model.metadata[e.key] = e.value;
    } else if (num === 2) model.producerName = readString(ctx, f.valStart, f.end);
    else if (num === 3) model.producerVersion = readString(ctx, f.valStart, f.end);
    else if (num === 4) model.domain = readString(ctx, f.valStart, f.end);
    else if (num === 6 && f.end - f.valStart <= MAX_DOC_BYTES) model.docString = readString(ctx, f.valStart, f.end);
  });
  if (!graph) throw new OnnxReadError('malformed', 'no graph found: this is not an ONNX model (or it is truncated before its graph)');
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
