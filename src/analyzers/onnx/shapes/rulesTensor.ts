/** Shape rules of data-movement operators, with constant folding of the small shape tensors they carry. */
import {
  INT64,
  absent,
  attrInt,
  attrInts,
  axesFrom,
  broadcast,
  fact,
  isStatic,
  normAxis,
  prod,
  remapValues,
  type RuleContext,
  type SDim,
  type ShapeRule,
} from './common';

const MAX_VALUES = 4096;

const shapeOp: ShapeRule = (c) => {
  const s = c.inputs[0]?.shape;
  if (!s) return [fact(INT64, [null])];
  const r = s.length;
  const clamp = (v: number): number => Math.min(Math.max(v < 0 ? v + r : v, 0), r);
  const part = s.slice(clamp(attrInt(c, 'start', 0)), clamp(attrInt(c, 'end', r)));
  return [fact(INT64, [part.length], isStatic(part) ? part : undefined)];
};

const size: ShapeRule = (c) => {
  const n = c.inputs[0]?.shape ? prod(c.inputs[0].shape) : null;
  return [fact(INT64, [], n === null ? undefined : [n])];
};

/** Reshape target resolution: 0 copies the input dim (unless allowzero), -1 takes what is left. */
export function reshapeTarget(input: SDim[] | undefined, target: number[], allowZero: boolean): SDim[] {
  const out: SDim[] = target.map((t, i) => (t === 0 && !allowZero ? (input?.[i] ?? null) : t));
  const minus = out.indexOf(-1);
  if (minus >= 0) {
    const total = input ? prod(input) : null;
    const rest = prod(out.filter((_, i) => i !== minus));
    out[minus] = total === null || rest === null || rest === 0 ? null : total / rest;
  }
  return out;
}

const reshape: ShapeRule = (c) => {
  const x = c.inputs[0];
  const target = c.opset < 5 ? attrInts(c, 'shape') : c.value(1);
  const v = c.value(0);
  if (!target) {
    const n = c.inputs[1]?.shape?.[0];
    return [fact(x?.dtype ?? 0, typeof n === 'number' ? new Array<SDim>(n).fill(null) : undefined)];
  }
  return [fact(x?.dtype ?? 0, reshapeTarget(x?.shape, target, attrInt(c, 'allowzero', 0) === 1), v)];
};

const flatten: ShapeRule = (c) => {
  const x = c.inputs[0];
  if (!x?.shape) return [undefined];
  const r = x.shape.length;
  const axis = attrInt(c, 'axis', 1);
  const a = axis < 0 ? axis + r : axis;
  return [fact(x.dtype, [prod(x.shape.slice(0, a)), prod(x.shape.slice(a))])];
};

const transpose: ShapeRule = (c) => {
  const x = c.inputs[0];
  if (!x?.shape) return [undefined];
  const perm = attrInts(c, 'perm') ?? x.shape.map((_, i) => x.shape!.length - 1 - i);
  const out = perm.map((p) => x.shape![p] ?? null);
  const v = c.value(0);
  const value = v
    ? remapValues(x.shape, v, out, (o) => {
        const src = new Array<number>(o.length).fill(0);
        perm.forEach((p, i) => (src[p] = o[i] as number));
        return src;
      })
    : undefined;
  return [fact(x.dtype, out, value)];
};

const squeeze: ShapeRule = (c) => {
  const x = c.inputs[0];
  if (!x?.shape) return [undefined];
  const axes = c.opset >= 13 ? (absent(c, 1) ? [] : c.value(1)) : (attrInts(c, 'axes') ?? []);
  if (!axes) return [fact(x.dtype, undefined)];
  const r = x.shape.length;
  const drop = new Set(axes.length ? axes.map((a) => normAxis(a, r)) : x.shape.flatMap((d, i) => (d === 1 ? [i] : [])));
  if (!axes.length && x.shape.includes(null)) return [fact(x.dtype, undefined)];
  return [
    fact(
      x.dtype,
      x.shape.filter((_, i) => !drop.has(i)),
      c.value(0),
    ),
  ];
};

const unsqueeze: ShapeRule = (c) => {
  const x = c.inputs[0];
  const axes = axesFrom(c, 1);
  if (!x?.shape || !axes) return [x ? fact(x.dtype, undefined) : undefined];
  const r = x.shape.length + axes.length;
  const at = new Set(axes.map((a) => normAxis(a, r)));
  const rest = [...x.shape];
  const out: SDim[] = [];
  for (let i = 0; i < r; i++) out.push(at.has(i) ? 1 : (rest.shift() ?? null));
  return [fact(x.dtype, out, c.value(0))];
};

const concat: ShapeRule = (c) => {
  const xs = c.inputs.slice(0, c.node.inputs.length);
  const first = xs.find((x) => x?.shape);
  if (!first?.shape || xs.some((x) => !x?.shape))
    return [
      first
        ? fact(
            first.dtype,
            first.shape?.map(() => null),
          )
        : undefined,
    ];
  const r = first.shape.length;
  const axis = normAxis(attrInt(c, 'axis', 0), r) ?? 0;
  const out: SDim[] = first.shape.map((d, i) => (i === axis ? 0 : d));
  for (const x of xs) {
    const d = x!.shape![axis] ?? null;
    out[axis] = out[axis] === null || d === null ? null : (out[axis] as number) + d;
    x!.shape!.forEach((dim, i) => {
      if (i !== axis && out[i] === null) out[i] = dim;
    });
  }
  const values = xs.map((_, i) => c.value(i));
  const value = r === 1 && values.every((v) => v) ? (values.flat() as number[]) : undefined;
  return [fact(first.dtype, out, value)];
};

const split: ShapeRule = (c) => {
  const x = c.inputs[0];
  const n = c.node.outputs.length;
  if (!x?.shape) return c.node.outputs.map(() => undefined);
  const axis = normAxis(attrInt(c, 'axis', 0), x.shape.length) ?? 0;
  const total = x.shape[axis] ?? null;
  const splitInput = c.opset >= 13 && !absent(c, 1);
  let sizes: SDim[] | undefined = attrInts(c, 'split') ?? (splitInput ? c.value(1) : undefined);
  if (!sizes && !splitInput && total !== null) {
    const chunk = Math.ceil(total / n);
    sizes = Array.from({ length: n }, (_, i) => Math.max(0, Math.min(chunk, total - i * chunk)));
  }
  return c.node.outputs.map((_, i) =>
    fact(
      x.dtype,
      x.shape!.map((d, k) => (k === axis ? (sizes?.[i] ?? null) : d)),
    ),
  );
};

/** Number of elements a Slice keeps on one axis (clamping as the operator specifies). */
export function sliceLen(dim: number, start: number, end: number, step: number): number {
  if (step > 0) {
    const s = Math.min(Math.max(start < 0 ? start + dim : start, 0), dim);
    const e = Math.min(Math.max(end < 0 ? end + dim : end, 0), dim);
    return Math.max(0, Math.ceil((e - s) / step));
  }
  const s = Math.min(Math.max(start < 0 ? start + dim : start, 0), dim - 1);
  const e = Math.min(Math.max(end < 0 ? end + dim : end, -1), dim - 1);
  return Math.max(0, Math.ceil((s - e) / -step));
}

function sliceArgs(c: RuleContext): { starts?: number[]; ends?: number[]; axes?: number[]; steps?: number[] } {
  if (c.opset < 10) return { starts: attrInts(c, 'starts'), ends: attrInts(c, 'ends'), axes: attrInts(c, 'axes') };
  const opt = (i: number): number[] | undefined => (absent(c, i) ? undefined : c.value(i));
  return { starts: c.value(1), ends: c.value(2), axes: opt(3), steps: opt(4) };
}

const slice: ShapeRule = (c) => {
  const x = c.inputs[0];
  if (!x?.shape) return [undefined];
  const { starts, ends, axes, steps } = sliceArgs(c);
  const r = x.shape.length;
  if (!starts || !ends || (c.opset >= 10 && !absent(c, 3) && !axes) || (!absent(c, 4) && c.opset >= 10 && !steps)) {
    const known = axes?.map((a) => normAxis(a, r));
    return [
      fact(
        x.dtype,
        x.shape.map((d, i) => (known && !known.includes(i) ? d : null)),
      ),
    ];
  }
  const out = [...x.shape];
  const ax = axes ?? starts.map((_, i) => i);
  const first: number[] = x.shape.map(() => 0);
  const step: number[] = x.shape.map(() => 1);
  ax.forEach((a, i) => {
    const k = normAxis(a, r);
    const d = k === undefined ? null : (out[k] ?? null);
    if (k === undefined || d === null) return;
    const [s, e, st] = [starts[i] ?? 0, ends[i] ?? d, steps?.[i] ?? 1];
    out[k] = sliceLen(d, s, e, st);
    first[k] = st > 0 ? Math.min(Math.max(s < 0 ? s + d : s, 0), d) : Math.min(Math.max(s < 0 ? s + d : s, 0), d - 1);
    step[k] = st;
  });
  const v = c.value(0);
  const value = v
    ? remapValues(x.shape, v, out, (o) => o.map((q, k) => (first[k] as number) + q * (step[k] as number)))
    : undefined;
  return [fact(x.dtype, out, value)];
};

const gather: ShapeRule = (c) => {
  const x = c.inputs[0];
  const idx = c.inputs[1];
  if (!x?.shape || !idx?.shape) return [undefined];
  const axis = normAxis(attrInt(c, 'axis', 0), x.shape.length) ?? 0;
  const shape = [...x.shape.slice(0, axis), ...idx.shape, ...x.shape.slice(axis + 1)];
  const v = c.value(0);
  const iv = c.value(1);
  let value: number[] | undefined;
  if (v && iv && x.shape.length === 1 && typeof x.shape[0] === 'number') {
    const n = x.shape[0];
    value = iv.map((i) => v[i < 0 ? i + n : i] ?? NaN);
    if (value.some(Number.isNaN)) value = undefined;
  }
  return [fact(x.dtype, shape, value)];
};

const expand: ShapeRule = (c) => {
  const x = c.inputs[0];
  const s = c.value(1);
  return [fact(x?.dtype ?? 0, s ? broadcast([x?.shape, s]) : undefined)];
};

const tile: ShapeRule = (c) => {
  const x = c.inputs[0];
  const reps = c.value(1);
  if (!x?.shape || !reps)
    return [
      x
        ? fact(
            x.dtype,
            x.shape?.map(() => null),
          )
        : undefined,
    ];
  return [
    fact(
      x.dtype,
      x.shape.map((d, i) => (d === null ? null : d * (reps[i] ?? 1))),
    ),
  ];
};

function resizeOut(c: RuleContext, x: SDim[]): SDim[] | undefined {
  const axes = attrInts(c, 'axes')?.map((a) => normAxis(a, x.length) ?? -1) ?? x.map((_, i) => i);
  const sizesIdx = c.opset >= 11 ? 3 : -1;
  const scalesIdx = c.opset >= 11 ? 2 : 1;
  const sizes = sizesIdx > 0 && !absent(c, sizesIdx) ? c.value(sizesIdx) : undefined;
  const scales =
    c.node.opType === 'Upsample' && c.opset < 9
      ? c.node.attributes.get('scales')?.floats
      : !absent(c, scalesIdx)
        ? c.value(scalesIdx)
        : undefined;
  const out = [...x];
  if (sizes && sizes.length) axes.forEach((a, i) => (out[a] = sizes[i] ?? null));
  else if (scales && scales.length)
    axes.forEach(
      (a, i) =>
        (out[a] = x[a] === null || x[a] === undefined ? null : Math.floor((x[a] as number) * (scales[i] ?? 1) + 1e-6)),
    );
  else return undefined;
  return out;
}

const resize: ShapeRule = (c) => {
  const x = c.inputs[0];
  if (!x?.shape) return [undefined];
  return [fact(x.dtype, resizeOut(c, x.shape) ?? x.shape.map((d, i) => (i < 2 ? d : null)))];
};

const pad: ShapeRule = (c) => {
  const x = c.inputs[0];
  if (!x?.shape) return [undefined];
  const r = x.shape.length;
  const pads = c.opset < 11 ? (attrInts(c, 'pads') ?? attrInts(c, 'paddings')) : c.value(1);
  if (!pads)
    return [
      fact(
        x.dtype,
        x.shape.map(() => null),
      ),
    ];
  const axes = c.opset >= 18 && !absent(c, 3) ? c.value(3) : undefined;
  const ax = (axes ?? x.shape.map((_, i) => i)).map((a) => normAxis(a, r) ?? 0);
  const n = ax.length;
  const out = [...x.shape];
  ax.forEach((a, i) => {
    const d = out[a];
    out[a] = d === null || d === undefined ? null : d + (pads[i] ?? 0) + (pads[i + n] ?? 0);
  });
  return [fact(x.dtype, out)];
};

const constantOfShape: ShapeRule = (c) => {
  const s = c.value(0);
  const t = c.node.attributes.get('value')?.t;
  const dtype = t?.dtype ?? 1;
  if (!s)
    return [
      fact(
        dtype,
        typeof c.inputs[0]?.shape?.[0] === 'number' ? new Array<SDim>(c.inputs[0].shape[0]).fill(null) : undefined,
      ),
    ];
  const n = prod(s) ?? 0;
  const fill = t ? c.tensorValues(t)?.[0] : 0;
  return [fact(dtype, s, fill !== undefined && n <= MAX_VALUES ? new Array<number>(n).fill(fill) : undefined)];
};

const range: ShapeRule = (c) => {
  const [s, l, d] = [c.value(0)?.[0], c.value(1)?.[0], c.value(2)?.[0]];
  const dtype = c.inputs[0]?.dtype ?? INT64;
  if (s === undefined || l === undefined || d === undefined || d === 0) return [fact(dtype, [null])];
  const n = Math.max(Math.ceil((l - s) / d), 0);
  return [fact(dtype, [n], n <= MAX_VALUES ? Array.from({ length: n }, (_, i) => s + i * d) : undefined)];
};

const topK: ShapeRule = (c) => {
  const x = c.inputs[0];
  if (!x?.shape) return [undefined, undefined];
  const axis = normAxis(attrInt(c, 'axis', -1), x.shape.length);
  const k = c.opset >= 10 ? (c.value(1)?.[0] ?? null) : attrInt(c, 'k', 0);
  const shape = x.shape.map((d, i) => (i === axis ? k : d));
  return [fact(x.dtype, shape), fact(INT64, shape)];
};

function blockRule(toDepth: boolean): ShapeRule {
  return (c) => {
    const x = c.inputs[0];
    const b = attrInt(c, 'blocksize', 1);
    if (!x?.shape || x.shape.length !== 4) return [undefined];
    const [n, ch, h, w] = x.shape;
    const mul = (d: SDim | undefined, f: number): SDim => (d === null || d === undefined ? null : d * f);
    return [
      fact(
        x.dtype,
        toDepth
          ? [n ?? null, mul(ch, b * b), mul(h, 1 / b), mul(w, 1 / b)]
          : [n ?? null, mul(ch, 1 / (b * b)), mul(h, b), mul(w, b)],
      ),
    ];
  };
}

/** Rules of this file by operator type. */
export const TENSOR_RULES: Record<string, ShapeRule> = {
  Shape: shapeOp,
  Size: size,
  Reshape: reshape,
  Flatten: flatten,
  Transpose: transpose,
  Squeeze: squeeze,
  Unsqueeze: unsqueeze,
  Concat: concat,
  Split: split,
  Slice: slice,
  Gather: gather,
  GatherElements: (c) => [fact(c.inputs[0]?.dtype ?? 0, c.inputs[1]?.shape)],
  Expand: expand,
  Tile: tile,
  Resize: resize,
  Upsample: resize,
  Pad: pad,
  ConstantOfShape: constantOfShape,
  Range: range,
  TopK: topK,
  DepthToSpace: blockRule(false),
  SpaceToDepth: blockRule(true),
  NonZero: (c) => [fact(INT64, [c.inputs[0]?.shape?.length ?? null, null])],
};
