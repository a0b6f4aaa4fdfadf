/**
 * Cost of each node from its inferred shapes. MACs count only the multiply-accumulate work of
 * convolutions, matrix products, Einsum, recurrent cells and fused attention (the quantity torchvision
 * publishes as "GFLOPS" and timm as GMACs). FLOPs add 2 per MAC plus a per-element estimate for the rest.
 */
import { dtypeBytes } from './dtypes';
import { prod, type SDim, type TensorFact } from './shapes/common';
import type { Scope } from './shapes/infer';
import { einsumSizes, parseEinsum } from './shapes/rulesSeq';
import type { NodeInfo } from './types';

/** Cost of one node for one execution. Null where shapes were not known. */
export interface NodeCost {
  macs: number | null;
  flops: number | null;
  /** Bytes of constant inputs (weights) the node reads. */
  paramBytes: number;
  /** Bytes of the outputs the node writes. */
  activationBytes: number | null;
  /** Whether this op type does multiply-accumulate work that MACs count. */
  macOp: boolean;
}

type Shapes = (SDim[] | undefined)[];

/**
 * Element-wise FLOPs per output element of non-MAC operators; everything unlisted counts 1 if it computes.
 * A Map: looking an op name up in an object makes V8 search its string table on every node.
 */
const PER_ELEMENT = new Map<string, number>(
  Object.entries({
    Softmax: 3,
    LogSoftmax: 4,
    LayerNormalization: 5,
    SkipLayerNormalization: 6,
    BatchNormalization: 2,
    InstanceNormalization: 5,
    GroupNormalization: 5,
    Gelu: 8,
    FastGelu: 8,
    Erf: 4,
    HardSwish: 3,
    HardSigmoid: 2,
    Mish: 4,
    Swish: 2,
  }),
);
/** Operators that only move or describe data. */
const NO_FLOPS = new Set(
  'Shape Size Reshape Flatten Transpose Squeeze Unsqueeze Concat Split Slice Gather GatherElements GatherND Expand Tile Identity Constant ConstantOfShape Cast CastLike Pad Range Dropout NonZero DepthToSpace SpaceToDepth If Loop Scan'.split(
    ' ',
  ),
);

function n(s: SDim[] | undefined): number | null {
  return s ? prod(s) : null;
}

function matmulK(a: SDim[] | undefined): SDim {
  return a && a.length ? (a[a.length - 1] ?? null) : null;
}

function mul(...xs: (number | null | undefined)[]): number | null {
  let p = 1;
  for (const x of xs) {
    if (x === null || x === undefined) return null;
    p *= x;
  }
  return p;
}

function recurrentMacs(ins: Shapes): number | null {
  const [x, w, r] = ins;
  if (!x || !w || !r || x.length !== 3 || w.length !== 3 || r.length !== 3) return null;
  // W is [dirs, gates*hidden, input] and R [dirs, gates*hidden, hidden]; every time step of every batch
  // row multiplies both (x[0]*x[1] is seq*batch in either layout).
  const inner = w[2] === null || r[2] === null || w[2] === undefined || r[2] === undefined ? null : w[2] + r[2];
  return mul(x[0], x[1], w[0], w[1], inner);
}

function attentionMacs(node: NodeInfo, ins: Shapes): number | null {
  const q = ins[0];
  if (node.domain === 'com.microsoft' && node.opType === 'Attention') {
    const w = ins[1];
    if (!q || !w || q.length !== 3) return null;
    const proj = mul(q[0], q[1], w[0], w[1]);
    const hidden = w[1] === null || w[1] === undefined ? null : w[1] / 3;
    return proj === null ? null : proj + (mul(q[0], q[1], q[1], hidden, 2) ?? 0);
  }
  const k = ins[1];
  const v = ins[2];
  if (!q || !k || !v || q.length !== k.length) return null;
  // Q·Kᵀ and weights·V: each is batch x heads x Sq x Skv x head_dim, over packed or split heads alike.
  const sq = q[q.length - 2];
  const skv = k[k.length - 2];
  const qk = mul(n(q.slice(0, -2)), sq, skv, q[q.length - 1]);
  const av = mul(n(q.slice(0, -2)), sq, skv, v[v.length - 1]);
  return qk === null || av === null ? null : qk + av;
}

/** MACs of a node from its input and output shapes; undefined when the op does no MAC work. */
export function nodeMacs(node: NodeInfo, ins: Shapes, outs: Shapes): number | null | undefined {
  switch (node.opType) {
    case 'Conv':
    case 'ConvInteger':
      return mul(n(outs[0]), n(ins[1]?.slice(1)));
    case 'QLinearConv':
      return mul(n(outs[0]), n(ins[3]?.slice(1)));
    case 'ConvTranspose':
      return mul(n(ins[0]), n(ins[1]?.slice(1)));
    case 'Gemm': {
      const a = ins[0];
      const k = a && a.length === 2 ? (node.attributes.get('transA')?.i ? a[0] : a[1]) : null;
      return mul(n(outs[0]), k);
    }
    case 'MatMul':
    case 'MatMulInteger':
    case 'FusedMatMul':
      return mul(n(outs[0]), matmulK(ins[0]));
    case 'QLinearMatMul':
      return mul(n(outs[0]), matmulK(ins[0]));
    case 'Einsum': {
      const res = einsumSizes(parseEinsum(node.attributes.get('equation')?.s ?? ''), ins);
      return res ? mul(n([...res.sizes.values()]), n(res.ellipsis)) : null;
    }
    case 'LSTM':
    case 'GRU':
    case 'RNN':
      return recurrentMacs(ins);
    case 'Attention':
    case 'MultiHeadAttention':
      return attentionMacs(node, ins);
    default:
      return undefined;
  }
}

/** Operators nodeMacs counts; for the others it returns undefined without looking at shapes. */
const MAC_OPS = new Set(
  'Conv ConvInteger QLinearConv ConvTranspose Gemm MatMul MatMulInteger FusedMatMul QLinearMatMul Einsum LSTM GRU RNN Attention MultiHeadAttention'.split(
    ' ',
  ),
);

/** Elements of a fact's shape, or null when unknown. */
function elements(f: TensorFact | undefined): number | null {
  const s = f?.shape;
  return s ? prod(s) : null;
}

/** Shapes of facts, for the MAC formulas (built only for the few nodes that have one). */
function shapesOf(facts: (TensorFact | undefined)[]): Shapes {
  const out: Shapes = new Array<SDim[] | undefined>(facts.length);
  for (let i = 0; i < facts.length; i++) out[i] = facts[i]?.shape;
  return out;
}

function otherFlops(node: NodeInfo, ins: (TensorFact | undefined)[], outs: (TensorFact | undefined)[]): number | null {
  const op = node.opType;
  if (NO_FLOPS.has(op)) return 0;
  if (op.startsWith('Global') || op.startsWith('Reduce') || op === 'ArgMax' || op === 'ArgMin') return elements(ins[0]);
  const out = elements(outs[0]);
  if (op === 'MaxPool' || op === 'AveragePool' || op === 'LpPool')
    return mul(out, n(node.attributes.get('kernel_shape')?.ints ?? []));
  return out === null ? null : out * (PER_ELEMENT.get(op) ?? 1);
}

/** Bytes of a fact, or null when its shape is not fully known. */
export function factBytes(f: TensorFact | undefined): number | null {
  const count = f?.shape ? prod(f.shape) : null;
  return count === null || !f ? null : dtypeBytes(f.dtype, count);
}

/**
 * Cost of one node from the facts of its inputs and outputs (`scope` serves constant tensor sizes),
 * written into `out`. Without per-node arrays, closures or result objects: it runs once per node of a
 * cold summary, and objects whose number fields later widen to doubles get their maps migrated.
 */
export function costInto(
  out: NodeCost,
  node: NodeInfo,
  inFacts: (TensorFact | undefined)[],
  outFacts: (TensorFact | undefined)[],
  scope: Scope,
): void {
  const op = node.opType;
  const macOp = MAC_OPS.has(op);
  let macs: number | null = 0;
  let flops: number | null;
  if (macOp) {
    macs = nodeMacs(node, shapesOf(inFacts), shapesOf(outFacts)) ?? null;
    const bias =
      (op === 'Conv' || op === 'ConvTranspose' || op === 'Gemm') && node.inputs[2] ? elements(outFacts[0]) : 0;
    flops = macs === null || bias === null ? null : 2 * macs + bias;
  } else flops = otherFlops(node, inFacts, outFacts);
  let paramBytes = 0;
  for (let i = 0; i < inFacts.length; i++) {
    const f = inFacts[i];
    if (f?.isConstant) paramBytes += scope.constTensor(node.inputs[i] ?? '')?.bytes ?? factBytes(f) ?? 0;
  }
  let activationBytes: number | null = 0;
  for (let i = 0; i < outFacts.length; i++) {
    const f = outFacts[i];
    const b = f?.isConstant ? 0 : factBytes(f);
    activationBytes = b === null || activationBytes === null ? null : activationBytes + b;
  }
  out.macs = macs;
  out.flops = flops;
  out.paramBytes = paramBytes;
  out.activationBytes = activationBytes;
  out.macOp = macOp;
}

/** Cost of one node from the facts of its inputs and outputs (`scope` serves constant tensor sizes). */
export function nodeCost(
  node: NodeInfo,
  inFacts: (TensorFact | undefined)[],
  outFacts: (TensorFact | undefined)[],
  scope: Scope,
): NodeCost {
  const out: NodeCost = { macs: 0, flops: 0, paramBytes: 0, activationBytes: 0, macOp: false };
  costInto(out, node, inFacts, outFacts, scope);
  return out;
}
