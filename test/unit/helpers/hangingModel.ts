/** A model that keeps onnxruntime busy in one native run() call until its process is killed. */
import { onnx } from '../../../src/analyzers/onnx/generated/onnx';

const vi = (name: string, elemType: number, dims: number[]): onnx.IValueInfoProto => ({
  name,
  type: { tensorType: { elemType, shape: { dim: dims.map((d) => ({ dimValue: d })) } } },
});

/** A Loop whose trip count is 2^62: onnxruntime spins until the job's timeout kills the worker. */
export function hangingModel(): Uint8Array {
  const body: onnx.IGraphProto = {
    name: 'body',
    input: [vi('i', 7, []), vi('c', 9, []), vi('y', 1, [1])],
    output: [vi('c_out', 9, []), vi('y_out', 1, [1])],
    node: [
      { opType: 'Identity', input: ['c'], output: ['c_out'] },
      { opType: 'Add', input: ['y', 'y'], output: ['y_out'] },
    ],
  };
  return onnx.ModelProto.encode({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'hang',
      input: [vi('x', 1, [1])],
      output: [vi('out', 1, [1])],
      initializer: [
        { name: 'M', dataType: 7, dims: [], int64Data: [2 ** 62] },
        { name: 'cond', dataType: 9, dims: [], int32Data: [1] },
      ],
      node: [
        {
          opType: 'Loop',
          input: ['M', 'cond', 'x'],
          output: ['out'],
          attribute: [{ name: 'body', type: onnx.AttributeProto.AttributeType.GRAPH, g: body }],
        },
      ],
    },
  }).finish();
}
