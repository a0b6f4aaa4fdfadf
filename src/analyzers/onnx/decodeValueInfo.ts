/**
 * Decoder of ValueInfoProto (graph inputs, outputs and value_info) with its TypeProto reduced to what the
 * summary uses: element type and shape of a tensor type, or the kind of the other types.
 */
import { ONNX_LIMITS, OnnxLimitError } from './limits';
import { Dimension, TensorShapeProto, TypeProto, TypeProtoTensor, ValueInfoProto } from './fields';
import type { ProtoReader } from './protoReader';
import type { Dim, ValueInfo } from './types';

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

/** A TensorShapeProto: its dims, no more than the rank limit. */
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

/** Decodes a TypeProto.Tensor or TypeProto.SparseTensor (both have these field numbers). */
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
