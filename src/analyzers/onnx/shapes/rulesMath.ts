/** Shape rules of arithmetic operators: element-wise, convolution, pooling, matrix products, reductions. */
import {
  BOOL,
  FLOAT,
  INT32,
  INT64,
  UINT8,
  attrInt,
  attrInts,
  attrStr,
  broadcast,
  fact,
  foldElementwise,
  normAxis,
  sameAs,
  type RuleContext,
  type SDim,
  type ShapeRule,
  type TensorFact,
} from './common';
import { dtypeInfo } from '../dtypes';

const UNARY =
  'Abs Acos Acosh Asin Asinh Atan Atanh BitwiseNot Ceil Celu Cos Cosh Elu Erf Exp Floor Gelu HardSigmoid HardSwish Hardmax Identity IsInf IsNaN LeakyRelu Log LogSoftmax LpNormalization LRN MeanVarianceNormalization Mish Neg Not PRelu Reciprocal Relu Round Selu Shrink Sigmoid Sign Sin Sinh Softmax Softplus Softsign Sqrt Tan Tanh ThresholdedRelu Clip CumSum Trilu ReverseSequence InstanceNormalization GroupNormalization FastGelu BiasGelu QuickGelu Swish';
const BINARY = 'Add Sub Mul Div Pow Mod Max Min Sum Mean BitShift BitwiseAnd BitwiseOr BitwiseXor';
const COMPARE = 'Equal Less Greater LessOrEqual GreaterOrEqual And Or Xor';

const FOLD_OPS: Record<string, (...xs: number[]) => number> = {
  Add: (a, b) => (a as number) + (b as number),
  Sub: (a, b) => (a as number) - (b as number),
  Mul: (a, b) => (a as number) * (b as number),
  Max: (...xs) => Math.max(...xs),
  Min: (...xs) => Math.min(...xs),
  Equal: (a, b) => (a === b ? 1 : 0),
  Less: (a, b) => ((a as number) < (b as number) ? 1 : 0),
  Greater: (a, b) => ((a as number) > (b as number) ? 1 : 0),
  Where: (c, a, b) => (c ? (a as number) : (b as number)),
};

const UNARY_FOLD_OPS: Record<string, (x: number) => number> = {
  Identity: (x) => x,
  Neg: (x) => -x,
  Abs: Math.abs,
  Floor: Math.floor,
  Ceil: Math.ceil,
  Sqrt: Math.sqrt,
  Round: Math.round,
  Not: (x) => (x ? 0 : 1),
};

/** The tables above as Maps, looked up by decoded op names (see RULES in infer.ts). */
const FOLD = new Map(Object.entries(FOLD_OPS));
const UNARY_FOLD = new Map(Object.entries(UNARY_FOLD_OPS));

/** Folds an element-wise node over small constant inputs, so shape chains like Shape→Mul→Reshape resolve. */
function foldValues(
  c: RuleContext,
  op: (...xs: number[]) => number | undefined,
  intResult: boolean,
): number[] | undefined {
  const shapes: SDim[][] = [];
  const values: number[][] = [];
  for (let i = 0; i < c.node.inputs.length; i++) {
    const x = c.inputs[i];
    const v = c.value(i);
    if (!x?.shape || !v) return undefined;
    shapes.push(x.shape);
    values.push(v);
  }
  const out = foldElementwise(shapes, values, (...xs) => op(...xs) ?? NaN);
  return out && intResult ? out.map(Math.trunc) : out;
}

function elementwise(c: RuleContext, dtype?: number): TensorFact | undefined {
  const shapes: (SDim[] | undefined)[] = [];
  for (let i = 0; i < c.node.inputs.length; i++) shapes.push(c.inputs[i]?.shape);
  const shape = broadcast(shapes);
  const dt = dtype ?? c.inputs.find((x) => x)?.dtype ?? 0;
  const op =
    c.node.opType === 'Div' ? (a?: number, b?: number) => (b ? (a as number) / b : undefined) : FOLD.get(c.node.opType);
  const value = op && c.node.inputs.length <= 3 ? foldValues(c, op, dtypeInfo(dt).isInteger) : undefined;
  return fact(dt, shape, value);
}

/** Output size of one spatial axis of a convolution or pooling window. */
function windowOut(
  inDim: SDim,
  k: number,
  s: number,
  d: number,
  padSum: number,
  autoPad: string,
  ceil: boolean,
  padBegin: number,
): SDim {
  if (inDim === null) return null;
  if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') return Math.ceil(inDim / s);
  const eff = d * (k - 1) + 1;
  if (autoPad === 'VALID') return Math.floor((inDim - eff) / s) + 1;
  const span = inDim + padSum - eff;
  let out = (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  // A ceil-mode window must start inside the input or the left padding, as onnxruntime enforces.
  if (ceil && (out - 1) * s >= inDim + padBegin) out--;
  return out;
}

function spatialOut(c: RuleContext, x: SDim[], kernel: number[], ceil: boolean): SDim[] {
  const n = kernel.length;
  const strides = attrInts(c, 'strides') ?? [];
  const dil = attrInts(c, 'dilations') ?? [];
  const pads = attrInts(c, 'pads') ?? [];
  const autoPad = attrStr(c, 'auto_pad', 'NOTSET');
  const out: SDim[] = [];
  for (let i = 0; i < n; i++) {
    const padBegin = pads[i] ?? 0;
    out.push(
      windowOut(
        x[2 + i] ?? null,
        kernel[i] ?? 1,
        strides[i] ?? 1,
        dil[i] ?? 1,
        padBegin + (pads[i + n] ?? 0),
        autoPad,
        ceil,
        padBegin,
      ),
    );
  }
  return out;
}

/** Conv-like rule: data input `xi`, weight input `wi`, output dtype. */
function conv(xi: number, wi: number, dtype?: (c: RuleContext) => number): ShapeRule {
  return (c) => {
    const x = c.inputs[xi];
    const w = c.inputs[wi];
    if (!x?.shape || !w?.shape) return [undefined];
    const kernel = attrInts(c, 'kernel_shape') ?? (w.shape.slice(2) as number[]);
    if (kernel.some((k) => k === null)) return [fact(x.dtype, undefined)];
    const dt = dtype ? dtype(c) : x.dtype;
    return [fact(dt, [x.shape[0] ?? null, w.shape[0] ?? null, ...spatialOut(c, x.shape, kernel, false)])];
  };
}

const convTranspose: ShapeRule = (c) => {
  const x = c.inputs[0];
  const w = c.inputs[1];
  if (!x?.shape || !w?.shape) return [undefined];
  const n = x.shape.length - 2;
  const kernel = attrInts(c, 'kernel_shape') ?? (w.shape.slice(2) as number[]);
  const strides = attrInts(c, 'strides') ?? [];
  const dil = attrInts(c, 'dilations') ?? [];
  const pads = attrInts(c, 'pads') ?? [];
  const outPad = attrInts(c, 'output_padding') ?? [];
  const given = attrInts(c, 'output_shape');
  const autoPad = attrStr(c, 'auto_pad', 'NOTSET');
  const channels = w.shape[1] === null || w.shape[1] === undefined ? null : w.shape[1] * attrInt(c, 'group', 1);
  const spatial: SDim[] = [];
  for (let i = 0; i < n; i++) {
    const inDim = x.shape[2 + i] ?? null;
    const s = strides[i] ?? 1;
    const k = kernel[i] ?? null;
    if (given) spatial.push(given[given.length - n + i] ?? null);
    else if (inDim === null || k === null) spatial.push(null);
    else if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') spatial.push(inDim * s);
    else
      spatial.push(
        s * (inDim - 1) + (outPad[i] ?? 0) + ((k - 1) * (dil[i] ?? 1) + 1) - (pads[i] ?? 0) - (pads[i + n] ?? 0),
      );
  }
  return [fact(x.dtype, [x.shape[0] ?? null, channels, ...spatial])];
};

const pool: ShapeRule = (c) => {
  const x = c.inputs[0];
  const kernel = attrInts(c, 'kernel_shape');
  if (!x?.shape || !kernel) return [undefined, undefined];
  const shape = [
    x.shape[0] ?? null,
    x.shape[1] ?? null,
    ...spatialOut(c, x.shape, kernel, attrInt(c, 'ceil_mode', 0) === 1),
  ];
  return [fact(x.dtype, shape), fact(INT64, shape)];
};

const globalPool: ShapeRule = (c) => {
  const x = c.inputs[0];
  return [
    x?.shape
      ? fact(
          x.dtype,
          x.shape.map((d, i) => (i < 2 ? d : 1)),
        )
      : undefined,
  ];
};

const gemm: ShapeRule = (c) => {
  const a = c.inputs[0]?.shape;
  const b = c.inputs[1]?.shape;
  if (!a || !b || a.length !== 2 || b.length !== 2) return [undefined];
  const m = attrInt(c, 'transA', 0) ? a[1] : a[0];
  const n = attrInt(c, 'transB', 0) ? b[0] : b[1];
  return [fact(c.inputs[0]?.dtype ?? FLOAT, [m ?? null, n ?? null])];
};

/** Numpy matmul shape of two operand shapes. */
export function matmulShape(a: SDim[] | undefined, b: SDim[] | undefined): SDim[] | undefined {
  if (!a || !b || a.length === 0 || b.length === 0) return undefined;
  const a2 = a.length === 1 ? [1, a[0] ?? null] : a;
  const b2 = b.length === 1 ? [b[0] ?? null, 1] : b;
  const batch = broadcast([a2.slice(0, -2), b2.slice(0, -2)]);
  if (!batch) return undefined;
  const out = [...batch, a2[a2.length - 2] ?? null, b2[b2.length - 1] ?? null];
  if (b.length === 1) out.pop();
  if (a.length === 1) out.splice(out.length - (b.length === 1 ? 1 : 2), 1);
  return out;
}

function matmul(ai: number, bi: number, dtype?: (c: RuleContext) => number): ShapeRule {
  return (c) => [
    fact(dtype ? dtype(c) : (c.inputs[ai]?.dtype ?? FLOAT), matmulShape(c.inputs[ai]?.shape, c.inputs[bi]?.shape)),
  ];
}

function reduce(axesInputFromOpset: number): ShapeRule {
  return (c) => {
    const x = c.inputs[0];
    if (!x?.shape) return [undefined];
    const keep = attrInt(c, 'keepdims', 1) === 1;
    const fromInput = c.opset >= axesInputFromOpset;
    const axes = fromInput ? (c.node.inputs[1] ? c.value(1) : []) : (attrInts(c, 'axes') ?? []);
    if (axes === undefined) return [fact(x.dtype, keep ? x.shape.map(() => null) : undefined)];
    const rank = x.shape.length;
    const noop = fromInput && axes.length === 0 && attrInt(c, 'noop_with_empty_axes', 0) === 1;
    if (noop) return [fact(x.dtype, x.shape)];
    const set = new Set(axes.length ? axes.map((a) => normAxis(a, rank)) : x.shape.map((_, i) => i));
    const shape: SDim[] = [];
    x.shape.forEach((d, i) => {
      if (!set.has(i)) shape.push(d);
      else if (keep) shape.push(1);
    });
    return [fact(x.dtype, shape)];
  };
}

const argReduce: ShapeRule = (c) => {
  const x = c.inputs[0];
  if (!x?.shape) return [undefined];
  const axis = normAxis(attrInt(c, 'axis', 0), x.shape.length);
  const keep = attrInt(c, 'keepdims', 1) === 1;
  return [
    fact(
      INT64,
      x.shape.flatMap((d, i) => (i !== axis ? [d] : keep ? [1] : [])),
    ),
  ];
};

const layerNorm: ShapeRule = (c) => {
  const x = c.inputs[0];
  if (!x?.shape) return [sameAs(c)];
  const axis = normAxis(attrInt(c, 'axis', -1), x.shape.length) ?? x.shape.length - 1;
  const stat = x.shape.map((d, i) => (i < axis ? d : 1));
  return [sameAs(c), fact(FLOAT, stat), fact(FLOAT, stat)];
};

const batchNorm: ShapeRule = (c) => {
  const ch = c.inputs[1]?.shape;
  return [sameAs(c), ...[1, 2, 3, 4].map(() => (ch ? fact(FLOAT, ch) : undefined))];
};

const cast: ShapeRule = (c) => {
  const x = c.inputs[0];
  const to = c.node.opType === 'CastLike' ? (c.inputs[1]?.dtype ?? 0) : attrInt(c, 'to', 0);
  const v = c.value(0);
  const value = v && dtypeInfo(to).isInteger ? v.map(Math.trunc) : v;
  return [x ? fact(to, x.shape, value) : undefined];
};

const unary: ShapeRule = (c) => {
  const x = c.inputs[0];
  if (!x) return [undefined];
  const f = UNARY_FOLD.get(c.node.opType);
  const v = f ? c.value(0) : undefined;
  return [fact(x.dtype, x.shape, v && f ? v.map(f) : undefined)];
};

const quantize: ShapeRule = (c) => [sameAs(c, 0, c.inputs[2]?.dtype ?? (attrInt(c, 'output_dtype', 0) || UINT8))];

/** Rules of this file by operator type. */
export const MATH_RULES: Record<string, ShapeRule> = {
  Conv: conv(0, 1),
  ConvInteger: conv(0, 1, () => INT32),
  QLinearConv: conv(0, 3, (c) => c.inputs[7]?.dtype ?? UINT8),
  ConvTranspose: convTranspose,
  MaxPool: pool,
  AveragePool: pool,
  LpPool: pool,
  GlobalAveragePool: globalPool,
  GlobalMaxPool: globalPool,
  GlobalLpPool: globalPool,
  Gemm: gemm,
  MatMul: matmul(0, 1),
  FusedMatMul: matmul(0, 1),
  MatMulInteger: matmul(0, 1, () => INT32),
  QLinearMatMul: matmul(0, 3, (c) => c.inputs[7]?.dtype ?? UINT8),
  ReduceSum: reduce(13),
  ReduceMean: reduce(18),
  ReduceMax: reduce(18),
  ReduceMin: reduce(18),
  ReduceProd: reduce(18),
  ReduceL1: reduce(18),
  ReduceL2: reduce(18),
  ReduceLogSum: reduce(18),
  ReduceLogSumExp: reduce(18),
  ReduceSumSquare: reduce(18),
  ArgMax: argReduce,
  ArgMin: argReduce,
  LayerNormalization: layerNorm,
  SkipLayerNormalization: (c) => [sameAs(c)],
  BatchNormalization: batchNorm,
  Dropout: (c) => [sameAs(c), sameAs(c, 0, BOOL)],
  Cast: cast,
  CastLike: cast,
  QuantizeLinear: quantize,
  DequantizeLinear: (c) => [sameAs(c, 0, c.inputs[1]?.dtype ?? FLOAT)],
  DynamicQuantizeLinear: (c) => [sameAs(c, 0, UINT8), fact(FLOAT, []), fact(UINT8, [])],
  Where: (c) => [elementwise(c, c.inputs[1]?.dtype ?? c.inputs[2]?.dtype)],
  QLinearAdd: (c) => [fact(c.inputs[7]?.dtype ?? UINT8, broadcast([c.inputs[0]?.shape, c.inputs[3]?.shape]))],
  QLinearMul: (c) => [fact(c.inputs[7]?.dtype ?? UINT8, broadcast([c.inputs[0]?.shape, c.inputs[3]?.shape]))],
};
for (const op of UNARY.split(' ')) MATH_RULES[op] = unary;
for (const op of BINARY.split(' ')) MATH_RULES[op] = (c) => [elementwise(c)];
for (const op of COMPARE.split(' ')) MATH_RULES[op] = (c) => [elementwise(c, BOOL)];
MATH_RULES.PRelu = (c) => [sameAs(c)];
