/** Shared vocabulary of the shape rules: tensor facts, the per-node context and small helpers. */
import type { NodeInfo, TensorInfo } from '../types';

/** A dimension during inference: a number, or null when it cannot be known statically. */
export type SDim = number | null;

/** What inference knows about one tensor: element type, shape, and for small constants their values. */
export interface TensorFact {
  dtype: number;
  /** Undefined when even the rank is unknown. */
  shape: SDim[] | undefined;
  /** Values of a small constant tensor (row-major), used to fold shape computations. */
  value?: number[];
  /** True for initializers and Constant outputs: weights, not activations. */
  isConstant?: boolean;
  /**
   * Index of the last step of its own graph that reads this tensor (-1: none), recorded by inference so
   * that the activation-memory estimate needs no name lookups.
   */
  lastUse: number;
  /**
   * Scratch of the activation-memory walk: the token of the walk that counts the tensor as live, null
   * while none does. Each walk makes its own token object, so no two walks, nested or repeated, share one.
   */
  liveMark: object | null;
}

/** What a shape rule sees of its node. */
export interface RuleContext {
  node: NodeInfo;
  /** Version of the default-domain operator set the model imports. */
  opset: number;
  /** Facts about the inputs; undefined for a missing optional input or an unknown tensor. */
  inputs: (TensorFact | undefined)[];
  /** Values of input i when it is a small constant (reads initializer bytes on demand). */
  value(i: number): number[] | undefined;
  /** Values of a small tensor held in an attribute (ConstantOfShape's fill value). */
  tensorValues(t: TensorInfo): number[] | undefined;
}

/** A shape rule: facts for each output of the node, in order (undefined where unknown). */
export type ShapeRule = (c: RuleContext) => (TensorFact | undefined)[];

export const INT64 = 7;
export const BOOL = 9;
export const FLOAT = 1;
export const INT32 = 6;
export const UINT8 = 2;

/** Integer attribute, or `def`. */
export function attrInt(c: RuleContext, name: string, def: number): number {
  return c.node.attributes.get(name)?.i ?? def;
}

/** Integer-list attribute, or undefined. */
export function attrInts(c: RuleContext, name: string): number[] | undefined {
  return c.node.attributes.get(name)?.ints;
}

/** Float attribute, or `def`. */
export function attrFloat(c: RuleContext, name: string, def: number): number {
  return c.node.attributes.get(name)?.f ?? def;
}

/** String attribute, or `def`. */
export function attrStr(c: RuleContext, name: string, def: string): string {
  return c.node.attributes.get(name)?.s ?? def;
}

/** Normalises a possibly negative axis against a rank; undefined when out of range. */
export function normAxis(axis: number, rank: number): number | undefined {
  const a = axis < 0 ? axis + rank : axis;
  return a >= 0 && a < rank ? a : undefined;
}

/** Product of dims; null when any is unknown. */
export function prod(dims: readonly SDim[]): number | null {
  let p = 1;
  for (let i = 0; i < dims.length; i++) {
    const d = dims[i] as SDim;
    if (d === null) return null;
    p *= d;
  }
  return p;
}

/** True when every dim is known. */
export function isStatic(shape: readonly SDim[] | undefined): shape is number[] {
  return shape !== undefined && shape.every((d) => d !== null);
}

/** Numpy-style broadcast of several shapes; undefined when a rank is unknown or dims clash. */
export function broadcast(shapes: (readonly SDim[] | undefined)[]): SDim[] | undefined {
  if (shapes.some((s) => s === undefined)) return undefined;
  const list = shapes as SDim[][];
  const rank = Math.max(0, ...list.map((s) => s.length));
  const out: SDim[] = [];
  for (let i = 0; i < rank; i++) {
    let dim: SDim = 1;
    for (let j = 0; j < list.length; j++) {
      const s = list[j] as SDim[];
      // Not `?? 1`: a null (unknown) dim must stay unknown, only a missing leading dim is 1.
      const k = s.length - rank + i;
      const d = k < 0 ? 1 : (s[k] as SDim);
      if (d === 1) continue;
      if (d === null) dim = dim === 1 ? null : dim;
      else if (dim === 1 || dim === null) dim = d;
      else if (dim !== d) return undefined;
    }
    out.push(dim);
  }
  return out;
}

/**
 * A fact with the given dtype and shape. Every fact is built here or by constantFact, with all four
 * fields in one order: one object shape lets the property accesses of every rule stay monomorphic,
 * and a value folded in later does not change it.
 */
export function fact(dtype: number, shape: SDim[] | undefined, value?: number[]): TensorFact {
  return { dtype, shape, value, isConstant: false, lastUse: -1, liveMark: null };
}

/** The fact of an initializer or Constant output. */
export function constantFact(dtype: number, shape: SDim[] | undefined, value?: number[]): TensorFact {
  return { dtype, shape, value, isConstant: true, lastUse: -1, liveMark: null };
}

/** A fresh fact equal to `f`: a graph's facts are its own, so that per-graph fields never clash. */
export function copyFact(f: TensorFact | undefined): TensorFact | undefined {
  return f && (f.isConstant ? constantFact(f.dtype, f.shape, f.value) : fact(f.dtype, f.shape, f.value));
}

/** The same shape and dtype as input i (values dropped). */
export function sameAs(c: RuleContext, i = 0, dtype?: number): TensorFact | undefined {
  const x = c.inputs[i];
  return x ? fact(dtype ?? x.dtype, x.shape) : undefined;
}

/** Axes given as an attribute (old opsets) or as input `inputIndex` (newer opsets). */
export function axesFrom(c: RuleContext, inputIndex: number, attrName = 'axes'): number[] | undefined {
  const fromAttr = attrInts(c, attrName);
  if (fromAttr) return fromAttr;
  return c.node.inputs[inputIndex] ? c.value(inputIndex) : undefined;
}

/** Whether input i is absent (not given, or given as the empty name). */
export function absent(c: RuleContext, i: number): boolean {
  return !c.node.inputs[i];
}

/** Row-major element-wise operation on small constant values with broadcasting. */
export function foldElementwise(
  shapes: SDim[][],
  values: number[][],
  op: (...xs: number[]) => number,
): number[] | undefined {
  const out = broadcast(shapes);
  if (!isStatic(out)) return undefined;
  const n = prod(out) ?? 0;
  if (n > 4096) return undefined;
  const strides = shapes.map((s) => {
    const st: number[] = new Array(out.length).fill(0);
    let acc = 1;
    for (let i = s.length - 1; i >= 0; i--) {
      const axis = out.length - s.length + i;
      st[axis] = s[i] === 1 ? 0 : acc;
      acc *= s[i] ?? 1;
    }
    return st;
  });
  const res: number[] = [];
  for (let flat = 0; flat < n; flat++) {
    let rem = flat;
    const idx = new Array<number>(values.length).fill(0);
    for (let axis = out.length - 1; axis >= 0; axis--) {
      const dim = out[axis] as number;
      const coord = rem % dim;
      rem = Math.floor(rem / dim);
      strides.forEach((st, k) => (idx[k] = (idx[k] as number) + coord * (st[axis] as number)));
    }
    res.push(op(...idx.map((j, k) => (values[k] as number[])[j] as number)));
  }
  return res;
}

/**
 * Rearranges the values of a small constant tensor: `source` maps each output coordinate to the input
 * coordinate it copies (used to fold Slice with any step and Transpose, as in torch's F.pad export).
 */
export function remapValues(
  inShape: readonly SDim[],
  value: number[],
  outShape: readonly SDim[],
  source: (out: number[]) => number[],
): number[] | undefined {
  if (!isStatic(inShape as SDim[]) || !isStatic(outShape as SDim[])) return undefined;
  const total = prod(outShape) ?? 0;
  if (total > 4096) return undefined;
  const inStrides = inShape.map((_, i) => (inShape as number[]).slice(i + 1).reduce((a, b) => a * b, 1));
  const res: number[] = [];
  const coord = new Array<number>(outShape.length).fill(0);
  for (let flat = 0; flat < total; flat++) {
    let rem = flat;
    for (let a = outShape.length - 1; a >= 0; a--) {
      const d = outShape[a] as number;
      coord[a] = rem % d;
      rem = Math.floor(rem / d);
    }
    const at = source(coord).reduce((s, c, i) => s + c * (inStrides[i] ?? 0), 0);
    const v = value[at];
    if (v === undefined) return undefined;
    res.push(v);
  }
  return res;
}
