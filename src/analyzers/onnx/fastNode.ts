/**
 * Hand-written decoding of NodeProto, AttributeProto and small TensorProto messages straight from the read
 * window. These three messages make up almost all of a model's structure (vit_b_16: 1,692 nodes, 461
 * Constant tensors), and going through protobufjs for each (a Reader, Long objects, a gathered copy per
 * message) made reading that export cost ~110 ms of a cold process against ~40 ms this way, most of it
 * garbage collection. Everything else (graph inputs with their TypeProto, the model header, external data
 * entries) still goes through the protobufjs classes compiled from onnx.proto.
 */
import { dtypeBytes } from './dtypes';
import { OnnxReadError } from './errors';
import { decodeSignedVarint64, signedVarintLength } from './wire';
import type { AttributeInfo, InlineDataRef, NodeInfo, TensorInfo } from './types';

/** A cursor over one message held in a buffer whose byte 0 is file offset `base`. */
export class Cur {
  constructor(public buf: Buffer, public pos: number, public end: number, public base: number) {}

  fail(what: string): never {
    throw new OnnxReadError('truncated', `${what} runs past the end of its message (truncated or corrupt file)`, this.base + this.pos);
  }

  /** Unsigned varint (exact up to 2^53). */
  uvarint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) this.fail('a number');
      const b = this.buf[this.pos++] as number;
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      scale *= 128;
    }
    throw new OnnxReadError('malformed', 'unterminated number', this.base + this.pos);
  }

  /** Signed 64-bit varint (two's complement, as int64 fields store negatives). */
  svarint(): number {
    const n = Math.min(10, this.end - this.pos);
    const value = decodeSignedVarint64(this.buf, this.pos, n);
    if (signedVarintLength === 0) {
      if (n < 10) this.fail('a number');
      throw new OnnxReadError('malformed', 'unterminated number', this.base + this.pos);
    }
    this.pos += signedVarintLength;
    return value;
  }

  /** Length prefix of a length-delimited field, checked against the message end. */
  len(): number {
    const n = this.uvarint();
    if (this.pos + n > this.end) this.fail('a field');
    return n;
  }

  str(): string {
    const n = this.len();
    const s = this.pos;
    this.pos += n;
    // Buffer's native UTF-8 slice: a JavaScript loop or TextDecoder per name costs more in a cold process.
    return this.buf.toString('utf8', s, s + n);
  }

  skip(wire: number): void {
    if (wire === 0) this.uvarint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 5) this.pos += 4;
    else if (wire === 2) {
      // Not `this.pos += this.len()`: that reads pos before len() moves it past the length prefix.
      const n = this.len();
      this.pos += n;
    }
    else throw new OnnxReadError('malformed', `unsupported protobuf wire type ${wire}: this is not an ONNX protobuf file`, this.base + this.pos);
    if (this.pos > this.end) this.fail('a field');
  }

  f32(): number {
    if (this.pos + 4 > this.end) this.fail('a float');
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 4).getFloat32(0, true);
    this.pos += 4;
    return v;
  }

  /** A repeated int64 field, packed or not (two methods rather than a callback: no closure per call). */
  repeatedInts(wire: number, out: number[]): void {
    if (wire !== 2) {
      out.push(this.svarint());
      return;
    }
    const end = this.pos + this.len();
    while (this.pos < end) out.push(this.svarint());
    if (this.pos !== end) this.fail('a packed list');
  }

  /** A repeated float field, packed or not. */
  repeatedFloats(wire: number, out: number[]): void {
    if (wire !== 2) {
      out.push(this.f32());
      return;
    }
    const end = this.pos + this.len();
    while (this.pos < end) out.push(this.f32());
    if (this.pos !== end) this.fail('a packed list');
  }
}

const PACKED: Record<number, InlineDataRef['encoding']> = { 4: 'fixed32', 5: 'varint', 7: 'varint', 10: 'fixed64', 11: 'varint' };

/**
 * Subgraphs found inside a node, read by the general reader after the node is decoded: the node is
 * decoded in place in the shared read window, which reading a subgraph would overwrite.
 */
export type PendingGraphs = { attr: AttributeInfo; many: boolean; start: number; end: number }[];

function entry(c: Cur, end: number): { key: string; value: string } {
  const kv = { key: '', value: '' };
  while (c.pos < end) {
    const tag = c.uvarint();
    if (tag === 10) kv.key = c.str();
    else if (tag === 18) kv.value = c.str();
    else c.skip(tag & 7);
  }
  return kv;
}

/** Decodes a TensorProto in [c.pos, end), recording where its payload is. */
export function fastTensor(c: Cur, end: number, finish: (t: TensorInfo, ext: { key: string; value: string }[], location: number, start: number) => TensorInfo): TensorInfo {
  const start = c.base + c.pos;
  const dims: number[] = [];
  let dtype = 0;
  let name = '';
  let location = 0;
  let data: InlineDataRef | undefined;
  let values: number[] | undefined;
  const ext: { key: string; value: string }[] = [];
  while (c.pos < end) {
    const tagAt = c.base + c.pos;
    const tag = c.uvarint();
    const num = Math.floor(tag / 8);
    const wire = tag & 7;
    if (num === 1) c.repeatedInts(wire, dims);
    else if (num === 2 && wire === 0) dtype = c.uvarint();
    else if (num === 8 && wire === 2) name = c.str();
    else if (num === 14 && wire === 0) location = c.uvarint();
    else if ((num === 9 || PACKED[num]) && wire === 2) {
      const n = c.len();
      data = { kind: 'inline', offset: c.base + c.pos, length: n, encoding: num === 9 ? 'raw' : (PACKED[num] as InlineDataRef['encoding']) };
      c.pos += n;
    } else if ((num === 5 || num === 7 || num === 11) && wire === 0) (values ??= []).push(num === 11 ? c.uvarint() : c.svarint());
    else if (num === 4 && wire === 5) (values ??= []).push(c.f32());
    else if (num === 13 && wire === 2) {
      const n = c.len();
      const e = c.pos + n;
      ext.push(entry(new Cur(c.buf, c.pos, e, c.base), e));
      c.pos = e;
    } else if (num === 6 && wire === 2) {
      // Repeated string_data: keep the span of all its fields (tags included), as the general reader does.
      c.skip(wire);
      if (data?.encoding === 'strings') data.length = c.base + c.pos - data.offset;
      else data = { kind: 'inline', offset: tagAt, length: c.base + c.pos - tagAt, encoding: 'strings' };
    } else c.skip(wire);
  }
  const t: TensorInfo = { name, dtype, dims, elements: 0, bytes: dtypeBytes(dtype, 0), data };
  if (values) t.values = values;
  return finish(t, ext, location, start);
}

function fastAttribute(c: Cur, end: number, pending: PendingGraphs, tensor: (c: Cur, end: number) => TensorInfo): AttributeInfo {
  const a: AttributeInfo = { name: '', type: 0 };
  while (c.pos < end) {
    const tag = c.uvarint();
    const num = Math.floor(tag / 8);
    const wire = tag & 7;
    if (num === 1 && wire === 2) a.name = c.str();
    else if (num === 20 && wire === 0) a.type = c.uvarint();
    else if (num === 2 && wire === 5) a.f = c.f32();
    else if (num === 3 && wire === 0) a.i = c.svarint();
    else if (num === 4 && wire === 2) a.s = c.str();
    else if (num === 7) c.repeatedFloats(wire, (a.floats ??= []));
    else if (num === 8) c.repeatedInts(wire, (a.ints ??= []));
    else if (num === 9 && wire === 2) (a.strings ??= []).push(c.str());
    else if ((num === 5 || num === 10 || num === 6 || num === 11) && wire === 2) {
      const n = c.len();
      const e = c.pos + n;
      if (num === 5) a.t = tensor(new Cur(c.buf, c.pos, e, c.base), e);
      else if (num === 10) (a.tensors ??= []).push(tensor(new Cur(c.buf, c.pos, e, c.base), e));
      else pending.push({ attr: a, many: num === 11, start: c.base + c.pos, end: c.base + e });
      c.pos = e;
    } else c.skip(wire);
  }
  return a;
}

/** Decodes a NodeProto held entirely in `c`'s buffer. */
export function fastNode(c: Cur, pending: PendingGraphs, tensor: (c: Cur, end: number) => TensorInfo, inferType: (a: AttributeInfo) => number): NodeInfo {
  const node: NodeInfo = { name: '', opType: '', domain: '', inputs: [], outputs: [], attributes: new Map() };
  while (c.pos < c.end) {
    const tag = c.uvarint();
    const num = Math.floor(tag / 8);
    const wire = tag & 7;
    if (num === 1 && wire === 2) node.inputs.push(c.str());
    else if (num === 2 && wire === 2) node.outputs.push(c.str());
    else if (num === 3 && wire === 2) node.name = c.str();
    else if (num === 4 && wire === 2) node.opType = c.str();
    else if (num === 7 && wire === 2) node.domain = c.str();
    else if (num === 5 && wire === 2) {
      const n = c.len();
      const a = fastAttribute(new Cur(c.buf, c.pos, c.pos + n, c.base), c.pos + n, pending, tensor);
      if (!a.type) a.type = inferType(a);
      node.attributes.set(a.name, a);
      c.pos += n;
    } else c.skip(wire);
  }
  return node;
}

