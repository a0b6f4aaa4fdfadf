/**
 * A protobuf reader over bytes in memory: the buffer, a read position and the end of the message being
 * read, carried by one object that the decoders pass along (the shape of protobufjs's Reader and of
 * Netron's protobuf reader). Every read is checked against `end`, so a corrupt length or a cut-off file
 * becomes an OnnxReadError that names the byte offset in the model file, never a read past the message.
 *
 * The buffer is usually the file source's read window, whose byte 0 is file offset `base`; offsets in
 * errors are `base + pos`.
 */
import { OnnxReadError } from './errors';
import { WireType } from './fields';

/**
 * The encoding argument of Buffer#toString, left undefined: UTF-8 is its documented default, and without
 * a name to look up it goes straight to the decoding. A model has thousands of names, decoded before V8
 * has compiled Buffer's own JavaScript, so the lookup would run interpreted for each of them.
 */
export const UTF8 = undefined;

/** Scratch for reading little-endian floats without a DataView per value. */
const f32 = new Float32Array(1);
const f32Bytes = new Uint8Array(f32.buffer);
const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);

export class ProtoReader {
  /** The low and high 32 bits of the varint `varint()` read last. */
  private lo = 0;
  private hi = 0;

  /** Reads buf[pos, end), whose byte 0 is file offset `base`. */
  constructor(
    public buf: Buffer,
    public pos: number,
    public end: number,
    public base = 0,
  ) {}

  /** Points this reader at buf[pos, end) (byte 0 at file offset `base`) and returns it. */
  reset(buf: Buffer, pos: number, end: number, base: number): this {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
    this.base = base;
    return this;
  }

  /** The file offset of the read position. */
  get offset(): number {
    return this.base + this.pos;
  }

  /** Throws the error for `what` running past the end of its message. */
  fail(what: string): never {
    throw new OnnxReadError(
      'truncated',
      `${what} runs past the end of its message (truncated or corrupt file)`,
      this.base + this.pos,
    );
  }

  /**
   * Reads one varint into two 32-bit halves: the reader's only varint decoder. Halves, because a double
   * cannot hold every 64-bit value: -1 (2^64 - 1) would round to 2^64 and read back as 0.
   */
  private varint(): void {
    const buf = this.buf;
    let pos = this.pos;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (pos >= this.end) this.fail('a number');
      const byte = buf[pos++] as number;
      const bits = byte & 0x7f;
      if (i < 4) lo |= bits << (7 * i);
      else if (i === 4) {
        lo |= (bits & 0x0f) << 28;
        hi |= bits >>> 4;
      } else hi |= bits << (7 * i - 32);
      if (byte < 0x80) {
        this.pos = pos;
        this.lo = lo;
        this.hi = hi;
        return;
      }
    }
    throw new OnnxReadError('malformed', 'unterminated number', this.base + this.pos);
  }

  /** An unsigned varint (tags, lengths, enums, uint64), exact up to 2^53. */
  uint(): number {
    const b = this.pos < this.end ? (this.buf[this.pos] as number) : 0x80;
    if (b < 0x80) {
      this.pos++;
      return b;
    }
    this.varint();
    return (this.hi >>> 0) * 2 ** 32 + (this.lo >>> 0);
  }

  /** A signed 64-bit varint (int64 and int32 fields store negatives in two's complement). */
  int64(): number {
    const b = this.pos < this.end ? (this.buf[this.pos] as number) : 0x80;
    if (b < 0x80) {
      this.pos++;
      return b;
    }
    this.varint();
    const lo = this.lo;
    const hi = this.hi;
    // Values that fit in 32 bits come from 32-bit operations, so that V8 keeps them as small integers:
    // going through 2 ** 32 makes even 768 or -1 a heap number, and arrays and objects holding them
    // switch to double storage.
    if ((hi === 0 && lo >= 0) || (hi === -1 && lo < 0)) return lo;
    return hi < 0 ? -((~hi >>> 0) * 2 ** 32 + (~lo >>> 0) + 1) : hi * 2 ** 32 + (lo >>> 0);
  }

  /** A tag: field number times 8 plus wire type. */
  tag(): number {
    return this.uint();
  }

  /** The length prefix of a length-delimited field, checked against the message end. */
  length(): number {
    const n = this.uint();
    if (this.pos + n > this.end) this.fail('a field');
    return n;
  }

  /** A length-delimited UTF-8 string. */
  string(): string {
    const n = this.length();
    const start = this.pos;
    this.pos = start + n;
    return this.buf.toString(UTF8, start, this.pos);
  }

  /** A little-endian float (wire type 5). */
  float(): number {
    const pos = this.pos;
    if (pos + 4 > this.end) this.fail('a float');
    const buf = this.buf;
    f32Bytes[0] = buf[pos] as number;
    f32Bytes[1] = buf[pos + 1] as number;
    f32Bytes[2] = buf[pos + 2] as number;
    f32Bytes[3] = buf[pos + 3] as number;
    this.pos = pos + 4;
    return f32[0] as number;
  }

  /** A little-endian double (wire type 1). */
  double(): number {
    const pos = this.pos;
    if (pos + 8 > this.end) this.fail('a double');
    for (let i = 0; i < 8; i++) f64Bytes[i] = this.buf[pos + i] as number;
    this.pos = pos + 8;
    return f64[0] as number;
  }

  /** Skips one field's value of wire type `wire`. */
  skip(wire: number): void {
    if (wire === WireType.varint) this.varint();
    else if (wire === WireType.fixed64) this.pos += 8;
    else if (wire === WireType.fixed32) this.pos += 4;
    else if (wire === WireType.lengthDelimited) {
      const n = this.length();
      this.pos += n;
    } else
      throw new OnnxReadError(
        'malformed',
        `unsupported protobuf wire type ${wire}: this is not an ONNX protobuf file`,
        this.base + this.pos,
      );
    if (this.pos > this.end) this.fail('a field');
  }

  /**
   * Narrows the reader to the length-delimited message at the read position; returns the outer end, to
   * be handed to `leave` once the inner message is read.
   */
  enter(): number {
    const n = this.length();
    const outer = this.end;
    this.end = this.pos + n;
    return outer;
  }

  /** Moves past the inner message `enter` began and restores the outer end. */
  leave(outer: number): void {
    this.pos = this.end;
    this.end = outer;
  }
}

/** A Buffer view of the same memory (no copy), for the reader's string decoding. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
