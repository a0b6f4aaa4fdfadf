/** Shape rules of recurrent layers, Einsum and fused attention operators. */
import { FLOAT, attrInt, attrStr, broadcast, fact, prod, type SDim, type ShapeRule } from './common';

/** LSTM, GRU and RNN: Y [seq, dirs, batch, hidden] and the final states [dirs, batch, hidden] (layout 0). */
const recurrent: ShapeRule = (c) => {
  const x = c.inputs[0];
  const hidden = attrInt(c, 'hidden_size', 0) || (c.inputs[2]?.shape?.[2] ?? null);
  const dirs = attrStr(c, 'direction', 'forward') === 'bidirectional' ? 2 : 1;
  const batchFirst = attrInt(c, 'layout', 0) === 1;
  const s = x?.shape;
  const dtype = x?.dtype ?? FLOAT;
  if (!s || s.length !== 3) return [undefined, undefined, undefined];
  const [seq, batch] = batchFirst ? [s[1] ?? null, s[0] ?? null] : [s[0] ?? null, s[1] ?? null];
  const y = batchFirst ? [batch, seq, dirs, hidden] : [seq, dirs, batch, hidden];
  const state = batchFirst ? [batch, dirs, hidden] : [dirs, batch, hidden];
  return [fact(dtype, y), fact(dtype, state), fact(dtype, state)];
};

/** Parsed Einsum equation: one list of labels per input and the output labels ('.' stands for '...'). */
export interface EinsumSpec {
  inputs: string[];
  output: string;
}

/** Parses an Einsum equation, replacing each "..." by a single '.' label. */
export function parseEinsum(equation: string): EinsumSpec {
  const eq = equation.replace(/\s+/g, '').replace(/\.\.\./g, '.');
  const [lhs = '', rhs] = eq.split('->');
  const inputs = lhs.split(',');
  if (rhs !== undefined) return { inputs, output: rhs };
  const counts = new Map<string, number>();
  for (const ch of inputs.join('')) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  const once = [...counts]
    .filter(([ch, n]) => n === 1 && ch !== '.')
    .map(([ch]) => ch)
    .sort();
  return { inputs, output: (inputs.some((t) => t.includes('.')) ? '.' : '') + once.join('') };
}

/** Sizes of every label of an Einsum (the '.' label maps to the broadcast ellipsis dims). */
export function einsumSizes(
  spec: EinsumSpec,
  shapes: (SDim[] | undefined)[],
): { sizes: Map<string, SDim>; ellipsis: SDim[] } | undefined {
  const sizes = new Map<string, SDim>();
  const ells: SDim[][] = [];
  for (let i = 0; i < spec.inputs.length; i++) {
    const term = spec.inputs[i] ?? '';
    const shape = shapes[i];
    if (!shape) return undefined;
    const dot = term.indexOf('.');
    const nEll = dot < 0 ? 0 : shape.length - (term.length - 1);
    if (nEll < 0) return undefined;
    let k = 0;
    for (const ch of term) {
      if (ch === '.') {
        ells.push(shape.slice(k, k + nEll));
        k += nEll;
        continue;
      }
      const d = shape[k++] ?? null;
      const prev = sizes.get(ch);
      if (prev === undefined || prev === 1 || prev === null) sizes.set(ch, d);
    }
  }
  const ellipsis = broadcast(ells) ?? [];
  return { sizes, ellipsis };
}

const einsum: ShapeRule = (c) => {
  const spec = parseEinsum(c.node.attributes.get('equation')?.s ?? '');
  const res = einsumSizes(
    spec,
    c.inputs.map((x) => x?.shape),
  );
  const dtype = c.inputs[0]?.dtype ?? FLOAT;
  if (!res) return [fact(dtype, undefined)];
  const out: SDim[] = [];
  for (const ch of spec.output) {
    if (ch === '.') out.push(...res.ellipsis);
    else out.push(res.sizes.get(ch) ?? null);
  }
  return [fact(dtype, out)];
};

/** com.microsoft Attention: input [batch, seq, hidden] with packed QKV weights [hidden, 3*hidden]. */
const msAttention: ShapeRule = (c) => {
  const x = c.inputs[0]?.shape;
  const w = c.inputs[1]?.shape;
  if (!x || x.length !== 3) return [undefined];
  const qkv = w?.[1];
  const vHidden = typeof qkv === 'number' ? qkv / 3 : null;
  return [fact(c.inputs[0]?.dtype ?? FLOAT, [x[0] ?? null, x[1] ?? null, vHidden])];
};

/** ONNX Attention (opset 23) and com.microsoft MultiHeadAttention: output follows the query, value width. */
const queryAttention: ShapeRule = (c) => {
  const q = c.inputs[0]?.shape;
  const v = c.inputs[2]?.shape;
  if (!q) return [undefined];
  const out = [...q];
  if (v && v.length === q.length && q.length === 4) out[3] = v[3] ?? null;
  else if (v && q.length === 3) {
    const heads = attrInt(c, 'num_heads', 0) || attrInt(c, 'kv_num_heads', 0);
    out[2] = v.length === 4 && heads ? prod([v[3] ?? null, v[1] ?? null]) : (v[2] ?? out[2] ?? null);
  }
  return [fact(c.inputs[0]?.dtype ?? FLOAT, out)];
};

/** Rules of this file by operator type. */
export const SEQ_RULES: Record<string, ShapeRule> = {
  LSTM: recurrent,
  GRU: recurrent,
  RNN: recurrent,
  Einsum: einsum,
  Attention: (c) => (c.node.domain === 'com.microsoft' ? msAttention(c) : queryAttention(c)),
  MultiHeadAttention: queryAttention,
};
