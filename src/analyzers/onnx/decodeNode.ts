/**
 * Decoders of NodeProto and AttributeProto. A node's subgraphs are not decoded here but handed back to
 * the caller (PendingGraphs), because the reader decodes a node in place in the file source's read
 * window, which reading a subgraph through the source would replace.
 */
import { repeatedFloats, repeatedInts } from './decodeScalars';
import { decodeTensor, type FinishTensor } from './decodeTensor';
import { AttributeProto, AttributeType, NodeProto } from './fields';
import type { ProtoReader } from './protoReader';
import type { AttributeInfo, NodeInfo } from './types';

/** Subgraphs found inside a node, for the caller to read once the node is decoded. */
export type PendingGraphs = { attr: AttributeInfo; many: boolean; start: number; end: number }[];

/** The attribute map of nodes without attributes (most of them): shared, and never written to. */
const NO_ATTRIBUTES: ReadonlyMap<string, AttributeInfo> = new Map();

/** IR 1 files have no attribute type field: the type follows from which member is set. */
export function inferAttributeType(a: AttributeInfo): number {
  if (a.floats) return AttributeType.FLOATS;
  if (a.ints) return AttributeType.INTS;
  if (a.strings) return AttributeType.STRINGS;
  if (a.tensors) return AttributeType.TENSORS;
  if (a.graphs) return AttributeType.GRAPHS;
  if (a.t) return AttributeType.TENSOR;
  if (a.g) return AttributeType.GRAPH;
  if (a.s !== undefined) return AttributeType.STRING;
  if (a.i !== undefined) return AttributeType.INT;
  if (a.f !== undefined) return AttributeType.FLOAT;
  return AttributeType.UNDEFINED;
}

/** Reads one field of an AttributeProto into `a`; graphs go to `pending`. */
function attributeField(
  r: ProtoReader,
  tag: number,
  a: AttributeInfo,
  pending: PendingGraphs,
  finish: FinishTensor,
): void {
  const field = tag >>> 3;
  switch (field) {
    case AttributeProto.name:
      a.name = r.string();
      break;
    case AttributeProto.type:
      a.type = r.uint();
      break;
    case AttributeProto.f:
      a.f = r.float();
      break;
    case AttributeProto.i:
      a.i = r.int64();
      break;
    case AttributeProto.s:
      a.s = r.string();
      break;
    case AttributeProto.floats:
      repeatedFloats(r, tag & 7, (a.floats ??= []));
      break;
    case AttributeProto.ints:
      repeatedInts(r, tag & 7, (a.ints ??= []));
      break;
    case AttributeProto.strings:
      (a.strings ??= []).push(r.string());
      break;
    case AttributeProto.t:
    case AttributeProto.tensors: {
      const outer = r.enter();
      const t = decodeTensor(r, finish);
      if (field === AttributeProto.t) a.t = t;
      else (a.tensors ??= []).push(t);
      r.leave(outer);
      break;
    }
    case AttributeProto.g:
    case AttributeProto.graphs: {
      const n = r.length();
      pending.push({ attr: a, many: field === AttributeProto.graphs, start: r.offset, end: r.offset + n });
      r.pos += n;
      break;
    }
    default:
      r.skip(tag & 7);
  }
}

/** Decodes an AttributeProto; its graphs are appended to `pending`. The caller infers a missing type. */
export function decodeAttribute(r: ProtoReader, pending: PendingGraphs, finish: FinishTensor): AttributeInfo {
  // All members present from the start (unset ones undefined), so that attributes of every type share
  // one object map and setting a member is a plain store rather than a map transition.
  const a: AttributeInfo = {
    name: '',
    type: 0,
    f: undefined,
    i: undefined,
    s: undefined,
    t: undefined,
    g: undefined,
    floats: undefined,
    ints: undefined,
    strings: undefined,
    tensors: undefined,
    graphs: undefined,
  };
  while (r.pos < r.end) attributeField(r, r.tag(), a, pending, finish);
  return a;
}

/** Names of the node being decoded, copied out at the end at their exact length (nodes never nest here). */
const inputsScratch: string[] = [];
const outputsScratch: string[] = [];

/** Decodes a NodeProto; subgraph attributes are appended to `pending` for the caller to read. */
export function decodeNode(r: ProtoReader, pending: PendingGraphs, finish: FinishTensor): NodeInfo {
  let name = '';
  let opType = '';
  let domain = '';
  // Counts rather than `length = 0`, which would drop the scratch arrays' storage every node.
  let nIn = 0;
  let nOut = 0;
  let attributes: Map<string, AttributeInfo> | undefined;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag >>> 3) {
      case NodeProto.input:
        inputsScratch[nIn++] = r.string();
        break;
      case NodeProto.output:
        outputsScratch[nOut++] = r.string();
        break;
      case NodeProto.name:
        name = r.string();
        break;
      case NodeProto.op_type:
        opType = r.string();
        break;
      case NodeProto.domain:
        domain = r.string();
        break;
      case NodeProto.attribute: {
        const outer = r.enter();
        const a = decodeAttribute(r, pending, finish);
        if (!a.type) a.type = inferAttributeType(a);
        (attributes ??= new Map()).set(a.name, a);
        r.leave(outer);
        break;
      }
      default:
        r.skip(tag & 7);
    }
  }
  // Copies at their exact length: arrays grown by push keep spare room, which the scavenger would then
  // copy for every node.
  return {
    name,
    opType,
    domain,
    inputs: inputsScratch.slice(0, nIn),
    outputs: outputsScratch.slice(0, nOut),
    attributes: attributes ?? NO_ATTRIBUTES,
  };
}
