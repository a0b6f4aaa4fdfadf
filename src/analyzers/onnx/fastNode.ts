/**
 * Hand-written decoding of NodeProto, AttributeProto and small TensorProto messages straight from the read
 * window. These three messages make up almost all of a model's structure (vit_b_16: 1,692 nodes, 461
 * Constant tensors), and going through protobufjs for each (a Reader, Long objects, a gathered copy per
 * message) made reading that export cost ~110 ms of a cold process against ~40 ms this way, most of it
 * garbage collection. Everything else (graph inputs with their TypeProto, the model header, external data
 * entries) still goes through the protobufjs classes compiled from onnx.proto, which stay the schema:
 * the field numbers below are theirs, and test/unit/onnx-decoder.test.ts checks this decoder against a
 * full protobufjs decode of every corpus model.
 *
 * Written for a process that runs it once: a summary is over before the JIT optimises much, and in
 * interpreted code every property access goes through an inline-cache stub. So the cursor is module state
 * (closure variables cost a fraction of `this.pos`), one-byte tags and lengths are read inline, whole tags
 * (field number and wire type in one byte) are compared instead of split, and nothing is allocated per
 * field. The decoder is not re-entrant: subgraphs are handed back to the caller (PendingGraphs).
 */
import { OnnxReadError } from './errors';
import { ONNX_LIMITS, OnnxLimitError } from './limits';
import { decodeInline } from './tensorData';
import { decodeSignedVarint64, signedVarintLength } from './wire';
import type { AttributeInfo, Dim, InlineDataRef, NodeInfo, OpsetImport, TensorInfo, ValueInfo } from './types';

type Utf8Slice = (this: Buffer, start: number, end: number) => string;
/**
 * Buffer's native UTF-8 slice, called directly. A JavaScript loop or a TextDecoder per name costs more in
 * a cold process, and so does buf.toString('utf8', s, e): its argument checks and encoding lookup run as
 * interpreted code on every call (8,000 names: ~20 ms against ~3.5 ms). utf8Slice is what toString calls
 * underneath; should a Node.js release drop it, toString is used instead.
 */
const utf8Slice: Utf8Slice =
  (Buffer.prototype as unknown as { utf8Slice?: Utf8Slice }).utf8Slice ??
  function (this: Buffer, start: number, end: number): string {
    return this.toString('utf8', start, end);
  };

/** Scratch for reading little-endian floats without a DataView per value. */
const f32 = new Float32Array(1);
const f32Bytes = new Uint8Array(f32.buffer);
const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);

/** The attribute map of nodes without attributes (most of them): shared, and never written to. */
const NO_ATTRIBUTES: ReadonlyMap<string, AttributeInfo> = new Map();

/** The message being decoded: bytes [pos, end) of buf, whose byte 0 is file offset `base`. */
let buf: Buffer = Buffer.alloc(0);
let pos = 0;
let end = 0;
let base = 0;

function fail(what: string): never {
  throw new OnnxReadError('truncated', `${what} runs past the end of its message (truncated or corrupt file)`, base + pos);
}

/** Unsigned varint (exact up to 2^53). Callers read one-byte values inline and call this for the rest. */
function uvarint(): number {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= end) fail('a number');
    const b = buf[pos++] as number;
    value += (b & 0x7f) * scale;
    if (b < 0x80) return value;
    scale *= 128;
  }
  throw new OnnxReadError('malformed', 'unterminated number', base + pos);
}

/** Signed 64-bit varint (two's complement, as int64 fields store negatives). */
function svarint(): number {
  const b0 = pos < end ? (buf[pos] as number) : 0x80;
  if (b0 < 0x80) {
    pos++;
    return b0;
  }
  const n = Math.min(10, end - pos);
  const value = decodeSignedVarint64(buf, pos, n);
  if (signedVarintLength === 0) {
    if (n < 10) fail('a number');
    throw new OnnxReadError('malformed', 'unterminated number', base + pos);
  }
  pos += signedVarintLength;
  return value;
}

/** Length prefix of a length-delimited field, checked against the message end. */
function len(): number {
  let n = pos < end ? (buf[pos] as number) : 0x80;
  if (n < 0x80) pos++;
  else n = uvarint();
  if (pos + n > end) fail('a field');
  return n;
}

function str(): string {
  const n = len();
  const s = pos;
  pos = s + n;
  return utf8Slice.call(buf, s, pos);
}

function skip(wire: number): void {
  if (wire === 0) uvarint();
  else if (wire === 1) pos += 8;
  else if (wire === 5) pos += 4;
  else if (wire === 2) {
    // Not `pos += len()`: that reads pos before len() moves it past the length prefix.
    const n = len();
    pos += n;
  } else throw new OnnxReadError('malformed', `unsupported protobuf wire type ${wire}: this is not an ONNX protobuf file`, base + pos);
  if (pos > end) fail('a field');
}

function float32(): number {
  if (pos + 4 > end) fail('a float');
  f32Bytes[0] = buf[pos] as number;
  f32Bytes[1] = buf[pos + 1] as number;
  f32Bytes[2] = buf[pos + 2] as number;
  f32Bytes[3] = buf[pos + 3] as number;
  pos += 4;
  return f32[0] as number;
}

function float64(): number {
  if (pos + 8 > end) fail('a double');
  for (let i = 0; i < 8; i++) f64Bytes[i] = buf[pos + i] as number;
  pos += 8;
  return f64[0] as number;
}

/** A repeated int64 field, packed or not. */
function repeatedInts(wire: number, out: number[]): void {
  if (wire !== 2) {
    out.push(svarint());
    return;
  }
  const stop = pos + len();
  while (pos < stop) out.push(svarint());
  if (pos !== stop) fail('a packed list');
}

/** Longest packed dims list that can still hold no more than the rank limit (10 bytes a varint at most). */
const MAX_PACKED_DIMS_BYTES = ONNX_LIMITS.rank * 10;

/**
 * The dims of a tensor, checked against the rank limit before a long list is decoded: a packed list of
 * millions of one-byte dims would otherwise become an array of millions first.
 */
function tensorDims(wire: number, out: number[]): void {
  if (wire === 2 && pos < end && (buf[pos] as number) >= 0x80) {
    const save = pos;
    const n = len();
    pos = save;
    if (n > MAX_PACKED_DIMS_BYTES) throw new OnnxLimitError('rank', ONNX_LIMITS.rank, base + pos);
  }
  repeatedInts(wire, out);
  if (out.length > ONNX_LIMITS.rank) throw new OnnxLimitError('rank', ONNX_LIMITS.rank, base + pos);
}

/** A repeated float field, packed or not. */
function repeatedFloats(wire: number, out: number[]): void {
  if (wire !== 2) {
    out.push(float32());
    return;
  }
  const stop = pos + len();
  while (pos < stop) out.push(float32());
  if (pos !== stop) fail('a packed list');
}

/** Reads a tag: field number and wire type, as one number. */
function tag(): number {
  const t = buf[pos] as number;
  if (t < 0x80) {
    pos++;
    return t;
  }
  return uvarint();
}

/**
 * Subgraphs found inside a node, read by the general reader after the node is decoded: the node is
 * decoded in place in the shared read window, which reading a subgraph would overwrite.
 */
export type PendingGraphs = { attr: AttributeInfo; many: boolean; start: number; end: number }[];

/** External data entries of a tensor (key/value pairs), as the general reader receives them. */
export type ExternalEntries = { key: string; value: string }[];

/** Completes a decoded tensor: checked element count, storage size, external data. */
export type FinishTensor = (t: TensorInfo, ext: ExternalEntries, location: number, start: number) => TensorInfo;

function entry(stop: number): { key: string; value: string } {
  const outer = end;
  end = stop;
  const kv = { key: '', value: '' };
  while (pos < stop) {
    const t = tag();
    if (t === 10) kv.key = str();
    else if (t === 18) kv.value = str();
    else skip(t & 7);
  }
  end = outer;
  return kv;
}

/** Typed data fields of TensorProto stored packed (wire type 2): float, int32, int64, double, uint64. */
function packedEncoding(num: number): InlineDataRef['encoding'] | undefined {
  if (num === 4) return 'fixed32';
  if (num === 5 || num === 7 || num === 11) return 'varint';
  if (num === 10) return 'fixed64';
  return undefined;
}

/**
 * Tensors up to this many elements get their values decoded while their bytes are in the read window:
 * shape inference folds such constants (axes, shapes, scalars), and reading them back later would cost
 * a file read each.
 */
const EAGER_VALUES = 64;

/** Which unpacked typed-data field a value came from: float, int32, int64, double, uint64 (that order). */
function valueSlot(num: number): number {
  if (num === 4) return 0;
  if (num === 5) return 1;
  if (num === 7) return 2;
  if (num === 10) return 3;
  return 4;
}

/** Decodes a TensorProto in [pos, stop), recording where its payload is. */
function tensor(stop: number, finish: FinishTensor): TensorInfo {
  const outer = end;
  end = stop;
  const start = base + pos;
  const dims: number[] = [];
  let dtype = 0;
  let name = '';
  let location = 0;
  let data: InlineDataRef | undefined;
  // Unpacked typed values by field; like the protobufjs reader, the first non-empty field in
  // float, int32, int64, double, uint64 order gives the values (normally only one is present).
  let slots: (number[] | undefined)[] | undefined;
  let unpacked = 0;
  let ext: ExternalEntries | undefined;
  while (pos < stop) {
    const tagAt = base + pos;
    const t = tag();
    const wire = t & 7;
    const num = (t - wire) / 8;
    if (num === 1) tensorDims(wire, dims);
    else if (t === 16) dtype = uvarint();
    else if (t === 66) name = str();
    else if (t === 112) location = uvarint();
    else if (wire === 2 && (num === 9 || packedEncoding(num))) {
      const n = len();
      data = { kind: 'inline', offset: base + pos, length: n, encoding: packedEncoding(num) ?? 'raw' };
      pos += n;
    } else if ((t === 40 || t === 56 || t === 88 || t === 37 || t === 81)) {
      const v = t === 88 ? uvarint() : t === 37 ? float32() : t === 81 ? float64() : svarint();
      const slot = valueSlot(num);
      if (++unpacked > ONNX_LIMITS.unpackedValues) throw new OnnxLimitError('unpackedValues', ONNX_LIMITS.unpackedValues, tagAt);
      slots ??= [undefined, undefined, undefined, undefined, undefined];
      (slots[slot] ??= []).push(num === 5 ? v | 0 : v);
    } else if (t === 106) {
      const e = len() + pos;
      if ((ext?.length ?? 0) >= ONNX_LIMITS.entries) throw new OnnxLimitError('entries', ONNX_LIMITS.entries, tagAt);
      (ext ??= []).push(entry(e));
      pos = e;
    } else if (t === 50) {
      // Repeated string_data: keep the span of all its fields (tags included), as the general reader does.
      skip(wire);
      if (data?.encoding === 'strings') data.length = base + pos - data.offset;
      else data = { kind: 'inline', offset: tagAt, length: base + pos - tagAt, encoding: 'strings' };
    } else skip(wire);
  }
  end = outer;
  // Every field in the literal, `values` included: a field added later changes the object's map.
  const info: TensorInfo = { name, dtype, dims, elements: 0, bytes: 0, data, values: undefined };
  if (slots) {
    for (let i = 0; i < slots.length && !info.values; i++) if (slots[i]) info.values = slots[i];
  }
  const done = finish(info, ext ?? [], location, start);
  const d = done.data;
  if (!done.values && d?.kind === 'inline' && d.encoding !== 'strings' && done.elements <= EAGER_VALUES) {
    const v = decodeInline(buf, d.offset - base, d.length, d.encoding, dtype, done.elements);
    if (v) done.values = v;
  }
  return done;
}

function attribute(stop: number, pending: PendingGraphs, finish: FinishTensor): AttributeInfo {
  // All members present from the start (unset ones undefined), so that attributes of every type share
  // one object map and setting a member is a plain store rather than a map transition.
  const a: AttributeInfo = { name: '', type: 0, f: undefined, i: undefined, s: undefined, t: undefined, g: undefined, floats: undefined, ints: undefined, strings: undefined, tensors: undefined, graphs: undefined };
  const outer = end;
  end = stop;
  while (pos < stop) {
    const t = tag();
    if (t === 10) a.name = str();
    else if (t === 160) a.type = uvarint();
    else if (t === 21) a.f = float32();
    else if (t === 24) a.i = svarint();
    else if (t === 34) a.s = str();
    else if (t >= 56 && t < 64) repeatedFloats(t & 7, (a.floats ??= []));
    else if (t >= 64 && t < 72) repeatedInts(t & 7, (a.ints ??= []));
    else if (t === 74) (a.strings ??= []).push(str());
    else if (t === 42 || t === 82 || t === 50 || t === 90) {
      const e = len() + pos;
      if (t === 42) a.t = tensor(e, finish);
      else if (t === 82) (a.tensors ??= []).push(tensor(e, finish));
      else pending.push({ attr: a, many: t === 90, start: base + pos, end: base + e });
      pos = e;
    } else skip(t & 7);
  }
  end = outer;
  return a;
}

/** Names of the node being decoded, copied out at the end at their exact length. */
const inputsScratch: string[] = [];
const outputsScratch: string[] = [];

/**
 * Decodes the NodeProto in b[at, stop), whose byte 0 is file offset `fileBase`. Subgraph attributes are
 * appended to `pending` for the caller to read once this returns.
 */
export function decodeNode(b: Buffer, at: number, stop: number, fileBase: number, pending: PendingGraphs, finish: FinishTensor, inferType: (a: AttributeInfo) => number): NodeInfo {
  buf = b;
  pos = at;
  end = stop;
  base = fileBase;
  let name = '';
  let opType = '';
  let domain = '';
  // Counts rather than `length = 0`, which would drop the scratch arrays' storage every node.
  let nIn = 0;
  let nOut = 0;
  let attributes: Map<string, AttributeInfo> | undefined;
  while (pos < stop) {
    const t = tag();
    if (t === 10) inputsScratch[nIn++] = str();
    else if (t === 18) outputsScratch[nOut++] = str();
    else if (t === 26) name = str();
    else if (t === 34) opType = str();
    else if (t === 58) domain = str();
    else if (t === 42) {
      const e = len() + pos;
      const a = attribute(e, pending, finish);
      if (!a.type) a.type = inferType(a);
      (attributes ??= new Map()).set(a.name, a);
      pos = e;
    } else skip(t & 7);
  }
  // Copies at their exact length: arrays grown by push keep room for 17 elements, which the
  // scavenger would then copy for every node.
  return { name, opType, domain, inputs: inputsScratch.slice(0, nIn), outputs: outputsScratch.slice(0, nOut), attributes: attributes ?? NO_ATTRIBUTES };
}

/**
 * Decodes the small fields of a TensorProto whose payload fields the wire scanner left out (an
 * initializer, gathered from around its weights); `fileBase` places error offsets.
 */
export function decodeTensorFields(b: Buffer, at: number, stop: number, fileBase: number, finish: FinishTensor): TensorInfo {
  buf = b;
  pos = at;
  end = stop;
  base = fileBase;
  return tensor(stop, finish);
}

/** A TypeProto.Tensor or SparseTensor: element type and shape (undefined when no shape is given). */
interface TensorType {
  elemType: number;
  shape: Dim[] | undefined;
}

function dimension(stop: number): Dim {
  const outer = end;
  end = stop;
  let value: number | undefined;
  let param = '';
  while (pos < stop) {
    const t = tag();
    if (t === 8) value = svarint();
    else if (t === 18) param = str();
    else skip(t & 7);
  }
  end = outer;
  // As the protobufjs-based reader had it: a non-empty dim_param wins, then dim_value, else unknown.
  if (param) return param;
  return value === undefined ? null : value;
}

function tensorShape(stop: number): Dim[] {
  const outer = end;
  end = stop;
  const dims: Dim[] = [];
  while (pos < stop) {
    const t = tag();
    if (t === 10) {
      if (dims.length >= ONNX_LIMITS.rank) throw new OnnxLimitError('rank', ONNX_LIMITS.rank, base + pos);
      const e = len() + pos;
      dims.push(dimension(e));
      pos = e;
    } else skip(t & 7);
  }
  end = outer;
  return dims;
}

function tensorType(stop: number): TensorType {
  const outer = end;
  end = stop;
  const tt: TensorType = { elemType: 0, shape: undefined };
  while (pos < stop) {
    const t = tag();
    if (t === 8) tt.elemType = svarint() | 0;
    else if (t === 18) {
      const e = len() + pos;
      tt.shape = tensorShape(e);
      pos = e;
    } else skip(t & 7);
  }
  end = outer;
  return tt;
}

/**
 * Decodes a ValueInfoProto (graph input, output or value_info) in b[at, stop) into the reader's plain
 * form: element type and shape of tensor types, the kind of the others (TypeProto fields 1, 4, 5, 8, 9).
 */
export function decodeValueInfo(b: Buffer, at: number, stop: number, fileBase: number): ValueInfo {
  buf = b;
  pos = at;
  end = stop;
  base = fileBase;
  let name = '';
  let dense: TensorType | undefined;
  let sparse: TensorType | undefined;
  let kind = 'unknown';
  let sawType = false;
  while (pos < stop) {
    const t = tag();
    if (t === 10) name = str();
    else if (t === 18) {
      // A repeated singular message field replaces the earlier one, as protobufjs decodes it.
      const e = len() + pos;
      dense = undefined;
      sparse = undefined;
      let seq = false;
      let map = false;
      let opt = false;
      end = e;
      while (pos < e) {
        const u = tag();
        if (u === 10 || u === 66) {
          const f = len() + pos;
          if (u === 10) dense = tensorType(f);
          else sparse = tensorType(f);
          pos = f;
        } else if (u === 34) {
          seq = true;
          skip(2);
        } else if (u === 42) {
          map = true;
          skip(2);
        } else if (u === 74) {
          opt = true;
          skip(2);
        } else skip(u & 7);
      }
      end = stop;
      kind = seq ? 'sequence' : map ? 'map' : opt ? 'optional' : 'unknown';
      sawType = true;
    } else skip(t & 7);
  }
  const tt = dense ?? sparse;
  if (sawType && tt) return { name, dtype: tt.elemType, shape: tt.shape, kind: dense ? 'tensor' : 'sparse_tensor' };
  return { name, dtype: 0, shape: undefined, kind };
}

/** Decodes an OperatorSetIdProto (domain, version) in b[at, stop). */
export function decodeOpset(b: Buffer, at: number, stop: number, fileBase: number): OpsetImport {
  buf = b;
  pos = at;
  end = stop;
  base = fileBase;
  let domain = '';
  let version = 0;
  while (pos < stop) {
    const t = tag();
    if (t === 10) domain = str();
    else if (t === 16) version = svarint();
    else skip(t & 7);
  }
  return { domain, version };
}

/** Decodes a StringStringEntryProto (key, value) in b[at, stop). */
export function decodeEntry(b: Buffer, at: number, stop: number, fileBase: number): { key: string; value: string } {
  buf = b;
  pos = at;
  end = stop;
  base = fileBase;
  return entry(stop);
}

/** The UTF-8 string in b[at, stop). */
export function decodeString(b: Buffer, at: number, stop: number): string {
  return utf8Slice.call(b, at, stop);
}
