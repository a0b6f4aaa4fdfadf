/**
 * On-demand decoding of tensor values from their recorded positions. Used for the small constant tensors
 * that shape inference folds (Reshape targets, Slice bounds, Resize scales), never for weights.
 */
import type { ByteSource } from './source';
import type { TensorInfo } from './types';
import { readSignedVarint, readVarint, varintEnd } from './wire';
import { guarded } from './errors';

/** Tensors with more elements than this are not decoded for constant folding. */
export const MAX_FOLD_ELEMENTS = 4096;

function fromRaw(bytes: Uint8Array, dtype: number, count: number): number[] | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: number[] = [];
  const reads: Record<number, [number, (o: number) => number]> = {
    1: [4, (o) => view.getFloat32(o, true)],
    2: [1, (o) => view.getUint8(o)],
    3: [1, (o) => view.getInt8(o)],
    4: [2, (o) => view.getUint16(o, true)],
    5: [2, (o) => view.getInt16(o, true)],
    6: [4, (o) => view.getInt32(o, true)],
    7: [8, (o) => Number(view.getBigInt64(o, true))],
    9: [1, (o) => view.getUint8(o)],
    11: [8, (o) => view.getFloat64(o, true)],
    12: [4, (o) => view.getUint32(o, true)],
    13: [8, (o) => Number(view.getBigUint64(o, true))],
  };
  const r = reads[dtype];
  if (!r || bytes.length < r[0] * count) return undefined;
  for (let i = 0; i < count; i++) out.push(r[1](i * r[0]));
  return out;
}

function fromPacked(src: ByteSource, t: TensorInfo, offset: number, length: number, encoding: string): number[] | undefined {
  const out: number[] = [];
  if (encoding === 'varint') {
    let pos = offset;
    while (pos < offset + length && out.length < t.elements) {
      out.push(t.dtype === 13 ? readVarint(src, pos, offset + length) : readSignedVarint(src, pos, offset + length));
      pos = varintEnd;
    }
    return out;
  }
  const bytes = src.read(offset, length);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const step = encoding === 'fixed32' ? 4 : 8;
  for (let o = 0; o + step <= bytes.length && out.length < t.elements; o += step) out.push(step === 4 ? view.getFloat32(o, true) : view.getFloat64(o, true));
  return out;
}

/**
 * Returns the values of a small inline tensor as numbers, or undefined when the tensor is external, too
 * large, a string tensor, or its bytes do not decode. Throws nothing on corrupt data.
 */
export function readTensorValues(src: ByteSource, t: TensorInfo, maxElements = MAX_FOLD_ELEMENTS): number[] | undefined {
  if (t.elements > maxElements) return undefined;
  if (t.values) return t.values.slice(0, t.elements);
  const d = t.data;
  if (!d || d.kind !== 'inline' || d.encoding === 'strings') return t.elements === 0 ? [] : undefined;
  try {
    return guarded('tensor values', () => {
      if (d.encoding === 'raw') return fromRaw(src.read(d.offset, Math.min(d.length, 16 * t.elements + 16)), t.dtype, t.elements);
      return fromPacked(src, t, d.offset, d.length, d.encoding);
    });
  } catch {
    return undefined;
  }
}
