/**
 * A protobuf wire-format scanner over a ByteSource. It walks the fields of one message without decoding
 * them, so the reader can skip the payload of large `bytes` fields (TensorProto raw_data) and hand only
 * the small remainder of each message to protobufjs.
 *
 * Why not protobufjs alone: its Reader needs the whole message in one buffer, and the root message of a
 * model is the whole file. Decoding the 346 MB vit_b_16 export that way takes the file into memory
 * (over 350 MB resident) before anything is summarised; scanning and skipping keeps the summary under
 * 100 MB and about 0.1 s (see bench/onnx-inspect.ts).
 */
import { OnnxReadError } from './errors';
import type { ByteSource } from './source';

/** One field of a message as found on the wire; reused between visits, copy what you keep. */
export interface WireField {
  /** Field number. */
  num: number;
  /** Wire type: 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32. */
  wire: number;
  /** Offset of the tag, i.e. where the field's bytes begin. */
  tagStart: number;
  /** Offset of the payload (after the length prefix for wire type 2). */
  valStart: number;
  /** Offset one past the field's last byte. */
  end: number;
  /** The varint value for wire type 0. */
  varint: number;
}

/** Where the last varint read by readVarint ended (a module variable: returning a pair allocates). */
export let varintEnd = 0;

/** Reads a varint at `pos` (never past `limit`); sets varintEnd. Values above 2^53 lose precision. */
export function readVarint(src: ByteSource, pos: number, limit: number): number {
  const n = Math.min(10, limit - pos);
  if (n <= 0) throw new OnnxReadError('truncated', 'message ends inside a number', pos);
  const at = src.locate(pos, n);
  const b = src.buf;
  let value = 0;
  let scale = 1;
  for (let i = 0; i < n; i++) {
    const byte = b[at + i] as number;
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) {
      varintEnd = pos + i + 1;
      return value;
    }
    scale *= 128;
  }
  throw new OnnxReadError(n < 10 ? 'truncated' : 'malformed', 'unterminated number', pos);
}

/** Bytes the last decodeSignedVarint64 call consumed; 0 when the number did not end within its bytes. */
export let signedVarintLength = 0;

/**
 * Decodes a varint in buf[at, at + n) as a signed 64-bit two's complement integer (how int32/int64
 * fields store negatives); sets signedVarintLength. Kept in two 32-bit halves: as one double, -1
 * (2^64 - 1) would round to 2^64 and read back as 0. Shared by the lazy reader and the node decoder.
 */
export function decodeSignedVarint64(buf: Uint8Array, at: number, n: number): number {
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < n; i++) {
    const byte = buf[at + i] as number;
    const bits = byte & 0x7f;
    const shift = i * 7;
    if (shift < 28) lo |= bits << shift;
    else if (shift === 28) {
      lo |= (bits & 0x0f) << 28;
      hi |= bits >>> 4;
    } else hi |= bits << (shift - 32);
    if (byte < 0x80) {
      signedVarintLength = i + 1;
      // Values that fit in 32 bits are returned from 32-bit operations, so that V8 keeps them as small
      // integers: going through 2 ** 32 makes even 768 or -1 a heap number, and arrays and object fields
      // holding them switch to double storage (an allocation per read in unoptimised code).
      if (hi === 0 && lo >= 0) return lo;
      if (hi === -1 && lo < 0) return lo;
      lo >>>= 0;
      hi >>>= 0;
      return hi & 0x80000000 ? -((~hi >>> 0) * 2 ** 32 + (~lo >>> 0) + 1) : hi * 2 ** 32 + lo;
    }
  }
  signedVarintLength = 0;
  return 0;
}

/** Reads a signed 64-bit varint at `pos` (never past `limit`) from a byte source; sets varintEnd. */
export function readSignedVarint(src: ByteSource, pos: number, limit: number): number {
  const n = Math.min(10, limit - pos);
  if (n <= 0) throw new OnnxReadError('truncated', 'message ends inside a number', pos);
  const at = src.locate(pos, n); // may swap src.buf: read it only afterwards
  const value = decodeSignedVarint64(src.buf, at, n);
  if (signedVarintLength === 0) throw new OnnxReadError(n < 10 ? 'truncated' : 'malformed', 'unterminated number', pos);
  varintEnd = pos + signedVarintLength;
  return value;
}

/**
 * Calls `visit` for each field of the message occupying [start, end). Lengths are checked against the
 * message bounds, so corrupt lengths become OnnxReadError instead of huge reads.
 */
export function scanFields(src: ByteSource, start: number, end: number, visit: (f: WireField) => void): void {
  const f: WireField = { num: 0, wire: 0, tagStart: 0, valStart: 0, end: 0, varint: 0 };
  let pos = start;
  while (pos < end) {
    // Fast path: a one-byte tag of a length-delimited field with a length of up to three bytes (every
    // node, tensor and name field of a real model), read from one look at the window.
    const n = Math.min(5, end - pos);
    const at = src.locate(pos, n);
    const b = src.buf;
    const t = b[at] as number;
    if (t < 0x80 && (t & 7) === 2 && t >= 8 && n > 1) {
      const l0 = b[at + 1] as number;
      let len = -1;
      let hdr = 2;
      if (l0 < 0x80) len = l0;
      else if (n > 2 && (b[at + 2] as number) < 0x80) {
        len = (l0 & 0x7f) | ((b[at + 2] as number) << 7);
        hdr = 3;
      } else if (n > 3 && (b[at + 2] as number) >= 0x80 && (b[at + 3] as number) < 0x80) {
        len = (l0 & 0x7f) | (((b[at + 2] as number) & 0x7f) << 7) | ((b[at + 3] as number) << 14);
        hdr = 4;
      }
      if (len >= 0) {
        f.num = t >> 3;
        f.wire = 2;
        f.tagStart = pos;
        f.valStart = pos + hdr;
        f.end = pos + hdr + len;
        if (f.end > end) throw new OnnxReadError('truncated', `field ${f.num} runs past the end of its message (truncated or corrupt file)`, pos);
        visit(f);
        pos = f.end;
        continue;
      }
    }
    pos = scanField(src, pos, end, f);
    visit(f);
  }
}

/** Reads the field at `pos` into `f` (any tag and wire type); returns where it ends. */
function scanField(src: ByteSource, pos: number, end: number, f: WireField): number {
  const tag = readVarint(src, pos, end);
  const afterTag = varintEnd;
  f.num = Math.floor(tag / 8);
  f.wire = tag % 8;
  f.tagStart = pos;
  if (f.num === 0) throw new OnnxReadError('malformed', 'field number 0 is invalid: this is not an ONNX protobuf file', pos);
  switch (f.wire) {
    case 0: {
      f.varint = readVarint(src, afterTag, end);
      f.valStart = afterTag;
      f.end = varintEnd;
      break;
    }
    case 1:
      f.valStart = afterTag;
      f.end = afterTag + 8;
      break;
    case 5:
      f.valStart = afterTag;
      f.end = afterTag + 4;
      break;
    case 2: {
      const len = readVarint(src, afterTag, end);
      f.valStart = varintEnd;
      f.end = varintEnd + len;
      break;
    }
    default:
      throw new OnnxReadError('malformed', `unsupported protobuf wire type ${f.wire}: this is not an ONNX protobuf file`, pos);
  }
  if (f.end > end) throw new OnnxReadError('truncated', `field ${f.num} runs past the end of its message (truncated or corrupt file)`, pos);
  return f.end;
}

/** Collects byte ranges of fields that protobufjs should decode, merging adjacent ones. */
export class RangeList {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private total = 0;

  constructor(private readonly maxBytes: number) {}

  /** Adds [start, end); throws when the small part of one message grows past the limit. */
  add(start: number, end: number): void {
    this.total += end - start;
    if (this.total > this.maxBytes) throw new OnnxReadError('too-large', `a model message has over ${this.maxBytes} bytes of structure`, start);
    const last = this.ends.length - 1;
    if (last >= 0 && this.ends[last] === start) this.ends[last] = end;
    else {
      this.starts.push(start);
      this.ends.push(end);
    }
  }

  /** The concatenated bytes of all ranges. */
  gather(src: ByteSource): Uint8Array {
    if (this.starts.length === 1) return src.read(this.starts[0] as number, this.total);
    const out = new Uint8Array(this.total);
    let at = 0;
    for (let i = 0; i < this.starts.length; i++) {
      const s = this.starts[i] as number;
      const len = (this.ends[i] as number) - s;
      out.set(src.read(s, len), at);
      at += len;
    }
    return out;
  }
}
