/**
 * Which activation tensors static int8 quantizes. onnxruntime turns a node group
 * DequantizeLinear → op → QuantizeLinear into the op's integer kernel (QLinearConv, QLinearMatMul,
 * QLinearAdd, QLinearGlobalAveragePool, uint8 MaxPool), and at level `all` keeps chains of them in NHWC
 * layout. That needs a QuantizeLinear on the op's output too, so the plan quantizes, in graph order:
 * - the activation input of every MatMul/Gemm/Conv with constant weights;
 * - the output of every such Conv and MatMul, or of the Relu / Clip(0, …) that alone consumes it
 *   (onnxruntime then drops the Relu into the quantization, whose zero point clamps at 0 as Relu does);
 *   without it a Conv stays float between two conversions, and a MatMul followed by its bias Add is
 *   rewritten by onnxruntime into a float Gemm that dequantizes its weight on every run;
 * - the output of Add, Mul and Concat whose inputs are all quantized, likewise through a Relu;
 * - the output of pooling and elementwise activations (HardSigmoid, HardSwish, Sigmoid, …) over a
 *   quantized input, so that a following Mul or Add has two quantized inputs;
 * - the output of shape-only ops (MaxPool, Flatten, Reshape, Transpose, Squeeze, Unsqueeze) over a
 *   quantized input, with the input's scale and zero point, so that onnxruntime runs them on uint8.
 * Gemm outputs stay float: with an int32 bias (quantStatic.ts) onnxruntime's QGemm has a float output.
 */
import type { onnx } from '../../analyzers/onnx/generated/onnx';
import { Constants, dimsOf, intAttr } from './graph';

/** A node whose constant float weight static quantization rewrites. */
export interface Target {
  node: onnx.INodeProto;
  activation: string;
  weight: string;
  /** Axis of the output channels in the weight tensor. */
  axis: number;
}

/** Targets and the quantized tensors, each with the tensor whose calibrated range it uses. */
export interface QdqPlan {
  targets: Target[];
  /** Quantized tensor → tensor whose range gives its scale (itself, or a shape-only op's input's source). */
  tensors: Map<string, string>;
}

const TARGETS = new Set(['MatMul', 'Gemm', 'Conv']);
const JOINS = new Set(['Add', 'Mul', 'Concat']);
const POOLS = new Set(['GlobalAveragePool', 'AveragePool']);
/** Elementwise activations: their own range, so that a following Mul or Add sees two quantized inputs. */
const UNARY = new Set(['HardSigmoid', 'HardSwish', 'Sigmoid', 'LeakyRelu', 'Tanh']);
const SHAPE_ONLY = new Set(['MaxPool', 'Flatten', 'Reshape', 'Transpose', 'Squeeze', 'Unsqueeze']);

function target(node: onnx.INodeProto, consts: Constants): Target | undefined {
  const op = node.opType ?? '';
  if ((node.domain ?? '') !== '' || !TARGETS.has(op)) return undefined;
  const [a, w] = node.input ?? [];
  const wt = consts.get(w);
  if (!a || !w || !wt || consts.get(a) || !consts.floats(w)) return undefined;
  if (op === 'Gemm' && intAttr(node, 'transA', 0) !== 0) return undefined;
  if (op === 'MatMul' && dimsOf(wt).length !== 2) return undefined;
  const axis = op === 'Conv' ? 0 : op === 'Gemm' && intAttr(node, 'transB', 0) === 1 ? 0 : 1;
  return { node, activation: a, weight: w, axis };
}

/** Nodes of the main graph that static quantization would rewrite. */
export function staticTargets(model: onnx.IModelProto): Target[] {
  const graph = model.graph;
  if (!graph) return [];
  const consts = new Constants(graph);
  return (graph.node ?? []).flatMap((n) => target(n, consts) ?? []);
}

/** A Relu, or a Clip whose lower bound is a constant 0: both become part of a uint8 quantization with zero point 0. */
function clampsAtZero(node: onnx.INodeProto, consts: Constants): boolean {
  if ((node.domain ?? '') !== '') return false;
  if (node.opType === 'Relu') return true;
  if (node.opType !== 'Clip') return false;
  const min = node.input?.[1];
  if (min) return consts.floats(min)?.[0] === 0;
  return (node.attribute ?? []).some((a) => a.name === 'min' && a.f === 0);
}

/**
 * The plan for `model`. `hasRange` says whether a tensor's range is known (after calibration); before
 * calibration every tensor counts as known, which gives the tensors to calibrate.
 */
export function planQdq(model: onnx.IModelProto, hasRange: (name: string) => boolean = () => true): QdqPlan {
  const graph = model.graph ?? {};
  const consts = new Constants(graph);
  const consumers = new Map<string, onnx.INodeProto[]>();
  for (const n of graph.node ?? [])
    for (const i of n.input ?? []) if (i) consumers.set(i, [...(consumers.get(i) ?? []), n]);
  const outputs = new Set((graph.output ?? []).map((o) => o.name ?? ''));
  const tensors = new Map<string, string>();
  // A tensor already planned keeps its source: a MaxPool output feeding a Conv keeps its input's range.
  const quantize = (t: string | undefined) => {
    if (t && !tensors.has(t) && !consts.get(t) && hasRange(t)) tensors.set(t, t);
  };
  // The tensor to quantize for an op's output: the output, or that of a Relu/Clip that alone reads it.
  const activated = (n: onnx.INodeProto) => {
    const y = n.output?.[0] ?? '';
    const only = consumers.get(y);
    const next = only?.length === 1 ? only[0] : undefined;
    return next && !outputs.has(y) && clampsAtZero(next, consts) ? next.output?.[0] : y;
  };
  const targets: Target[] = [];
  for (const n of graph.node ?? []) {
    const op = (n.domain ?? '') === '' ? (n.opType ?? '') : '';
    const t = target(n, consts);
    const x = n.input?.[0] ?? '';
    if (t) {
      targets.push(t);
      quantize(t.activation);
      if (op !== 'Gemm' && tensors.has(t.activation)) quantize(activated(n));
    } else if (JOINS.has(op)) {
      // Every input, constants included, must come through DequantizeLinear for QLinearAdd & co.
      const inputs = (n.input ?? []).filter((i) => i);
      if (inputs.length > 0 && inputs.every((i) => tensors.has(i))) quantize(activated(n));
    } else if ((POOLS.has(op) || UNARY.has(op)) && tensors.has(x)) {
      quantize(n.output?.[0]);
    } else if (SHAPE_ONLY.has(op) && tensors.has(x) && (n.output ?? []).length === 1) {
      tensors.set(n.output?.[0] ?? '', tensors.get(x) ?? x);
    }
  }
  return { targets, tensors };
}

/** Tensors whose ranges calibration must collect for `model`. */
export function calibrationNames(model: onnx.IModelProto): string[] {
  return [...new Set(planQdq(model).tensors.values())];
}
