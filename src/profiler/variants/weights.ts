/** Weight arithmetic shared by the rewrites: symmetric int8 quantization, transposes, fp16 conversion. Pure. */

/** Int8 weights with one scale per tensor or per channel along `axis`. */
export interface QuantizedWeight {
  q: Int8Array;
  scales: Float32Array;
  axis: number;
}

/**
 * Symmetric int8 quantization (zero point 0, range ±127). Symmetric weights keep the integer GEMM
 * free of a weight zero-point correction term, which is what onnxruntime's fast u8s8 kernels expect.
 */
export function quantizeInt8(w: Float32Array, dims: number[], axis: number, perChannel: boolean): QuantizedWeight {
  const channels = perChannel ? (dims[axis] ?? 1) : 1;
  const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const chanOf = (i: number) => (perChannel ? Math.floor(i / inner) % channels : 0);
  const maxAbs = new Float32Array(channels);
  for (let i = 0; i < w.length; i++) {
    const c = chanOf(i);
    const a = Math.abs(w[i] ?? 0);
    if (a > (maxAbs[c] ?? 0)) maxAbs[c] = a;
  }
  const scales = maxAbs.map((m) => (m > 0 ? m / 127 : 1));
  const q = new Int8Array(w.length);
  for (let i = 0; i < w.length; i++) {
    const v = Math.round((w[i] ?? 0) / (scales[chanOf(i)] ?? 1));
    q[i] = v > 127 ? 127 : v < -127 ? -127 : v;
  }
  return { q, scales, axis };
}

/** Transpose of a row-major [rows, cols] matrix. */
export function transpose2d(w: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = w[r * cols + c] ?? 0;
  return out;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE half-precision bits of a float, rounded to nearest even; overflow saturates to ±65504 rather than ±inf. */
export function toHalfBits(v: number): number {
  f32[0] = v;
  const x = u32[0] ?? 0;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7bff;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let h = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rem > half || (rem === half && (h & 1))) h++;
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (h & 1))) h++;
  if ((h & 0x7c00) === 0x7c00) return sign | 0x7bff;
  return sign | h;
}

/** Converts float32 values to half-precision bit patterns. */
export function toHalf(w: Float32Array): Uint16Array {
  const out = new Uint16Array(w.length);
  for (let i = 0; i < w.length; i++) out[i] = toHalfBits(w[i] ?? 0);
  return out;
}

/** The magnitude below which a `sparsity` share of `values` lies (k-th smallest |v|). */
export function magnitudeThreshold(values: Float32Array[], sparsity: number): number {
  let n = 0;
  for (const v of values) n += v.length;
  const all = new Float32Array(n);
  let o = 0;
  for (const v of values) {
    for (let i = 0; i < v.length; i++) all[o + i] = Math.abs(v[i] ?? 0);
    o += v.length;
  }
  all.sort();
  const k = Math.min(n - 1, Math.max(0, Math.floor(sparsity * n) - 1));
  return n === 0 ? 0 : (all[k] ?? 0);
}
