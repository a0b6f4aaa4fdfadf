/**
 * A protobuf field scanner over a ByteSource: walks the fields of one message without decoding them, so
 * the reader can skip the payload of large `bytes` fields (TensorProto raw_data) and decode only the small
 * rest of each message. The root message of a model is the whole file, so a decoder that needs a message
 * in one buffer would take a 346 MB model into memory before summarising it; the scanner reads only field
 * headers, through the source's small window.
 */
import { OnnxReadError } from './errors';
import { ProtoReader, asBuffer } from './protoReader';
import { WireType } from './fields';
import type { ByteSource } from './source';

/** The longest field header: a tag and a length prefix of up to 10 bytes each. */
const MAX_HEADER = 20;

/**
 * The fields of the message in [start, limit) of a source, one at a time:
 * `while (s.next()) { switch (s.field) { ... } }`. The members describe the current field.
 */
export class FieldScanner {
  /** Field number. */
  field = 0;
  /** Wire type (see WireType). */
  wire = 0;
  /** Offset of the tag, where the field's bytes begin. */
  tagStart = 0;
  /** Offset of the payload (after the length prefix of a length-delimited field). */
  valStart = 0;
  /** Offset one past the field's last byte. */
  end = 0;
  /** The value of a varint field, read as a signed 64-bit integer. */
  value = 0;
  /** True when the field is length-delimited (a string, bytes, a message or a packed list). */
  delimited = false;
  private pos: number;
  private readonly reader = new ProtoReader(Buffer.alloc(0), 0, 0);

  constructor(
    private readonly src: ByteSource,
    start: number,
    private readonly limit: number,
  ) {
    this.pos = start;
  }

  /** Moves to the next field; false at the end of the message. Lengths are checked against its end. */
  next(): boolean {
    const pos = this.pos;
    if (pos >= this.limit) return false;
    const n = Math.min(MAX_HEADER, this.limit - pos);
    const at = this.src.locate(pos, n);
    const r = this.reader.reset(this.src.buf, at, at + n, pos - at);
    const tag = r.tag();
    this.field = Math.floor(tag / 8);
    this.wire = tag % 8;
    this.tagStart = pos;
    if (this.field === 0)
      throw new OnnxReadError('malformed', 'field number 0 is invalid: this is not an ONNX protobuf file', pos);
    this.valStart = r.offset;
    this.delimited = this.wire === WireType.lengthDelimited;
    if (this.delimited) {
      const len = r.uint();
      this.valStart = r.offset;
      this.end = this.valStart + len;
    } else if (this.wire === WireType.varint) {
      this.value = r.int64();
      this.end = r.offset;
    } else if (this.wire === WireType.fixed64) this.end = this.valStart + 8;
    else if (this.wire === WireType.fixed32) this.end = this.valStart + 4;
    else
      throw new OnnxReadError(
        'malformed',
        `unsupported protobuf wire type ${this.wire}: this is not an ONNX protobuf file`,
        pos,
      );
    if (this.end > this.limit)
      throw new OnnxReadError(
        'truncated',
        `field ${this.field} runs past the end of its message (truncated or corrupt file)`,
        pos,
      );
    this.pos = this.end;
    return true;
  }
}

/** Collects the byte ranges of a message's small fields (all but its payloads), merging adjacent ones. */
export class RangeList {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private total = 0;

  constructor(private readonly maxBytes: number) {}

  /** Adds [start, end); throws when the small part of one message grows past the limit. */
  add(start: number, end: number): void {
    this.total += end - start;
    if (this.total > this.maxBytes)
      throw new OnnxReadError('too-large', `a model message has over ${this.maxBytes} bytes of structure`, start);
    const last = this.ends.length - 1;
    if (last >= 0 && this.ends[last] === start) this.ends[last] = end;
    else {
      this.starts.push(start);
      this.ends.push(end);
    }
  }

  /** The concatenated bytes of all ranges, as a Buffer for the decoders. */
  gather(src: ByteSource): Buffer {
    if (this.starts.length === 1) return asBuffer(src.read(this.starts[0] as number, this.total));
    const out = Buffer.allocUnsafe(this.total);
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
