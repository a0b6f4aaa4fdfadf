/**
 * What the lazy reader's modules share while reading one model: the byte source, the counter of what has
 * been materialised against the caps of limits.ts, one ProtoReader pointed at each small message in turn,
 * and the sizes that decide whether a message is decoded in place, gathered, or skipped.
 */
import type { LimitCounter } from './limits';
import type { ByteSource } from './source';
import type { RangeList } from './wire';
import { UTF8, asBuffer, type ProtoReader } from './protoReader';

/** The structure (not the weights) of one message; real models stay far below this. */
export const MAX_SMALL_BYTES = 64 * 1024 * 1024;
/** Documentation strings longer than this are skipped rather than decoded. */
export const MAX_DOC_BYTES = 64 * 1024;
/** Messages up to this size are decoded in place from the read window (the file source's window size). */
const IN_PLACE_BYTES = 64 * 1024;

export interface Ctx {
  src: ByteSource;
  /** What this read has materialised so far, against the caps of limits.ts. */
  limits: LimitCounter;
  /** The reader the decoders use, pointed at each message in turn. */
  reader: ProtoReader;
}

/** Points the context's reader at [start, end) in place, or returns undefined when it is too large for that. */
export function inPlace(ctx: Ctx, start: number, end: number): ProtoReader | undefined {
  if (end - start > IN_PLACE_BYTES) return undefined;
  const at = ctx.src.locate(start, end - start);
  return ctx.reader.reset(ctx.src.buf, at, at + end - start, start - at);
}

/** Points the context's reader at the concatenated small fields of a message whose payloads were left out. */
export function gathered(ctx: Ctx, small: RangeList, start: number): ProtoReader {
  const b = small.gather(ctx.src);
  return ctx.reader.reset(b, 0, b.length, start);
}

/** A UTF-8 string field. */
export function readString(ctx: Ctx, start: number, end: number): string {
  const r = inPlace(ctx, start, end);
  return r ? r.buf.toString(UTF8, r.pos, r.end) : asBuffer(ctx.src.read(start, end - start)).toString();
}
