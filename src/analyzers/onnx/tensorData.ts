/**
 * Decoding of tensor values from their recorded positions. Used for the small constant tensors that shape
 * inference folds (Reshape targets, Slice bounds, Resize scales), never for weights.
 */
import type { ByteSource } from './source';
import type { InlineDataRef, TensorInfo } from './types';
import { ProtoReader, asBuffer } from './protoReader';

/** Tensors with more elements than this are not decoded for constant folding. */
export const MAX_FOLD_ELEMENTS = 4096;

/** Bytes per element of the types raw_data is decoded for; 0 for the others (float16, strings, ...). */
function rawWidth(dtype: number): number {
  switch (dtype) {
    case 2:
    case 3:
    case 9:
      return 1;
    case 4:
    case 5:
      return 2;
    case 1:
    case 6:
    case 12:
      return 4;
    case 7:
    case 11:
    case 13:
      return 8;
    default:
      return 0;
  }
}

/** One little-endian value of `dtype` at byte `o` (a switch, not a table of closures: no allocation per call). */
function rawValue(view: DataView, dtype: number, o: number): number {
  switch (dtype) {
    case 1:
      return view.getFloat32(o, true);
    case 2:
    case 9:
      return view.getUint8(o);
    case 3:
      return view.getInt8(o);
    case 4:
      return view.getUint16(o, true);
    case 5:
      return view.getInt16(o, true);
    case 6:
      return view.getInt32(o, true);
    // 64-bit integers from two halves: exact below 2^53 and rounded once above, as Number(BigInt) does.
    // Values that fit in 32 bits are read as such, so that they stay small integers (see protoReader.ts).
    case 7: {
      const hi = view.getInt32(o + 4, true);
      const lo = view.getInt32(o, true);
      if ((hi === 0 && lo >= 0) || (hi === -1 && lo < 0)) return lo;
      return hi * 2 ** 32 + view.getUint32(o, true);
    }
    case 11:
      return view.getFloat64(o, true);
    case 12:
      return view.getUint32(o, true);
    default: {
      const hi = view.getUint32(o + 4, true);
      return hi === 0 ? view.getUint32(o, true) : hi * 2 ** 32 + view.getUint32(o, true);
    }
  }
}

/** Up to `elements` packed varints (uint64 for dtype 13, else int64); undefined when one is cut off. */
function decodeVarints(
  buf: Uint8Array,
  at: number,
  length: number,
  dtype: number,
  elements: number,
): number[] | undefined {
  const out: number[] = [];
  const r = new ProtoReader(asBuffer(buf), at, at + length);
  try {
    while (r.pos < r.end && out.length < elements) out.push(dtype === 13 ? r.uint() : r.int64());
  } catch {
    return undefined;
  }
  return out;
}

/**
 * Values of an inline tensor whose payload is buf[at, at + length): at most `elements` of them, or
 * undefined when the type is not decoded or the payload is short or corrupt. Throws nothing.
 */
export function decodeInline(
  buf: Uint8Array,
  at: number,
  length: number,
  encoding: InlineDataRef['encoding'],
  dtype: number,
  elements: number,
): number[] | undefined {
  const out: number[] = [];
  const view = new DataView(buf.buffer, buf.byteOffset + at, length);
  if (encoding === 'raw') {
    const w = rawWidth(dtype);
    if (w === 0 || length < w * elements) return undefined;
    for (let i = 0; i < elements; i++) out.push(rawValue(view, dtype, i * w));
    return out;
  }
  if (encoding === 'varint') return decodeVarints(buf, at, length, dtype, elements);
  if (encoding !== 'fixed32' && encoding !== 'fixed64') return undefined;
  const step = encoding === 'fixed32' ? 4 : 8;
  for (let o = 0; o + step <= length && out.length < elements; o += step)
    out.push(step === 4 ? view.getFloat32(o, true) : view.getFloat64(o, true));
  return out;
}

/**
 * Returns the values of a small inline tensor as numbers, or undefined when the tensor is external, too
 * large, a string tensor, or its bytes do not decode. Throws nothing on corrupt data.
 */
export function readTensorValues(
  src: ByteSource,
  t: TensorInfo,
  maxElements = MAX_FOLD_ELEMENTS,
): number[] | undefined {
  if (t.elements > maxElements) return undefined;
  if (t.values) return t.values.slice(0, t.elements);
  const d = t.data;
  if (!d || d.kind !== 'inline' || d.encoding === 'strings') return t.elements === 0 ? [] : undefined;
  // No value needs more than 16 bytes (a varint takes at most 10): a huge length is never read whole.
  const length = Math.min(d.length, 16 * t.elements + 16);
  if (d.offset < 0 || d.offset + length > src.size) return undefined;
  let bytes: Uint8Array;
  try {
    bytes = src.read(d.offset, length);
  } catch {
    return undefined;
  }
  return decodeInline(bytes, 0, length, d.encoding, t.dtype, t.elements);
}
