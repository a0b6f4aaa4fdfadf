/**
 * Decoders of scalar fields and of the flat messages made only of them: repeated numbers (packed or not),
 * StringStringEntryProto and OperatorSetIdProto. The other message decoders build on these.
 */
import { OperatorSetIdProto, StringStringEntryProto, WireType } from './fields';
import type { ProtoReader } from './protoReader';
import type { OpsetImport } from './types';

const LEN = WireType.lengthDelimited;

/** A repeated int64 field, packed or not. */
export function repeatedInts(r: ProtoReader, wire: number, out: number[]): void {
  if (wire !== LEN) {
    out.push(r.int64());
    return;
  }
  const outer = r.enter();
  while (r.pos < r.end) out.push(r.int64());
  r.leave(outer);
}

/** A repeated float field, packed or not. */
export function repeatedFloats(r: ProtoReader, wire: number, out: number[]): void {
  if (wire !== LEN) {
    out.push(r.float());
    return;
  }
  const outer = r.enter();
  while (r.pos < r.end) out.push(r.float());
  r.leave(outer);
}

/** A StringStringEntryProto (key, value). */
export function decodeEntry(r: ProtoReader): { key: string; value: string } {
  const kv = { key: '', value: '' };
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag >>> 3 === StringStringEntryProto.key) kv.key = r.string();
    else if (tag >>> 3 === StringStringEntryProto.value) kv.value = r.string();
    else r.skip(tag & 7);
  }
  return kv;
}

/** Decodes an OperatorSetIdProto (domain, version). */
export function decodeOpset(r: ProtoReader): OpsetImport {
  let domain = '';
  let version = 0;
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag >>> 3 === OperatorSetIdProto.domain) domain = r.string();
    else if (tag >>> 3 === OperatorSetIdProto.version) version = r.int64();
    else r.skip(tag & 7);
  }
  return { domain, version };
}
