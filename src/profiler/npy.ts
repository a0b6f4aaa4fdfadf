/** A reader of NumPy .npy files (format versions 1-3, C order, little-endian numeric dtypes). Pure. */

/** Element types the profiler feeds to onnxruntime, named as onnxruntime-node names them. */
export type TensorDtype =
  'float32' | 'float64' | 'float16' | 'int64' | 'int32' | 'int16' | 'int8' | 'uint8' | 'uint16' | 'bool';

/** Typed storage of a tensor's elements. */
export type TensorData =
  Float32Array | Float64Array | BigInt64Array | Int32Array | Int16Array | Int8Array | Uint8Array | Uint16Array;

/** A dense tensor in plain data: what a dataset file holds and what the worker feeds to a session. */
export interface HostTensor {
  dtype: TensorDtype;
  dims: number[];
  data: TensorData;
}

const DESCR: Record<
  string,
  { dtype: TensorDtype; bytes: number; make: (b: ArrayBuffer, o: number, n: number) => TensorData }
> = {
  '<f4': { dtype: 'float32', bytes: 4, make: (b, o, n) => new Float32Array(b, o, n) },
  '<f8': { dtype: 'float64', bytes: 8, make: (b, o, n) => new Float64Array(b, o, n) },
  '<f2': { dtype: 'float16', bytes: 2, make: (b, o, n) => new Uint16Array(b, o, n) },
  '<i8': { dtype: 'int64', bytes: 8, make: (b, o, n) => new BigInt64Array(b, o, n) },
  '<i4': { dtype: 'int32', bytes: 4, make: (b, o, n) => new Int32Array(b, o, n) },
  '<i2': { dtype: 'int16', bytes: 2, make: (b, o, n) => new Int16Array(b, o, n) },
  '|i1': { dtype: 'int8', bytes: 1, make: (b, o, n) => new Int8Array(b, o, n) },
  '|u1': { dtype: 'uint8', bytes: 1, make: (b, o, n) => new Uint8Array(b, o, n) },
  '|b1': { dtype: 'bool', bytes: 1, make: (b, o, n) => new Uint8Array(b, o, n) },
};

/** Thrown for a file that is not a readable .npy array; the message names the problem for the user. */
export class NpyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NpyError';
  }
}

function headerField(header: string, key: string): string | undefined {
  const m = new RegExp(`'${key}'\\s*:\\s*('[^']*'|True|False|\\([^)]*\\))`).exec(header);
  return m?.[1];
}

/** Parses a .npy file's bytes into a tensor (the data is copied into an aligned buffer). */
export function parseNpy(bytes: Uint8Array): HostTensor {
  const magic = String.fromCharCode(...bytes.subarray(0, 6));
  if (magic !== '\x93NUMPY') throw new NpyError('not a .npy file (bad magic bytes)');
  const major = bytes[6] ?? 0;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(bytes.subarray(start, start + headerLen));
  const descr = headerField(header, 'descr')?.slice(1, -1) ?? '';
  const info = DESCR[descr];
  if (!info)
    throw new NpyError(
      `unsupported dtype ${descr || '(none)'}; use float32, float64, int64, int32, int8, uint8 or bool`,
    );
  if (headerField(header, 'fortran_order') === 'True')
    throw new NpyError('Fortran-ordered arrays are not supported; save with np.ascontiguousarray');
  const shapeText = headerField(header, 'shape') ?? '()';
  const dims = shapeText
    .slice(1, -1)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  if (dims.some((d) => !Number.isInteger(d) || d < 0)) throw new NpyError(`bad shape ${shapeText}`);
  const n = dims.reduce((a, b) => a * b, 1);
  const dataStart = start + headerLen;
  if (bytes.byteLength - dataStart < n * info.bytes)
    throw new NpyError(`file is truncated: shape ${shapeText} needs ${n * info.bytes} bytes of data`);
  // A copy into a fresh, aligned buffer (Buffer#slice would return a view of the whole file).
  const copy = new Uint8Array(bytes.subarray(dataStart, dataStart + n * info.bytes));
  return { dtype: info.dtype, dims, data: info.make(copy.buffer, 0, n) };
}

/** Encodes a float32 tensor as .npy (used by tests and to write fixtures). */
export function encodeNpyFloat32(dims: number[], data: Float32Array): Uint8Array {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${dims.join(', ')}${dims.length === 1 ? ',' : ''}), }`;
  const pad = 64 - ((10 + header.length + 1) % 64);
  header += ' '.repeat(pad % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}
