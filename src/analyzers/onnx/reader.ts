/**
 * Lazy ONNX reader: walks the protobuf structure of a model with the wire scanner, skips tensor payloads
 * (recording where they are) and decodes the small remainder of each message with the protobufjs classes
 * compiled from the official onnx.proto.
 */
import { onnx } from './generated/onnx';
import { dtypeBytes } from './dtypes';
import { OnnxReadError, guarded } from './errors';
import { bytesSource, fileSource, type ByteSource } from './source';
import { RangeList, scanFields, type WireField } from './wire';
import { Cur, fastNode, fastTensor, type PendingGraphs } from './fastNode';
import type { AttributeInfo, Dim, GraphInfo, InlineDataRef, ModelInfo, NodeInfo, TensorInfo, ValueInfo } from './types';

/** Subgraphs nest through node attributes; deeper nesting than this is treated as a corrupt file. */
const MAX_DEPTH = 32;
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
}

function decodeSmall<T>(ctx: Ctx, ranges: RangeList, what: string, at: number, decode: (b: Uint8Array) => T): T {
  const bytes = ranges.gather(ctx.src);
  return guarded(`corrupt ${what}`, () => decode(bytes), at);
}

const PACKED_ENCODING: Record<number, InlineDataRef['encoding']> = { 4: 'fixed32', 5: 'varint', 7: 'varint', 10: 'fixed64', 11: 'varint' };

function checkedDims(raw: unknown[], at: number): { dims: number[]; elements: number } {
  if (raw.length > 64) throw new OnnxReadError('malformed', `tensor has rank ${raw.length}`, at);
  const dims = raw.map(toNum);
  let elements = 1;
  for (let i = 0; i < dims.length; i++) {
    const d = dims[i] as number;
    if (!Number.isSafeInteger(d) || d < 0) throw new OnnxReadError('malformed', `tensor has an invalid dimension ${d}`, at);
    elements *= d;
  }
  if (!Number.isSafeInteger(elements)) throw new OnnxReadError('malformed', `tensor dims [${dims.join(', ')}] are implausibly large`, at);
  return { dims, elements };
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
  const { elements } = checkedDims(t.dims, start);
  t.elements = elements;
  t.bytes = dtypeBytes(t.dtype, elements);
  if (location === 1) t.data = externalRef(ext, start);
  return t;
}

/** Nodes up to this size are decoded by the hand-written fast path from one copied buffer. */
const FAST_NODE_BYTES = 64 * 1024;

function readNodeFast(ctx: Ctx, start: number, end: number, depth: number): NodeInfo {
  const at = ctx.src.locate(start, end - start);
  const pending: PendingGraphs = [];
  const tensor = (c: Cur, e: number): TensorInfo => fastTensor(c, e, finishTensor);
  const node = fastNode(new Cur(ctx.src.buf, at, at + end - start, start - at), pending, tensor, inferAttrType);
  for (const p of pending) {
    const g = readGraph(ctx, p.start, p.end, depth + 1);
    if (p.many) (p.attr.graphs ??= []).push(g);
    else p.attr.g = g;
  }
  return node;
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
  const t = decodeSmall(ctx, small, 'tensor', start, (b) => onnx.TensorProto.decode(b));
  const { dims, elements } = checkedDims(t.dims, start);
  const dtype = t.dataType;
  const info: TensorInfo = { name: t.name, dtype, dims, elements, bytes: dtypeBytes(dtype, elements), data };
  if (t.dataLocation === 1) info.data = externalRef(t.externalData, start);
  const inlineValues = [t.floatData, t.int32Data, t.int64Data, t.doubleData, t.uint64Data].find((v) => v.length > 0);
  if (inlineValues) info.values = inlineValues.map(toNum);
  return info;
}

function dimOf(d: onnx.TensorShapeProto.Dimension.$Properties): Dim {
  if (Object.prototype.hasOwnProperty.call(d, 'dimParam') && d.dimParam) return d.dimParam;
  if (Object.prototype.hasOwnProperty.call(d, 'dimValue')) return toNum(d.dimValue);
  return null;
}

/** Converts a decoded ValueInfoProto to plain data, keeping symbolic dims by name. */
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

function readAttribute(ctx: Ctx, start: number, end: number, depth: number): AttributeInfo {
  const small = new RangeList(MAX_SMALL_BYTES);
  const ext: Partial<AttributeInfo> = {};
  scanFields(ctx.src, start, end, (f) => {
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
  scanFields(ctx.src, start, end, (f) => {
    if (f.num === 5 && f.wire === 2) attrs.push(readAttribute(ctx, f.valStart, f.end, depth));
    else if (f.num !== 6) small.add(f.tagStart, f.end);
  });
  const n = decodeSmall(ctx, small, 'node', start, (b) => onnx.NodeProto.decode(b));
  for (const a of attrs) attributes.set(a.name, a);
  return { name: n.name, opType: n.opType, domain: n.domain, inputs: n.input, outputs: n.output, attributes };
}

function readSparse(ctx: Ctx, start: number, end: number): TensorInfo | undefined {
  let values: TensorInfo | undefined;
  const small = new RangeList(MAX_SMALL_BYTES);
  scanFields(ctx.src, start, end, (f) => {
    if (f.num === 1 && f.wire === 2) values = readTensor(ctx, f.valStart, f.end);
    else if (f.num === 3) small.add(f.tagStart, f.end);
  });
  const sp = decodeSmall(ctx, small, 'sparse tensor', start, (b) => onnx.SparseTensorProto.decode(b));
  if (!values) return undefined;
  const { dims } = checkedDims(sp.dims, start);
  return { ...values, dims };
}

/** Reads the GraphProto in [start, end); `depth` counts subgraph nesting. */
export function readGraph(ctx: Ctx, start: number, end: number, depth: number): GraphInfo {
  if (depth > MAX_DEPTH) throw new OnnxReadError('too-deep', `subgraphs nested deeper than ${MAX_DEPTH} levels`, start);
  const g: GraphInfo = { name: '', nodes: [], initializers: [], sparseInitializers: [], inputs: [], outputs: [], valueInfo: [] };
  const small = new RangeList(MAX_SMALL_BYTES);
  scanFields(ctx.src, start, end, (f: WireField) => {
    if (f.wire === 2 && f.num === 1) g.nodes.push(f.end - f.valStart <= FAST_NODE_BYTES ? readNodeFast(ctx, f.valStart, f.end, depth) : readNode(ctx, f.valStart, f.end, depth));
    else if (f.wire === 2 && f.num === 5) g.initializers.push(readTensor(ctx, f.valStart, f.end));
    else if (f.wire === 2 && f.num === 15) {
      const s = readSparse(ctx, f.valStart, f.end);
      if (s) g.sparseInitializers.push(s);
    } else if (f.num !== 10) small.add(f.tagStart, f.end);
  });
  const p = decodeSmall(ctx, small, 'graph', start, (b) => onnx.GraphProto.decode(b));
  g.name = p.name;
  g.inputs = p.input.map(valueInfoOf);
  g.outputs = p.output.map(valueInfoOf);
  g.valueInfo = p.valueInfo.map(valueInfoOf);
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

/** Reads a whole model from a source. Throws OnnxReadError for anything that is not a readable model. */
export function readModelFromSource(src: ByteSource): ModelInfo {
  const ctx: Ctx = { src };
  const small = new RangeList(MAX_SMALL_BYTES);
  let graph: GraphInfo | undefined;
  const functions: string[] = [];
  if (src.size === 0) throw new OnnxReadError('truncated', 'the file is empty');
  scanFields(src, 0, src.size, (f) => {
    if (f.num === 7 && f.wire === 2) graph = readGraph(ctx, f.valStart, f.end, 0);
    else if (f.num === 25 && f.wire === 2) functions.push(functionName(ctx, f.valStart, f.end));
    else if (f.num === 20 || (f.num === 6 && f.end - f.valStart > MAX_DOC_BYTES)) return;
    else small.add(f.tagStart, f.end);
  });
  const m = decodeSmall(ctx, small, 'model header', 0, (b) => onnx.ModelProto.decode(b));
  if (!graph) throw new OnnxReadError('malformed', 'no graph found: this is not an ONNX model (or it is truncated before its graph)');
  const metadata: Record<string, string> = {};
  for (const e of m.metadataProps) metadata[e.key ?? ''] = e.value ?? '';
  return {
    irVersion: toNum(m.irVersion),
    producerName: m.producerName,
    producerVersion: m.producerVersion,
    domain: m.domain,
    modelVersion: toNum(m.modelVersion),
    docString: m.docString,
    opsets: m.opsetImport.map((o) => ({ domain: o.domain ?? '', version: toNum(o.version) })),
    metadata,
    graph,
    functions,
    fileSize: src.size,
  };
}

/** Reads a model file lazily: only its structure, never its weights. */
export function readModelFile(path: string): ModelInfo {
  const src = fileSource(path);
  try {
    return readModelFromSource(src);
  } finally {
    src.close();
  }
}

/** Reads a model from bytes in memory. */
export function readModelBytes(bytes: Uint8Array): ModelInfo {
  return readModelFromSource(bytesSource(bytes));
}
