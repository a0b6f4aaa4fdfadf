/**
 * How much structure the ONNX reader materialises from one model. Protobuf lets a two-byte field stand for
 * a node, an input name or a dimension, so a small hostile file could otherwise make the reader build tens
 * of millions of objects (10 million empty nodes in a 20 MB file took 3 GB). Every count here is checked
 * before or while the entries are decoded, and going past one is an {@link OnnxLimitError} that names it.
 *
 * The caps sit far above real models: vit_b_16 has 1,692 nodes, PaddleOCR's recogniser 765 nodes with
 * 1,592 input and output names, Silero VAD 51 graphs, and large language-model exports reach a few tens of
 * thousands of nodes. They are kept in this module, apart from the decoder, so that any decoder counts
 * against the same table. At the caps the whole summary stays within a few hundred megabytes: 300,000
 * small nodes peaked at about 230 MB resident in `greenlens inspect`.
 */
import { OnnxReadError } from './errors';

/** The caps, each a count over the whole model (all subgraphs) unless its name says otherwise. */
export interface OnnxLimits {
  /** Nodes in all graphs. */
  nodes: number;
  /** Graphs: the main graph plus every If, Loop and Scan body. */
  graphs: number;
  /** Levels of subgraph nesting below the main graph. */
  depth: number;
  /** Graph inputs, outputs and value_info entries in all graphs. */
  valueInfos: number;
  /** Initializers (dense and sparse) in all graphs. */
  initializers: number;
  /** Input and output names of all nodes together. */
  nodeNames: number;
  /** Input and output names of one node. */
  namesPerNode: number;
  /** Attributes of all nodes together. */
  attributes: number;
  /** Attributes of one node. */
  attributesPerNode: number;
  /** Elements of attribute lists (ints, floats, strings, tensors, graphs) in all nodes together. */
  attributeValues: number;
  /** Dimensions of one tensor or one declared shape. */
  rank: number;
  /** Dimensions of all declared shapes (inputs, outputs, value_info) together. */
  dims: number;
  /** Tensor values stored as separate (unpacked) fields, which onnx.proto declares packed. */
  unpackedValues: number;
  /** Key/value entries: opset imports, metadata and tensors' external-data entries. */
  entries: number;
  /** Model-local functions. */
  functions: number;
}

/** The name of one cap, as {@link OnnxLimitError.limit} reports it. */
export type OnnxLimit = keyof OnnxLimits;

/** The reader's caps. A model over any of them is refused with an {@link OnnxLimitError}. */
export const ONNX_LIMITS: Readonly<OnnxLimits> = Object.freeze({
  nodes: 300_000,
  graphs: 100_000,
  depth: 32,
  valueInfos: 300_000,
  initializers: 300_000,
  nodeNames: 1_200_000,
  namesPerNode: 100_000,
  attributes: 1_000_000,
  attributesPerNode: 10_000,
  attributeValues: 4_000_000,
  rank: 64,
  dims: 2_000_000,
  unpackedValues: 1_000_000,
  entries: 100_000,
  functions: 10_000,
});

/** What each cap counts, for messages. */
const WHAT: Record<OnnxLimit, string> = {
  nodes: 'nodes',
  graphs: 'graphs and subgraphs',
  depth: 'levels of nested subgraphs',
  valueInfos: 'graph inputs, outputs and value_info entries',
  initializers: 'initializers',
  nodeNames: 'node input and output names',
  namesPerNode: 'input and output names in one node',
  attributes: 'node attributes',
  attributesPerNode: 'attributes in one node',
  attributeValues: 'attribute list elements',
  rank: 'dimensions in one shape',
  dims: 'declared shape dimensions',
  unpackedValues: 'unpacked tensor values',
  entries: 'opset, metadata and external-data entries',
  functions: 'model-local functions',
};

/** A model over one of the reader's caps; `limit` names the cap and `max` is its value. */
export class OnnxLimitError extends OnnxReadError {
  readonly limit: OnnxLimit;
  readonly max: number;

  constructor(limit: OnnxLimit, max: number, offset?: number) {
    const code = limit === 'depth' ? 'too-deep' : 'too-large';
    super(
      code,
      `the model has more than ${max.toLocaleString('en-US')} ${WHAT[limit]} (reader limit "${limit}"); real models stay far below it, so the file is corrupt or hostile`,
      offset,
    );
    this.name = 'OnnxLimitError';
    this.limit = limit;
    this.max = max;
  }
}

/** Throws the error for `limit` unless `n` is within it (a count of one item: a node, a shape). */
export function checkLimit(limits: Readonly<OnnxLimits>, limit: OnnxLimit, n: number, offset?: number): void {
  if (n > limits[limit]) throw new OnnxLimitError(limit, limits[limit], offset);
}

/** Running totals of one model read, checked against the caps as they grow. */
export class LimitCounter {
  private readonly used: Record<OnnxLimit, number>;

  constructor(readonly limits: Readonly<OnnxLimits> = ONNX_LIMITS) {
    this.used = Object.fromEntries(Object.keys(limits).map((k) => [k, 0])) as Record<OnnxLimit, number>;
  }

  /** Adds `n` to a total; throws once the total is over its cap. */
  add(limit: OnnxLimit, n: number, offset?: number): void {
    const total = (this.used[limit] += n);
    if (total > this.limits[limit]) throw new OnnxLimitError(limit, this.limits[limit], offset);
  }

  /** Checks one item's own count (the names of one node, the rank of one shape). */
  check(limit: OnnxLimit, n: number, offset?: number): void {
    checkLimit(this.limits, limit, n, offset);
  }

  /** How much more of `limit` may be counted before its cap is passed. */
  remaining(limit: OnnxLimit): number {
    return this.limits[limit] - this.used[limit];
  }

  /** The total counted so far. */
  total(limit: OnnxLimit): number {
    return this.used[limit];
  }
}
