/**
 * Unstructured magnitude pruning: the smallest-magnitude weights of MatMul, Gemm and Conv are set to
 * zero, either the same share in every layer (local) or below one threshold over all layers (global,
 * which prunes redundant layers harder). Dense kernels do not skip zeros, so expect the same latency and
 * a smaller compressed file; the report says so rather than promising a speed-up.
 */
import type { onnx } from '../../analyzers/onnx/generated/onnx';
import { Constants, NotApplicableError, rawTensor } from './graph';
import { magnitudeThreshold } from './weights';

const PRUNABLE = new Set(['MatMul', 'Gemm', 'Conv']);

function prunableWeights(graph: onnx.IGraphProto): { tensor: onnx.ITensorProto; values: Float32Array }[] {
  const consts = new Constants(graph);
  const seen = new Set<string>();
  const out: { tensor: onnx.ITensorProto; values: Float32Array }[] = [];
  for (const node of graph.node ?? []) {
    const w = node.input?.[1];
    if (!PRUNABLE.has(node.opType ?? '') || !w || seen.has(w)) continue;
    const tensor = consts.get(w);
    const values = consts.floats(w);
    // Tiny tensors are scalars or shapes, not weights.
    if (!tensor || !values || values.length < 16) continue;
    seen.add(w);
    out.push({ tensor, values });
  }
  return out;
}

/** Prunes `model` in place at `sparsity` (0..1); returns notes. */
export function pruneMagnitude(model: onnx.IModelProto, sparsity: number, scope: 'local' | 'global'): string[] {
  if (!(sparsity > 0 && sparsity < 1))
    throw new NotApplicableError(`sparsity must be between 0 and 1, got ${sparsity}`);
  const graph = model.graph;
  if (!graph) throw new NotApplicableError('the model has no graph');
  const weights = prunableWeights(graph);
  if (weights.length === 0)
    throw new NotApplicableError('no MatMul, Gemm or Conv weights stored as float32 constants in the main graph');
  const global =
    scope === 'global'
      ? magnitudeThreshold(
          weights.map((w) => w.values),
          sparsity,
        )
      : 0;
  let zeros = 0;
  let total = 0;
  for (const { tensor, values } of weights) {
    const threshold = scope === 'global' ? global : magnitudeThreshold([values], sparsity);
    for (let i = 0; i < values.length; i++) {
      if (Math.abs(values[i] ?? 0) <= threshold) {
        values[i] = 0;
        zeros++;
      }
    }
    total += values.length;
    tensor.rawData = rawTensor('', 1, [], values).rawData;
    tensor.floatData = [];
  }
  return [
    `${scope} magnitude pruning: ${weights.length} weight tensors, ${((zeros / total) * 100).toFixed(1)} % of ${total} weights zero`,
    'Dense kernels do not skip zeros: expect similar latency; the gain is a smaller compressed file.',
  ];
}
