/**
 * Static int8 quantization in QDQ form: QuantizeLinear → DequantizeLinear pairs on the activations that
 * feed MatMul, Gemm and Conv (ranges calibrated on sample inputs) and int8 weights behind
 * DequantizeLinear. onnxruntime recognises the pattern and runs the integer kernels; other runtimes still
 * read a valid float graph.
 */
import { onnx } from '../../analyzers/onnx/generated/onnx';
import { Constants, DT, Namer, NotApplicableError, dimsOf, dropUnusedConstants, intAttr, makeNode, opsetOf, rawTensor } from './graph';
import { quantizeInt8 } from './weights';

const TARGETS = new Set(['MatMul', 'Gemm', 'Conv']);

/** A calibrated activation range. */
export interface Range {
  min: number;
  max: number;
}

interface Target {
  node: onnx.INodeProto;
  activation: string;
  weight: string;
  /** Axis of the output channels in the weight tensor. */
  axis: number;
}

/** Nodes of the main graph that static quantization would rewrite, with the activations to calibrate. */
export function staticTargets(model: onnx.IModelProto): Target[] {
  const graph = model.graph;
  if (!graph) return [];
  const consts = new Constants(graph);
  const out: Target[] = [];
  for (const node of graph.node ?? []) {
    const op = node.opType ?? '';
    if ((node.domain ?? '') !== '' || !TARGETS.has(op)) continue;
    const [a, w] = node.input ?? [];
    const wt = consts.get(w);
    if (!a || !w || !wt || consts.get(a) || !consts.floats(w)) continue;
    if (op === 'Gemm' && intAttr(node, 'transA', 0) !== 0) continue;
    if (op === 'MatMul' && dimsOf(wt).length !== 2) continue;
    const axis = op === 'Conv' ? 0 : op === 'Gemm' && intAttr(node, 'transB', 0) === 1 ? 0 : 1;
    out.push({ node, activation: a, weight: w, axis });
  }
  return out;
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

function qdqActivation(graph: onnx.IGraphProto, namer: Namer, name: string, r: Range, out: onnx.INodeProto[], domain: string): string {
  const { scale, zeroPoint } = uint8Params(r);
  const s = namer.fresh(`${name}_scale`);
  const z = namer.fresh(`${name}_zero_point`);
  graph.initializer?.push(rawTensor(s, DT.FLOAT, [], new Float32Array([scale])), rawTensor(z, DT.UINT8, [], new Uint8Array([zeroPoint])));
  const q = namer.fresh(`${name}_QuantizeLinear`);
  const dq = namer.fresh(`${name}_DequantizeLinear`);
  out.push(makeNode('QuantizeLinear', [name, s, z], [q], `${q}_node`, {}, domain), makeNode('DequantizeLinear', [q, s, z], [dq], `${dq}_node`, {}, domain));
  return dq;
}

function qdqWeight(graph: onnx.IGraphProto, consts: Constants, namer: Namer, t: Target, perChannel: boolean, out: onnx.INodeProto[], domain: string): string {
  const w = consts.floats(t.weight) as Float32Array;
  const dims = dimsOf(consts.get(t.weight) ?? {});
  const qw = quantizeInt8(w, dims, t.axis, perChannel);
  const q = namer.fresh(`${t.weight}_quantized`);
  const s = namer.fresh(`${t.weight}_scale`);
  const z = namer.fresh(`${t.weight}_zero_point`);
  const vec = perChannel ? [qw.scales.length] : [];
  graph.initializer?.push(rawTensor(q, DT.INT8, dims, qw.q), rawTensor(s, DT.FLOAT, vec, qw.scales), rawTensor(z, DT.INT8, vec, new Int8Array(perChannel ? qw.scales.length : 1)));
  const dq = namer.fresh(`${t.weight}_DequantizeLinear`);
  out.push(makeNode('DequantizeLinear', [q, s, z], [dq], `${dq}_node`, perChannel ? { axis: t.axis } : {}, domain));
  return dq;
}

/**
 * Rewrites `model` in place with the calibrated `ranges`; returns notes. Per-channel weight scales need
 * opset 13 (DequantizeLinear's axis); older models get per-tensor scales.
 */
export function quantizeStatic(model: onnx.IModelProto, ranges: Map<string, Range>, opts: { perChannel?: boolean } = {}): string[] {
  const graph = model.graph;
  if (!graph) throw new NotApplicableError('the model has no graph');
  const opset = opsetOf(model);
  const targets = staticTargets(model);
  if (targets.length === 0) throw new NotApplicableError('no MatMul, Gemm or Conv node with constant float weights in the main graph');
  if (opset < 10) throw new NotApplicableError(`opset ${opset} is older than 10, which QuantizeLinear needs (int8-dynamic still applies through onnxruntime's contrib op)`);
  const domain = '';
  const perChannel = (opts.perChannel ?? true) && opset >= 13;
  const consts = new Constants(graph);
  const namer = new Namer(graph);
  graph.initializer ??= [];
  const byNode = new Map(targets.map((t) => [t.node, t]));
  const dqOf = new Map<string, string>();
  const out: onnx.INodeProto[] = [];
  let skipped = 0;
  for (const node of graph.node ?? []) {
    const t = byNode.get(node);
    const r = t ? ranges.get(t.activation) : undefined;
    if (t && r && Number.isFinite(r.min) && Number.isFinite(r.max)) {
      const a = dqOf.get(t.activation) ?? qdqActivation(graph, namer, t.activation, r, out, domain);
      dqOf.set(t.activation, a);
      const w = qdqWeight(graph, consts, namer, t, perChannel, out, domain);
      node.input = [a, w, ...(node.input ?? []).slice(2)];
    } else if (t) skipped++;
    out.push(node);
  }
  if (skipped === targets.length) throw new NotApplicableError('calibration saw none of the activations to quantize');
  graph.node = out;
  dropUnusedConstants(graph);
  const notes = [`${targets.length - skipped} of ${targets.length} MatMul/Gemm/Conv nodes in QDQ int8 (${perChannel ? 'per-channel' : 'per-tensor'} weights, uint8 activations)`];
  if (skipped) notes.push(`${skipped} nodes kept in fp32: their activations were not seen during calibration`);
  return notes;
}
