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
  // Row-major layout as [outer, channels, inner]: plain nested loops, because a per-element channel
  // lookup took seconds on the ~12 M weights of a resnet18.
  const channels = perChannel ? (dims[axis] ?? 1) : 1;
  const inner = perChannel ? dims.slice(axis + 1).reduce((a, b) => a * b, 1) : w.length;
  const outer = perChannel ? Math.max(1, Math.round(w.length / (channels * inner))) : 1;
  const maxAbs = new Float32Array(channels);
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const base = (o * channels + c) * inner;
      let m = maxAbs[c] as number;
      for (let j = 0; j < inner; j++) {
        const a = Math.abs(w[base + j] as number);
        if (a > m) m = a;
      }
      maxAbs[c] = m;
    }
  }
  const scales = maxAbs.map((m) => (m > 0 ? m / 127 : 1));
  const q = new Int8Array(w.length);
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const base = (o * channels + c) * inner;
      const scale = scales[c] as number;
      for (let j = 0; j < inner; j++) {
        const v = Math.round((w[base + j] as number) / scale);
        q[base + j] = v > 127 ? 127 : v < -127 ? -127 : v;
      }
    }
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
    if (rem > half || (rem === half && h & 1)) h++;
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && h & 1)) h++;
  if ((h & 0x7c00) === 0x7c00) return sign | 0x7bff;
  return sign | h;
}

/** Converts float32 values to half-precision bit patterns. */
export function toHalf(w: Float32Array): Uint16Array {
  const out = new Uint16Array(w.length);
  for (let i = 0; i < w.length; i++) out[i] = toHalfBits(w[i] ?? 0);
  return out;
}

/**
 * The magnitude below which a `sparsity` share of `values` lies (k-th smallest |v|). A radix select on
 * the float bits (non-negative floats order like their bit patterns): two histogram passes instead of a
 * sort, which took seconds for the ~12 M weights of a resnet18.
 */
export function magnitudeThreshold(values: Float32Array[], sparsity: number): number {
  let n = 0;
  for (const v of values) n += v.length;
  if (n === 0) return 0;
  const all = new Float32Array(n);
  let o = 0;
  for (const v of values) {
    for (let i = 0; i < v.length; i++) all[o + i] = Math.abs(v[i] ?? 0);
    o += v.length;
  }
  const bits = new Uint32Array(all.buffer);
  const k = Math.min(n - 1, Math.max(0, Math.floor(sparsity * n) - 1));
  // Pass 1: histogram of the high 16 bits; pass 2: of the low 16 bits inside the bucket found.
  const hist = new Uint32Array(65536);
  for (let i = 0; i < n; i++) {
    const j = (bits[i] as number) >>> 16;
    hist[j] = (hist[j] as number) + 1;
  }
  const high = rankBucket(hist, k);
  hist.fill(0);
  for (let i = 0; i < n; i++) {
    const b = bits[i] as number;
    if (b >>> 16 === high.bucket) hist[b & 0xffff] = (hist[b & 0xffff] as number) + 1;
  }
  const low = rankBucket(hist, high.rank);
  u32[0] = ((high.bucket << 16) | low.bucket) >>> 0;
  return f32[0] as number;
}

/** The histogram bucket holding the element of rank `k`, and its rank inside that bucket. */
function rankBucket(hist: Uint32Array, k: number): { bucket: number; rank: number } {
  let seen = 0;
  for (let bucket = 0; bucket < hist.length; bucket++) {
    const c = hist[bucket] as number;
    if (seen + c > k) return { bucket, rank: k - seen };
    seen += c;
  }
  return { bucket: hist.length - 1, rank: 0 };
}
