/**
 * How the lazy reader charges what it materialises to the caps of limits.ts: graph entries and the list
 * elements of large attributes are counted from their fields before anything is decoded, and a node
 * decoded in place (small by construction) is counted right after it was decoded.
 */
import type { LimitCounter } from './limits';
import { AttributeProto, GraphProto } from './fields';
import { FieldScanner } from './wire';
import type { Ctx } from './readContext';
import type { AttributeInfo, NodeInfo } from './types';

/** Elements of an attribute's lists; tensors and graphs count one each. */
function attributeValues(a: AttributeInfo): number {
  return (
    (a.floats?.length ?? 0) +
    (a.ints?.length ?? 0) +
    (a.strings?.length ?? 0) +
    (a.tensors?.length ?? 0) +
    (a.graphs?.length ?? 0)
  );
}

function countAttribute(limits: LimitCounter, a: AttributeInfo, start: number): void {
  const n = attributeValues(a);
  if (n) limits.add('attributeValues', n, start);
  // Values without a packed payload came from unpacked fields (eagerly decoded small constants have one).
  if (a.t?.values && !a.t.data) limits.add('unpackedValues', a.t.values.length, start);
}

/**
 * Counts a node decoded in place. Such a node is no longer than the read window, so what it materialised
 * is small; the totals stop a file made of millions of them.
 */
export function countNode(limits: LimitCounter, node: NodeInfo, start: number): void {
  const names = node.inputs.length + node.outputs.length;
  limits.check('namesPerNode', names, start);
  limits.add('nodeNames', names, start);
  const attrs = node.attributes.size;
  if (!attrs) return;
  limits.check('attributesPerNode', attrs, start);
  limits.add('attributes', attrs, start);
  node.attributes.forEach((a) => countAttribute(limits, a, start));
}

/** Elements of one list field of an AttributeProto (floats, ints, strings), before decoding it. */
export function listElements(ctx: Ctx, s: FieldScanner): number {
  if (!s.delimited || s.field === AttributeProto.strings) return 1;
  if (s.field === AttributeProto.floats) return Math.ceil((s.end - s.valStart) / 4);
  // Packed varints: one element ends at each byte below 0x80.
  const bytes = ctx.src.read(s.valStart, s.end - s.valStart);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) if ((bytes[i] as number) < 0x80) n++;
  return n;
}

/** The cap a GraphProto field counts against, if any. */
export function capOf(field: number): 'nodes' | 'initializers' | 'valueInfos' | undefined {
  switch (field) {
    case GraphProto.node:
      return 'nodes';
    case GraphProto.initializer:
    case GraphProto.sparse_initializer:
      return 'initializers';
    case GraphProto.input:
    case GraphProto.output:
    case GraphProto.value_info:
      return 'valueInfos';
    default:
      return undefined;
  }
}

/** Counts the entries of one graph before any of them is decoded, so that no cap is passed by materialising. */
export function countGraph(ctx: Ctx, start: number, end: number): void {
  const counts = { nodes: 0, initializers: 0, valueInfos: 0 };
  const s = new FieldScanner(ctx.src, start, end);
  while (s.next()) {
    const cap = capOf(s.field);
    if (cap) counts[cap]++;
  }
  ctx.limits.add('nodes', counts.nodes, start);
  ctx.limits.add('initializers', counts.initializers, start);
  ctx.limits.add('valueInfos', counts.valueInfos, start);
}
