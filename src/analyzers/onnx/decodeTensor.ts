/**
 * Decoder of TensorProto headers: name, type, dims (checked against the rank limit), where the payload
 * lies (inline span or external data entries) and, for small tensors, their values. The payload itself is
 * never copied.
 */
import { ONNX_LIMITS, OnnxLimitError } from './limits';
import { decodeInline } from './tensorData';
import { decodeEntry, repeatedInts } from './decodeScalars';
import { DataLocation, TensorProto, WireType } from './fields';
import type { ProtoReader } from './protoReader';
import type { InlineDataRef, TensorInfo } from './types';

/** External data entries of a tensor (key/value pairs). */
export type ExternalEntries = { key: string; value: string }[];

/** Completes a decoded tensor: checked element count, storage size, external data. */
export type FinishTensor = (t: TensorInfo, ext: ExternalEntries, location: number, start: number) => TensorInfo;

const LEN = WireType.lengthDelimited;

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
