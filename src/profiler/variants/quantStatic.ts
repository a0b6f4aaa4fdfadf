/**
 * Static int8 quantization in QDQ form: QuantizeLinear → DequantizeLinear pairs on the activations that
 * the plan in qdqPlan.ts selects (ranges calibrated on sample inputs) and int8 weights behind
 * DequantizeLinear. onnxruntime recognises the pattern and runs integer kernels (QLinearConv chains in
 * NHWC for CNNs, MatMulIntegerToFloat for MatMul/Gemm); other runtimes still read a valid float graph.
 */
import { onnx } from '../../analyzers/onnx/generated/onnx';
import {
  Constants,
  DT,
  Namer,
  NotApplicableError,
  dimsOf,
  dropUnusedConstants,
  floatAttr,
  makeNode,
  opsetOf,
  rawTensor,
} from './graph';
import { planQdq, type Target } from './qdqPlan';
import { quantizeInt8 } from './weights';

export { calibrationNames, staticTargets, type Target } from './qdqPlan';

/** A calibrated activation range. */
export interface Range {
  min: number;
  max: number;
}

/**
 * The model with the activations to calibrate as extra outputs (float tensors). A shallow copy: the
 * weights are shared with `model`, which is encoded once instead of decoded and re-encoded.
 */
export function calibrationModel(model: onnx.IModelProto, names: string[]): Uint8Array {
  const graph = model.graph ?? {};
  const outputs = [...(graph.output ?? [])];
  const have = new Set(outputs.map((o) => o.name));
  for (const name of names) {
    if (have.has(name)) continue;
    outputs.push(onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: DT.FLOAT } } }));
  }
  return onnx.ModelProto.encode({ ...model, graph: { ...graph, output: outputs } }).finish();
}

/** uint8 asymmetric scale and zero point of a range (which is widened to include 0, as ONNX requires). */
export function uint8Params(r: Range): { scale: number; zeroPoint: number } {
  const lo = Math.min(0, r.min);
  const hi = Math.max(0, r.max);
  const scale = hi > lo ? (hi - lo) / 255 : 1;
  return { scale, zeroPoint: Math.min(255, Math.max(0, Math.round(-lo / scale))) };
}

interface Rewrite {
  graph: onnx.IGraphProto;
  namer: Namer;
  consts: Constants;
  perChannel: boolean;
  /** Scale and zero-point initializers per range source, shared by tensors with the same source. */
  params: Map<string, [string, string]>;
  /** DequantizeLinear output per quantized tensor: what its consumers read instead. */
  dq: Map<string, string>;
}

function paramsOf(rw: Rewrite, source: string, r: Range): [string, string] {
  const have = rw.params.get(source);
  if (have) return have;
  const { scale, zeroPoint } = uint8Params(r);
  const names: [string, string] = [rw.namer.fresh(`${source}_scale`), rw.namer.fresh(`${source}_zero_point`)];
  rw.graph.initializer?.push(
    rawTensor(names[0], DT.FLOAT, [], new Float32Array([scale])),
    rawTensor(names[1], DT.UINT8, [], new Uint8Array([zeroPoint])),
  );
  rw.params.set(source, names);
  return names;
}

function qdq(rw: Rewrite, name: string, params: [string, string]): onnx.INodeProto[] {
  const q = rw.namer.fresh(`${name}_QuantizeLinear`);
  const dq = rw.namer.fresh(`${name}_DequantizeLinear`);
  rw.dq.set(name, dq);
  return [
    makeNode('QuantizeLinear', [name, ...params], [q], `${q}_node`),
    makeNode('DequantizeLinear', [q, ...params], [dq], `${dq}_node`),
  ];
}

/**
 * Gemm's bias as int32 behind DequantizeLinear with scale = activation scale × weight scale, as
 * onnxruntime's own quantizer writes it: only then does onnxruntime fuse the group into QGemm; a float
 * bias leaves a float Gemm that dequantizes its whole weight on every run.
 */
function qdqGemmBias(rw: Rewrite, t: Target, activationScale: number, weightScales: Float32Array): onnx.INodeProto[] {
  const c = t.node.input?.[2];
  const bias = rw.consts.floats(c);
  if (!c || !bias || floatAttr(t.node, 'beta', 1) !== 1 || dimsOf(rw.consts.get(c) ?? {}).length !== 1) return [];
  const n = bias.length;
  if (weightScales.length !== 1 && weightScales.length !== n) return [];
  const scales = Float32Array.from(weightScales, (s) => s * activationScale);
  const q = Int32Array.from(bias, (b, i) =>
    Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, Math.round(b / (scales[weightScales.length === 1 ? 0 : i] ?? 1)))),
  );
  const [qn, sn, zn, dq] = [`${c}_quantized`, `${c}_scale`, `${c}_zero_point`, `${c}_DequantizeLinear`].map((x) =>
    rw.namer.fresh(x),
  ) as [string, string, string, string];
  const vec = scales.length === 1 ? [] : [n];
  rw.graph.initializer?.push(
    rawTensor(qn, DT.INT32, [n], q),
    rawTensor(sn, DT.FLOAT, vec, scales),
    rawTensor(zn, DT.INT32, vec, new Int32Array(scales.length)),
  );
  t.node.input = [...(t.node.input ?? []).slice(0, 2), dq];
  return [makeNode('DequantizeLinear', [qn, sn, zn], [dq], `${dq}_node`, scales.length === 1 ? {} : { axis: 0 })];
}

function qdqWeight(rw: Rewrite, t: Target, activationScale: number): onnx.INodeProto[] {
  const w = rw.consts.floats(t.weight) as Float32Array;
  const dims = dimsOf(rw.consts.get(t.weight) ?? {});
  const qw = quantizeInt8(w, dims, t.axis, rw.perChannel);
  const q = rw.namer.fresh(`${t.weight}_quantized`);
  const s = rw.namer.fresh(`${t.weight}_scale`);
  const z = rw.namer.fresh(`${t.weight}_zero_point`);
  const vec = rw.perChannel ? [qw.scales.length] : [];
  rw.graph.initializer?.push(
    rawTensor(q, DT.INT8, dims, qw.q),
    rawTensor(s, DT.FLOAT, vec, qw.scales),
    rawTensor(z, DT.INT8, vec, new Int8Array(rw.perChannel ? qw.scales.length : 1)),
  );
  const dq = rw.namer.fresh(`${t.weight}_DequantizeLinear`);
  t.node.input = [t.node.input?.[0] ?? '', dq, ...(t.node.input ?? []).slice(2)];
  const bias = t.node.opType === 'Gemm' ? qdqGemmBias(rw, t, activationScale, qw.scales) : [];
  return [makeNode('DequantizeLinear', [q, s, z], [dq], `${dq}_node`, rw.perChannel ? { axis: t.axis } : {}), ...bias];
}

/**
 * Rewrites `model` in place with the calibrated `ranges`; returns notes. Per-channel weight scales need
 * opset 13 (DequantizeLinear's axis); older models get per-tensor scales.
 */
export function quantizeStatic(
  model: onnx.IModelProto,
  ranges: Map<string, Range>,
  opts: { perChannel?: boolean } = {},
): string[] {
  const graph = model.graph;
  if (!graph) throw new NotApplicableError('the model has no graph');
  const opset = opsetOf(model);
  const known = (n: string) => {
    const r = ranges.get(n);
    return r !== undefined && Number.isFinite(r.min) && Number.isFinite(r.max);
  };
  const plan = planQdq(model, known);
  if (plan.targets.length === 0)
    throw new NotApplicableError('no MatMul, Gemm or Conv node with constant float weights in the main graph');
  if (opset < 10)
    throw new NotApplicableError(
      `opset ${opset} is older than 10, which QuantizeLinear needs (int8-dynamic still applies through onnxruntime's contrib op)`,
    );
  const quantized = plan.targets.filter((t) => plan.tensors.has(t.activation));
  if (quantized.length === 0) throw new NotApplicableError('calibration saw none of the activations to quantize');
  const rw: Rewrite = {
    graph,
    namer: new Namer(graph),
    consts: new Constants(graph),
    perChannel: (opts.perChannel ?? true) && opset >= 13,
    params: new Map(),
    dq: new Map(),
  };
  graph.initializer ??= [];
  const pairFor = (t: string) =>
    qdq(rw, t, paramsOf(rw, plan.tensors.get(t) ?? t, ranges.get(plan.tensors.get(t) ?? t) as Range));
  // Graph inputs are quantized before the first node; every other tensor right after its producer.
  const out: onnx.INodeProto[] = (graph.input ?? []).flatMap((v) =>
    plan.tensors.has(v.name ?? '') ? pairFor(v.name ?? '') : [],
  );
  const weightOf = new Map(quantized.map((t) => [t.node, t]));
  for (const node of graph.node ?? []) {
    node.input = (node.input ?? []).map((i) => rw.dq.get(i) ?? i);
    const t = weightOf.get(node);
    if (t) out.push(...qdqWeight(rw, t, uint8Params(ranges.get(plan.tensors.get(t.activation) ?? '') as Range).scale));
    out.push(node);
    for (const o of node.output ?? []) if (plan.tensors.has(o)) out.push(...pairFor(o));
  }
  graph.node = out;
  dropUnusedConstants(graph);
  const skipped = plan.targets.length - quantized.length;
  const notes = [
    `${quantized.length} of ${plan.targets.length} MatMul/Gemm/Conv nodes in QDQ int8 (${rw.perChannel ? 'per-channel' : 'per-tensor'} weights, uint8 activations); ${plan.tensors.size} activation tensors quantized`,
  ];
  if (skipped) notes.push(`${skipped} nodes kept in fp32: their activations were not seen during calibration`);
  return notes;
}
