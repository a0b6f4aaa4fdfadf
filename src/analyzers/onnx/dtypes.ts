/**
 * ONNX tensor element types. The compiled schema stops at IR 8, so the newer enum values (float8 variants,
 * 4-bit integers, float4) are listed here from the ONNX specification rather than taken from it.
 */

/** One element type: its ONNX enum value, name and storage size in bits (0 when not fixed, e.g. string). */
export interface DTypeInfo {
  readonly id: number;
  readonly name: string;
  readonly bits: number;
  readonly isFloat: boolean;
  readonly isInteger: boolean;
}

const TABLE: readonly DTypeInfo[] = [
  { id: 0, name: 'undefined', bits: 0, isFloat: false, isInteger: false },
  { id: 1, name: 'float32', bits: 32, isFloat: true, isInteger: false },
  { id: 2, name: 'uint8', bits: 8, isFloat: false, isInteger: true },
  { id: 3, name: 'int8', bits: 8, isFloat: false, isInteger: true },
  { id: 4, name: 'uint16', bits: 16, isFloat: false, isInteger: true },
  { id: 5, name: 'int16', bits: 16, isFloat: false, isInteger: true },
  { id: 6, name: 'int32', bits: 32, isFloat: false, isInteger: true },
  { id: 7, name: 'int64', bits: 64, isFloat: false, isInteger: true },
  { id: 8, name: 'string', bits: 0, isFloat: false, isInteger: false },
  { id: 9, name: 'bool', bits: 8, isFloat: false, isInteger: false },
  { id: 10, name: 'float16', bits: 16, isFloat: true, isInteger: false },
  { id: 11, name: 'float64', bits: 64, isFloat: true, isInteger: false },
  { id: 12, name: 'uint32', bits: 32, isFloat: false, isInteger: true },
  { id: 13, name: 'uint64', bits: 64, isFloat: false, isInteger: true },
  { id: 14, name: 'complex64', bits: 64, isFloat: true, isInteger: false },
  { id: 15, name: 'complex128', bits: 128, isFloat: true, isInteger: false },
  { id: 16, name: 'bfloat16', bits: 16, isFloat: true, isInteger: false },
  { id: 17, name: 'float8e4m3fn', bits: 8, isFloat: true, isInteger: false },
  { id: 18, name: 'float8e4m3fnuz', bits: 8, isFloat: true, isInteger: false },
  { id: 19, name: 'float8e5m2', bits: 8, isFloat: true, isInteger: false },
  { id: 20, name: 'float8e5m2fnuz', bits: 8, isFloat: true, isInteger: false },
  { id: 21, name: 'uint4', bits: 4, isFloat: false, isInteger: true },
  { id: 22, name: 'int4', bits: 4, isFloat: false, isInteger: true },
  { id: 23, name: 'float4e2m1', bits: 4, isFloat: true, isInteger: false },
];

/** Looks up an element type; unknown enum values give a descriptive placeholder instead of failing. */
export function dtypeInfo(id: number): DTypeInfo {
  return TABLE[id] ?? { id, name: `dtype${id}`, bits: 0, isFloat: false, isInteger: false };
}

/** Bytes taken by `count` elements of the type (4-bit types are packed two per byte). */
export function dtypeBytes(id: number, count: number): number {
  return Math.ceil((count * dtypeInfo(id).bits) / 8);
}
