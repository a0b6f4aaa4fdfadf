/**
 * Dynamic int8 quantization as onnxruntime's own quantizer emits it: activations quantized at run time
 * by DynamicQuantizeLinear, constant weights stored as int8, MatMulInteger (or ConvInteger) in int32,
 * then Cast and a multiply by the product of the scales. Keeping exactly that node pattern matters:
 * onnxruntime fuses it into DynamicQuantizeMatMul / MatMulIntegerToFloat, its fast int8 kernels.
 */
import type { onnx } from '../../analyzers/onnx/generated/onnx';
import {
  Constants,
  DT,
  Namer,
  NotApplicableError,
  addOpset,
  dimsOf,
  dropUnusedConstants,
  floatAttr,
  intAttr,
  makeNode,
  opsetOf,
  rawTensor,
} from './graph';
import { quantizeInt8, transpose2d } from './weights';

/** Options of the dynamic quantizer. */
export interface DynamicQuantOptions {
  /** Op types to quantize; default MatMul and Gemm (Conv → ConvInteger is opt-in, see docs/profiler.md). */
  ops?: string[];
  perChannel?: boolean;
}

interface Ctx {
  graph: onnx.IGraphProto;
  consts: Constants;
  namer: Namer;
  perChannel: boolean;
  /** Before opset 11 there is no DynamicQuantizeLinear: use onnxruntime's fused contrib op instead. */
  contrib: boolean;
  /** DynamicQuantizeLinear outputs per activation, so that Q, K and V projections share one. */
  quantized: Map<string, [string, string, string]>;
  /** Quantized weights by source tensor, so that weights shared between layers are stored once. */
  weights: Map<onnx.ITensorProto, [string, string, string]>;
  out: onnx.INodeProto[];
}

function quantizeActivation(ctx: Ctx, a: string): [string, string, string] {
  const have = ctx.quantized.get(a);
  if (have) return have;
  const names: [string, string, string] = [
    ctx.namer.fresh(`${a}_quantized`),
    ctx.namer.fresh(`${a}_scale`),
    ctx.namer.fresh(`${a}_zero_point`),
  ];
  ctx.out.push(makeNode('DynamicQuantizeLinear', [a], names, ctx.namer.fresh(`${a}_DynamicQuantizeLinear`)));
  ctx.quantized.set(a, names);
  return names;
}

/** Adds int8 weight, scale and zero-point initializers; returns their names. */
function addWeight(
  ctx: Ctx,
  base: string,
  w: Float32Array,
  dims: number[],
  axis: number,
  scaleDims?: number[],
  alpha = 1,
  scalarZp = false,
): [string, string, string] {
  const qw = quantizeInt8(w, dims, axis, ctx.perChannel);
  const scales = alpha === 1 ? qw.scales : qw.scales.map((s) => s * alpha);
  const names: [string, string, string] = [
    ctx.namer.fresh(`${base}_quantized`),
    ctx.namer.fresh(`${base}_scale`),
    ctx.namer.fresh(`${base}_zero_point`),
  ];
  const vec = ctx.perChannel ? [scales.length] : [];
  ctx.graph.initializer?.push(
    rawTensor(names[0], DT.INT8, dims, qw.q),
    rawTensor(names[1], DT.FLOAT, ctx.perChannel ? (scaleDims ?? vec) : [], scales),
    rawTensor(names[2], DT.INT8, scalarZp ? [] : vec, new Int8Array(ctx.perChannel && !scalarZp ? scales.length : 1)),
  );
  return names;
}

/** Emits Cast(int32 → float) and the scale multiply (and a bias add) producing `output`. */
function dequantizeOutput(
  ctx: Ctx,
  intOut: string,
  aScale: string,
  wScale: string,
  output: string,
  bias?: string,
): void {
  const cast = ctx.namer.fresh(`${intOut}_cast`);
  const s = ctx.namer.fresh(`${intOut}_scales_mul`);
  ctx.out.push(makeNode('Cast', [intOut], [cast], ctx.namer.fresh(`${cast}_node`), { to: DT.FLOAT }));
  ctx.out.push(makeNode('Mul', [aScale, wScale], [s], ctx.namer.fresh(`${s}_node`)));
  const scaled = bias ? ctx.namer.fresh(`${output}_unbiased`) : output;
  ctx.out.push(makeNode('Mul', [cast, s], [scaled], ctx.namer.fresh(`${scaled}_node`)));
  if (bias) ctx.out.push(makeNode('Add', [scaled, bias], [output], ctx.namer.fresh(`${output}_bias_add`)));
}

function matmulLike(
  ctx: Ctx,
  node: onnx.INodeProto,
  w: Float32Array,
  k: number,
  n: number,
  alpha: number,
  bias?: string,
  shareable = false,
): void {
  const [a = '', ,] = node.input ?? [];
  // Only untransposed, unscaled weights (MatMul) are shared: a Gemm may use the same tensor transposed.
  const source = shareable ? ctx.consts.get(node.input?.[1]) : undefined;
  let weight = source ? ctx.weights.get(source) : undefined;
  if (!weight) {
    weight = addWeight(ctx, node.input?.[1] ?? 'W', w, [k, n], 1, undefined, alpha);
    if (source) ctx.weights.set(source, weight);
  }
  const [wq, ws, wz] = weight;
  if (ctx.contrib) {
    // com.microsoft DynamicQuantizeMatMul(A, B, b_scale, b_zero_point) = what onnxruntime fuses the standard pattern into.
    const out = node.output?.[0] ?? '';
    const y = bias ? ctx.namer.fresh(`${out}_unbiased`) : out;
    ctx.out.push(
      makeNode(
        'DynamicQuantizeMatMul',
        [a, wq, ws, wz],
        [y],
        ctx.namer.fresh(`${node.name || y}_quant`),
        {},
        'com.microsoft',
      ),
    );
    if (bias) ctx.out.push(makeNode('Add', [y, bias], [out], ctx.namer.fresh(`${out}_bias_add`)));
    return;
  }
  const [aq, as, az] = quantizeActivation(ctx, a);
  const mi = ctx.namer.fresh(`${node.output?.[0] ?? 'Y'}_MatMulInteger`);
  ctx.out.push(makeNode('MatMulInteger', [aq, wq, az, wz], [mi], ctx.namer.fresh(`${node.name || mi}_quant`)));
  dequantizeOutput(ctx, mi, as, ws, node.output?.[0] ?? '', bias);
}

function tryMatMul(ctx: Ctx, node: onnx.INodeProto): boolean {
  const t = ctx.consts.get(node.input?.[1]);
  const w = ctx.consts.floats(node.input?.[1]);
  if (!t || !w || ctx.consts.get(node.input?.[0])) return false;
  const dims = dimsOf(t);
  if (dims.length !== 2) return false;
  matmulLike(ctx, node, w, dims[0] ?? 0, dims[1] ?? 0, 1, undefined, true);
  return true;
}

function gemmBias(ctx: Ctx, node: onnx.INodeProto): string | undefined | false {
  const c = node.input?.[2];
  if (!c) return undefined;
  const beta = floatAttr(node, 'beta', 1);
  const cv = ctx.consts.floats(c);
  if (!cv) return beta === 1 ? c : false;
  const name = ctx.namer.fresh(`${c}_bias`);
  ctx.graph.initializer?.push(
    rawTensor(name, DT.FLOAT, dimsOf(ctx.consts.get(c) ?? {}), beta === 1 ? cv : cv.map((x) => x * beta)),
  );
  return name;
}

function tryGemm(ctx: Ctx, node: onnx.INodeProto): boolean {
  const t = ctx.consts.get(node.input?.[1]);
  const w = ctx.consts.floats(node.input?.[1]);
  if (!t || !w || intAttr(node, 'transA', 0) !== 0) return false;
  const bias = gemmBias(ctx, node);
  if (bias === false) return false;
  const [r = 0, c = 0] = dimsOf(t);
  // Gemm's B is [K, N], or [N, K] with transB; MatMulInteger wants [K, N].
  const trans = intAttr(node, 'transB', 0) === 1;
  matmulLike(
    ctx,
    node,
    trans ? transpose2d(w, r, c) : w,
    trans ? c : r,
    trans ? r : c,
    floatAttr(node, 'alpha', 1),
    bias,
  );
  return true;
}

function tryConv(ctx: Ctx, node: onnx.INodeProto): boolean {
  const t = ctx.consts.get(node.input?.[1]);
  const w = ctx.consts.floats(node.input?.[1]);
  const b = ctx.consts.floats(node.input?.[2]);
  if (!t || !w || (node.input?.[2] && !b)) return false;
  const dims = dimsOf(t);
  const m = dims[0] ?? 0;
  const x = node.input?.[0] ?? '';
  const [xq, xs, xz] = quantizeActivation(ctx, x);
  // The scale broadcasts over [N, M, spatial...]: shape [M, 1, 1, ...] when per channel.
  // onnxruntime's ConvInteger takes only a scalar weight zero point; symmetric weights have 0 everywhere anyway.
  const [wq, ws, wz] = addWeight(ctx, node.input?.[1] ?? 'W', w, dims, 0, [m, ...dims.slice(2).map(() => 1)], 1, true);
  const ci = ctx.namer.fresh(`${node.output?.[0] ?? 'Y'}_ConvInteger`);
  const conv = makeNode('ConvInteger', [xq, wq, xz, wz], [ci], ctx.namer.fresh(`${node.name || ci}_quant`));
  conv.attribute = (node.attribute ?? []).map((a) => a);
  ctx.out.push(conv);
  let bias: string | undefined;
  if (b) {
    bias = ctx.namer.fresh(`${node.input?.[2]}_bias`);
    ctx.graph.initializer?.push(rawTensor(bias, DT.FLOAT, [m, ...dims.slice(2).map(() => 1)], b));
  }
  dequantizeOutput(ctx, ci, xs, ws, node.output?.[0] ?? '', bias);
  return true;
}

const HANDLERS: Record<string, (ctx: Ctx, node: onnx.INodeProto) => boolean> = {
  MatMul: tryMatMul,
  Gemm: tryGemm,
  Conv: tryConv,
};

/**
 * Rewrites the main graph of `model` in place; returns notes about what was quantized. Throws
 * NotApplicableError when nothing qualifies.
 */
export function quantizeDynamic(model: onnx.IModelProto, opts: DynamicQuantOptions = {}): string[] {
  const ops = opts.ops ?? ['MatMul', 'Gemm'];
  const graph = model.graph;
  if (!graph) throw new NotApplicableError('the model has no graph');
  const contrib = opsetOf(model) < 11;
  const usable = contrib ? ops.filter((o) => o !== 'Conv') : ops;
  if (usable.length === 0)
    throw new NotApplicableError(
      `opset ${opsetOf(model)} is older than 11, which ConvInteger with DynamicQuantizeLinear needs`,
    );
  const ctx: Ctx = {
    graph,
    consts: new Constants(graph),
    namer: new Namer(graph),
    perChannel: opts.perChannel ?? false,
    contrib,
    quantized: new Map(),
    weights: new Map(),
    out: [],
  };
  graph.initializer ??= [];
  const counts: Record<string, number> = {};
  for (const node of graph.node ?? []) {
    const handler =
      (node.domain ?? '') === '' && usable.includes(node.opType ?? '') ? HANDLERS[node.opType ?? ''] : undefined;
    const mark = ctx.out.length;
    if (handler && handler(ctx, node)) counts[node.opType ?? ''] = (counts[node.opType ?? ''] ?? 0) + 1;
    else {
      ctx.out.length = mark;
      ctx.out.push(node);
    }
  }
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  if (total === 0)
    throw new NotApplicableError(`no ${usable.join('/')} node with constant float weights in the main graph`);
  graph.node = ctx.out;
  dropUnusedConstants(graph);
  const notes = contrib
    ? [
        `opset ${opsetOf(model)} predates DynamicQuantizeLinear: onnxruntime's com.microsoft DynamicQuantizeMatMul is used (runs in onnxruntime only)`,
      ]
    : [];
  if (contrib) addOpset(model, 'com.microsoft', 1);
  return [
    ...notes,
    `${Object.entries(counts)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ')} quantized to int8 (${ctx.perChannel ? 'per-channel' : 'per-tensor'} weight scales)`,
  ];
}
