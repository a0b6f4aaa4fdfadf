/**
 * Tensors read without their payloads: a TensorProto is scanned field by field, its raw or packed data
 * recorded as an offset and length in the file and only its small fields decoded; the element count is
 * checked, and external data is kept as its file, offset and length. Sparse initializers are read the
 * same way through their values tensor.
 */
import { dtypeBytes } from './dtypes';
import { OnnxReadError, guarded } from './errors';
import { FieldScanner, RangeList } from './wire';
import { asBuffer } from './protoReader';
import { payloadEncoding, decodeTensor, type ExternalEntries } from './decode';
import { DataLocation, SparseTensorProto, TensorProto } from './fields';
import { MAX_DOC_BYTES, MAX_SMALL_BYTES, gathered, type Ctx } from './readContext';
import type { InlineDataRef, TensorInfo } from './types';

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
export function finishTensor(t: TensorInfo, ext: ExternalEntries, location: number, start: number): TensorInfo {
  const elements = checkedElements(t.dims, start);
  t.elements = elements;
  t.bytes = dtypeBytes(t.dtype, elements);
  if (location === DataLocation.EXTERNAL) t.data = externalRef(ext, start);
  return t;
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

/** Reads a SparseTensorProto as its values tensor with the dense dims; undefined when it has no values. */
export function readSparse(ctx: Ctx, start: number, end: number): TensorInfo | undefined {
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
