/**
 * Decoders of the small ONNX messages (NodeProto, AttributeProto, TensorProto headers, ValueInfoProto and
 * the model header's entries) from a ProtoReader, by the onnx.proto field numbers in fields.ts. Each
 * decodes the message that fills the reader's [pos, end) and leaves the reader at its end.
 *
 * Like protobufjs's generated readers, a known field is read as its declared type whatever its wire type
 * (a corrupt file then fails on a bounds check), repeated numbers are accepted packed or not, and unknown
 * fields are skipped. test/unit/onnx-decoder.test.ts checks the results against a full protobufjs decode
 * of every corpus model.
 *
 * Payloads are never copied: a tensor keeps the offset and length of its data, and subgraphs are handed
 * back to the caller (PendingGraphs), because the reader decodes a node in place in the file source's read
 * window, which reading a subgraph through the source would replace.
 */
import { ONNX_LIMITS, OnnxLimitError } from './limits';
import { decodeInline } from './tensorData';
import {
  AttributeProto,
  AttributeType,
  DataLocation,
  Dimension,
  NodeProto,
  OperatorSetIdProto,
  StringStringEntryProto,
  TensorProto,
  TensorShapeProto,
  TypeProto,
  TypeProtoTensor,
  ValueInfoProto,
  WireType,
} from './fields';
import type { ProtoReader } from './protoReader';
import type { AttributeInfo, Dim, InlineDataRef, NodeInfo, OpsetImport, TensorInfo, ValueInfo } from './types';

/** Subgraphs found inside a node, for the caller to read once the node is decoded. */
export type PendingGraphs = { attr: AttributeInfo; many: boolean; start: number; end: number }[];

/** External data entries of a tensor (key/value pairs). */
export type ExternalEntries = { key: string; value: string }[];

/** Completes a decoded tensor: checked element count, storage size, external data. */
export type FinishTensor = (t: TensorInfo, ext: ExternalEntries, location: number, start: number) => TensorInfo;

/** The attribute map of nodes without attributes (most of them): shared, and never written to. */
const NO_ATTRIBUTES: ReadonlyMap<string, AttributeInfo> = new Map();

const LEN = WireType.lengthDelimited;

/** A repeated int64 field, packed or not. */
function repeatedInts(r: ProtoReader, wire: number, out: number[]): void {
  if (wire !== LEN) {
    out.push(r.int64());
    return;
  }
  const outer = r.enter();
  while (r.pos < r.end) out.push(r.int64());
  r.leave(outer);
}

/** A repeated float field, packed or not. */
function repeatedFloats(r: ProtoReader, wire: number, out: number[]): void {
  if (wire !== LEN) {
    out.push(r.float());
    return;
  }
  const outer = r.enter();
  while (r.pos < r.end) out.push(r.float());
  r.leave(outer);
}

/** Longest packed dims list that can still hold no more than the rank limit (10 bytes a varint at most). */
const MAX_PACKED_DIMS_BYTES = ONNX_LIMITS.rank * 10;

/**
 * The dims of a tensor, checked against the rank limit before a long list is decoded: a packed list of
 * millions of one-byte dims would otherwise become an array of millions first.
 */
function tensorDims(r: ProtoReader, wire: number, out: number[]): void {
  if (wire === LEN) {
    const at = r.pos;
    if (r.length() > MAX_PACKED_DIMS_BYTES) throw new OnnxLimitError('rank', ONNX_LIMITS.rank, r.base + at);
    r.pos = at;
  }
  repeatedInts(r, wire, out);
  if (out.length > ONNX_LIMITS.rank) throw new OnnxLimitError('rank', ONNX_LIMITS.rank, r.offset);
}

/** A StringStringEntryProto (key, value). */
export function decodeEntry(r: ProtoReader): { key: string; value: string } {
  const kv = { key: '', value: '' };
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag >>> 3 === StringStringEntryProto.key) kv.key = r.string();
    else if (tag >>> 3 === StringStringEntryProto.value) kv.value = r.string();
    else r.skip(tag & 7);
  }
  return kv;
}

/** The typed data fields of TensorProto, in the order the first non-empty one gives the values. */
const VALUE_FIELDS: readonly number[] = [
  TensorProto.float_data,
  TensorProto.int32_data,
  TensorProto.int64_data,
  TensorProto.double_data,
  TensorProto.uint64_data,
];

/** How a length-delimited TensorProto `field` holds the tensor's data; undefined for the other fields. */
export function payloadEncoding(field: number): InlineDataRef['encoding'] | undefined {
  switch (field) {
    case TensorProto.raw_data:
      return 'raw';
    case TensorProto.float_data:
      return 'fixed32';
    case TensorProto.double_data:
      return 'fixed64';
    case TensorProto.int32_data:
    case TensorProto.int64_data:
    case TensorProto.uint64_data:
      return 'varint';
    default:
      return undefined;
  }
}

/** One unpacked value of a typed data field, as protobufjs reads it (int32 wraps, uint64 is unsigned). */
function unpackedValue(r: ProtoReader, field: number): number {
  switch (field) {
    case TensorProto.float_data:
      return r.float();
    case TensorProto.double_data:
      return r.double();
    case TensorProto.uint64_data:
      return r.uint();
    case TensorProto.int32_data:
      return r.int64() | 0;
    default:
      return r.int64();
  }
}

/**
 * Tensors up to this many elements get their values decoded while their bytes are in the read window:
 * shape inference folds such constants (axes, shapes, scalars), and reading them back later would cost
 * a file read each.
 */
const EAGER_VALUES = 64;

/** What a TensorProto holds besides the members of TensorInfo. */
interface TensorExtras {
  location: number;
  ext: ExternalEntries | undefined;
  /** Unpacked values by typed data field (VALUE_FIELDS order); normally only one is present. */
  slots: (number[] | undefined)[] | undefined;
  unpacked: number;
}

/** Reads the field whose tag began at file offset `at` into `info` and `x`. */
function tensorField(r: ProtoReader, tag: number, at: number, info: TensorInfo, x: TensorExtras): void {
  const field = tag >>> 3;
  const wire = tag & 7;
  if (field === TensorProto.dims) tensorDims(r, wire, info.dims);
  else if (field === TensorProto.data_type) info.dtype = r.int64() | 0;
  else if (field === TensorProto.name) info.name = r.string();
  else if (field === TensorProto.data_location) x.location = r.uint();
  else if (field === TensorProto.string_data) {
    // Repeated string_data: keep the span of all its fields, tags included, and decode it on demand.
    r.skip(wire);
    const d = info.data;
    if (d?.kind === 'inline' && d.encoding === 'strings') d.length = r.offset - d.offset;
    else info.data = { kind: 'inline', offset: at, length: r.offset - at, encoding: 'strings' };
  } else if (field === TensorProto.external_data) {
    if ((x.ext?.length ?? 0) >= ONNX_LIMITS.entries) throw new OnnxLimitError('entries', ONNX_LIMITS.entries, at);
    const outer = r.enter();
    (x.ext ??= []).push(decodeEntry(r));
    r.leave(outer);
  } else if (payloadEncoding(field) && (wire === LEN || field === TensorProto.raw_data)) {
    const n = r.length();
    info.data = {
      kind: 'inline',
      offset: r.offset,
      length: n,
      encoding: payloadEncoding(field) as InlineDataRef['encoding'],
    };
    r.pos += n;
  } else if (payloadEncoding(field)) {
    if (++x.unpacked > ONNX_LIMITS.unpackedValues)
      throw new OnnxLimitError('unpackedValues', ONNX_LIMITS.unpackedValues, at);
    const slots = (x.slots ??= [undefined, undefined, undefined, undefined, undefined]);
    (slots[VALUE_FIELDS.indexOf(field)] ??= []).push(unpackedValue(r, field));
  } else r.skip(wire);
}

/** Decodes a TensorProto, recording where its payload is; `finish` checks it and resolves external data. */
export function decodeTensor(r: ProtoReader, finish: FinishTensor): TensorInfo {
  const start = r.offset;
  // Every member in the literal, `values` included: a member added later changes the object's map.
  const info: TensorInfo = { name: '', dtype: 0, dims: [], elements: 0, bytes: 0, data: undefined, values: undefined };
  const x: TensorExtras = { location: DataLocation.DEFAULT, ext: undefined, slots: undefined, unpacked: 0 };
  while (r.pos < r.end) {
    const at = r.offset;
    tensorField(r, r.tag(), at, info, x);
  }
  if (x.slots) info.values = x.slots.find((s) => s !== undefined);
  const done = finish(info, x.ext ?? [], x.location, start);
  const d = done.data;
  if (!done.values && d?.kind === 'inline' && d.encoding !== 'strings' && done.elements <= EAGER_VALUES) {
    const v = decodeInline(r.buf, d.offset - r.base, d.length, d.encoding, done.dtype, done.elements);
    if (v) done.values = v;
  }
  return done;
}

/** IR 1 files have no attribute type field: the type follows from which member is set. */
export function inferAttributeType(a: AttributeInfo): number {
  if (a.floats) return AttributeType.FLOATS;
  if (a.ints) return AttributeType.INTS;
  if (a.strings) return AttributeType.STRINGS;
  if (a.tensors) return AttributeType.TENSORS;
  if (a.graphs) return AttributeType.GRAPHS;
  if (a.t) return AttributeType.TENSOR;
  if (a.g) return AttributeType.GRAPH;
  if (a.s !== undefined) return AttributeType.STRING;
  if (a.i !== undefined) return AttributeType.INT;
  if (a.f !== undefined) return AttributeType.FLOAT;
  return AttributeType.UNDEFINED;
}

/** Reads one field of an AttributeProto into `a`; graphs go to `pending`. */
function attributeField(
  r: ProtoReader,
  tag: number,
  a: AttributeInfo,
  pending: PendingGraphs,
  finish: FinishTensor,
): void {
  const field = tag >>> 3;
  switch (field) {
    case AttributeProto.name:
      a.name = r.string();
      break;
    case AttributeProto.type:
      a.type = r.uint();
      break;
    case AttributeProto.f:
      a.f = r.float();
      break;
    case AttributeProto.i:
      a.i = r.int64();
      break;
    case AttributeProto.s:
      a.s = r.string();
      break;
    case AttributeProto.floats:
      repeatedFloats(r, tag & 7, (a.floats ??= []));
      break;
    case AttributeProto.ints:
      repeatedInts(r, tag & 7, (a.ints ??= []));
      break;
    case AttributeProto.strings:
      (a.strings ??= []).push(r.string());
      break;
    case AttributeProto.t:
    case AttributeProto.tensors: {
      const outer = r.enter();
      const t = decodeTensor(r, finish);
      if (field === AttributeProto.t) a.t = t;
      else (a.tensors ??= []).push(t);
      r.leave(outer);
      break;
    }
    case AttributeProto.g:
    case AttributeProto.graphs: {
      const n = r.length();
      pending.push({ attr: a, many: field === AttributeProto.graphs, start: r.offset, end: r.offset + n });
      r.pos += n;
      break;
    }
    default:
      r.skip(tag & 7);
  }
}

/** Decodes an AttributeProto; its graphs are appended to `pending`. The caller infers a missing type. */
export function decodeAttribute(r: ProtoReader, pending: PendingGraphs, finish: FinishTensor): AttributeInfo {
  // All members present from the start (unset ones undefined), so that attributes of every type share
  // one object map and setting a member is a plain store rather than a map transition.
  const a: AttributeInfo = {
    name: '',
    type: 0,
    f: undefined,
    i: undefined,
    s: undefined,
    t: undefined,
    g: undefined,
    floats: undefined,
    ints: undefined,
    strings: undefined,
    tensors: undefined,
    graphs: undefined,
  };
  while (r.pos < r.end) attributeField(r, r.tag(), a, pending, finish);
  return a;
}

/** Names of the node being decoded, copied out at the end at their exact length (nodes never nest here). */
const inputsScratch: string[] = [];
const outputsScratch: string[] = [];

/** Decodes a NodeProto; subgraph attributes are appended to `pending` for the caller to read. */
export function decodeNode(r: ProtoReader, pending: PendingGraphs, finish: FinishTensor): NodeInfo {
  let name = '';
  let opType = '';
  let domain = '';
  // Counts rather than `length = 0`, which would drop the scratch arrays' storage every node.
  let nIn = 0;
  let nOut = 0;
  let attributes: Map<string, AttributeInfo> | undefined;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag >>> 3) {
      case NodeProto.input:
        inputsScratch[nIn++] = r.string();
        break;
      case NodeProto.output:
        outputsScratch[nOut++] = r.string();
        break;
      case NodeProto.name:
        name = r.string();
        break;
      case NodeProto.op_type:
        opType = r.string();
        break;
      case NodeProto.domain:
        domain = r.string();
        break;
      case NodeProto.attribute: {
        const outer = r.enter();
        const a = decodeAttribute(r, pending, finish);
        if (!a.type) a.type = inferAttributeType(a);
        (attributes ??= new Map()).set(a.name, a);
        r.leave(outer);
        break;
      }
      default:
        r.skip(tag & 7);
    }
  }
  // Copies at their exact length: arrays grown by push keep spare room, which the scavenger would then
  // copy for every node.
  return {
    name,
    opType,
    domain,
    inputs: inputsScratch.slice(0, nIn),
    outputs: outputsScratch.slice(0, nOut),
    attributes: attributes ?? NO_ATTRIBUTES,
  };
}

/** A TensorShapeProto.Dimension: a non-empty dim_param wins, then dim_value, else unknown (null). */
function decodeDimension(r: ProtoReader): Dim {
  let value: number | undefined;
  let param = '';
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag >>> 3 === Dimension.dim_value) value = r.int64();
    else if (tag >>> 3 === Dimension.dim_param) param = r.string();
    else r.skip(tag & 7);
  }
  if (param) return param;
  return value === undefined ? null : value;
}

function decodeShape(r: ProtoReader): Dim[] {
  const dims: Dim[] = [];
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag >>> 3 !== TensorShapeProto.dim) {
      r.skip(tag & 7);
      continue;
    }
    if (dims.length >= ONNX_LIMITS.rank) throw new OnnxLimitError('rank', ONNX_LIMITS.rank, r.offset);
    const outer = r.enter();
    dims.push(decodeDimension(r));
    r.leave(outer);
  }
  return dims;
}

/** A TypeProto.Tensor or TypeProto.SparseTensor: element type and shape (undefined when none is given). */
interface TensorType {
  elemType: number;
  shape: Dim[] | undefined;
}

function decodeTensorType(r: ProtoReader): TensorType {
  const tt: TensorType = { elemType: 0, shape: undefined };
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag >>> 3 === TypeProtoTensor.elem_type) tt.elemType = r.int64() | 0;
    else if (tag >>> 3 === TypeProtoTensor.shape) {
      const outer = r.enter();
      tt.shape = decodeShape(r);
      r.leave(outer);
    } else r.skip(tag & 7);
  }
  return tt;
}

/** A TypeProto reduced to what the summary uses: a tensor type, or the kind of the others. */
function decodeType(r: ProtoReader): Omit<ValueInfo, 'name'> {
  let dense: TensorType | undefined;
  let sparse: TensorType | undefined;
  let kind = 'unknown';
  while (r.pos < r.end) {
    const tag = r.tag();
    const field = tag >>> 3;
    if (field === TypeProto.tensor_type || field === TypeProto.sparse_tensor_type) {
      const outer = r.enter();
      if (field === TypeProto.tensor_type) dense = decodeTensorType(r);
      else sparse = decodeTensorType(r);
      r.leave(outer);
      continue;
    }
    if (field === TypeProto.sequence_type) kind = 'sequence';
    else if (field === TypeProto.map_type && kind !== 'sequence') kind = 'map';
    else if (field === TypeProto.optional_type && kind === 'unknown') kind = 'optional';
    r.skip(tag & 7);
  }
  const tt = dense ?? sparse;
  if (tt) return { dtype: tt.elemType, shape: tt.shape, kind: dense ? 'tensor' : 'sparse_tensor' };
  return { dtype: 0, shape: undefined, kind };
}

/** Decodes a ValueInfoProto (graph input, output or value_info) into the reader's plain form. */
export function decodeValueInfo(r: ProtoReader): ValueInfo {
  let name = '';
  let type: Omit<ValueInfo, 'name'> | undefined;
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag >>> 3 === ValueInfoProto.name) name = r.string();
    else if (tag >>> 3 === ValueInfoProto.type) {
      // A repeated singular message field replaces the earlier one, as protobufjs decodes it.
      const outer = r.enter();
      type = decodeType(r);
      r.leave(outer);
    } else r.skip(tag & 7);
  }
  return { name, ...(type ?? { dtype: 0, shape: undefined, kind: 'unknown' }) };
}

/** Decodes an OperatorSetIdProto (domain, version). */
export function decodeOpset(r: ProtoReader): OpsetImport {
  let domain = '';
  let version = 0;
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag >>> 3 === OperatorSetIdProto.domain) domain = r.string();
    else if (tag >>> 3 === OperatorSetIdProto.version) version = r.int64();
    else r.skip(tag & 7);
  }
  return { domain, version };
}
