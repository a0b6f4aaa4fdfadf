/**
 * fp16 weights and compute: every float tensor, attribute and type in the graph becomes float16, with
 * Casts at the graph boundary so callers still feed and read float32. This halves the file and suits
 * GPUs with fp16 units; onnxruntime's CPU provider has few fp16 kernels, so on a CPU the variant is
 * reported as GPU-oriented (and may not load at all).
 */
import { onnx } from '../../analyzers/onnx/generated/onnx';
import { DT, Namer, NotApplicableError, floatValues, forEachGraph, makeNode, rawTensor } from './graph';
import { toHalf } from './weights';

/** Inputs that the ONNX spec types as float32 only, whatever the node's data type. */
const FLOAT32_ONLY: Record<string, number[]> = { Resize: [2], Upsample: [1] };
/** Attributes that name an output element type. */
const DTYPE_ATTRS: Record<string, string> = {
  Cast: 'to',
  EyeLike: 'dtype',
  RandomNormal: 'dtype',
  RandomUniform: 'dtype',
  RandomNormalLike: 'dtype',
  RandomUniformLike: 'dtype',
};

function halfTensor(t: onnx.ITensorProto): boolean {
  const v = floatValues(t);
  if (!v) return false;
  const h = rawTensor(t.name ?? '', DT.FLOAT16, (t.dims ?? []).map(Number), toHalf(v));
  t.dataType = DT.FLOAT16;
  t.rawData = h.rawData;
  t.floatData = [];
  return true;
}

function convertGraph(g: onnx.IGraphProto, isMain: boolean): number {
  let n = 0;
  for (const t of g.initializer ?? []) if (halfTensor(t)) n++;
  for (const node of g.node ?? []) {
    // ConstantOfShape without a value attribute yields float32 zeros by definition: give it a float16 zero.
    if (node.opType === 'ConstantOfShape' && !(node.attribute ?? []).some((a) => a.name === 'value')) {
      node.attribute = [
        ...(node.attribute ?? []),
        onnx.AttributeProto.create({
          name: 'value',
          type: onnx.AttributeProto.AttributeType.TENSOR,
          t: rawTensor('', DT.FLOAT16, [1], new Uint16Array(1)),
        }),
      ];
    }
    for (const a of node.attribute ?? []) {
      if (node.opType === 'Constant' && (a.name === 'value_float' || a.name === 'value_floats')) {
        const values = a.name === 'value_float' ? [a.f ?? 0] : (a.floats ?? []);
        a.name = 'value';
        a.type = onnx.AttributeProto.AttributeType.TENSOR;
        a.t = rawTensor(
          '',
          DT.FLOAT16,
          a.name === 'value_float' ? [] : [values.length],
          toHalf(Float32Array.from(values)),
        );
        n++;
      }
      if (a.t && halfTensor(a.t)) n++;
      const dtypeAttr = DTYPE_ATTRS[node.opType ?? ''];
      if (a.name === dtypeAttr && Number(a.i) === DT.FLOAT) a.i = DT.FLOAT16;
    }
  }
  // Old models (IR < 4) also list initializers as graph inputs; their declared type must follow the data.
  const inits = new Set((g.initializer ?? []).map((t) => t.name));
  for (const v of [...(g.input ?? []), ...(g.output ?? [])]) {
    const boundary = isMain && !inits.has(v.name);
    if (!boundary && v.type?.tensorType?.elemType === DT.FLOAT) v.type.tensorType.elemType = DT.FLOAT16;
  }
  // Intermediate type annotations would now contradict the graph; onnxruntime infers them again.
  g.valueInfo = [];
  return n;
}

function rename(graph: onnx.IGraphProto, from: string, to: string, skip?: onnx.INodeProto): void {
  forEachGraph(graph, (g) => {
    for (const node of g.node ?? []) {
      if (node === skip) continue;
      node.input = (node.input ?? []).map((x) => (x === from ? to : x));
    }
  });
}

function castBoundary(graph: onnx.IGraphProto, namer: Namer): void {
  const head: onnx.INodeProto[] = [];
  const tail: onnx.INodeProto[] = [];
  const inits = new Set((graph.initializer ?? []).map((t) => t.name));
  for (const v of graph.input ?? []) {
    if (v.type?.tensorType?.elemType !== DT.FLOAT || inits.has(v.name)) continue;
    const half = namer.fresh(`${v.name}_fp16`);
    rename(graph, v.name ?? '', half);
    head.push(makeNode('Cast', [v.name ?? ''], [half], namer.fresh(`${v.name}_to_fp16`), { to: DT.FLOAT16 }));
  }
  for (const v of graph.output ?? []) {
    if (v.type?.tensorType?.elemType !== DT.FLOAT) continue;
    const name = v.name ?? '';
    const half = namer.fresh(`${name}_fp16`);
    for (const node of graph.node ?? []) node.output = (node.output ?? []).map((x) => (x === name ? half : x));
    rename(graph, name, half);
    tail.push(makeNode('Cast', [half], [name], namer.fresh(`${name}_to_fp32`), { to: DT.FLOAT }));
  }
  graph.node = [...head, ...(graph.node ?? []), ...tail];
}

function float32Inputs(graph: onnx.IGraphProto, namer: Namer): void {
  forEachGraph(graph, (g) => {
    const out: onnx.INodeProto[] = [];
    for (const node of g.node ?? []) {
      for (const idx of FLOAT32_ONLY[node.opType ?? ''] ?? []) {
        const x = node.input?.[idx];
        if (!x || !node.input) continue;
        const f = namer.fresh(`${x}_fp32`);
        out.push(makeNode('Cast', [x], [f], namer.fresh(`${f}_node`), { to: DT.FLOAT }));
        node.input[idx] = f;
      }
      out.push(node);
    }
    g.node = out;
  });
}

/** Converts `model` to fp16 in place; returns notes. Throws NotApplicableError when it has no float32 weights. */
export function convertFp16(model: onnx.IModelProto): string[] {
  const graph = model.graph;
  if (!graph) throw new NotApplicableError('the model has no graph');
  const namer = new Namer(graph);
  let converted = 0;
  forEachGraph(graph, (g) => {
    converted += convertGraph(g, g === graph);
  });
  if (converted === 0) throw new NotApplicableError('no float32 weights to convert (already fp16 or quantized?)');
  castBoundary(graph, namer);
  float32Inputs(graph, namer);
  return [
    `${converted} float32 tensors stored as float16; Casts at the graph boundary keep float32 inputs and outputs`,
  ];
}
