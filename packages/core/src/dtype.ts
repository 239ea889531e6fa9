/** Element types a tensor can hold. int8/uint8 are storage types for quantized weights. */
export type DType = 'float32' | 'int32' | 'bool' | 'int8' | 'uint8';

export type TypedArray = Float32Array | Int32Array | Uint8Array | Int8Array;

/** The typed array each dtype is stored in (bool is one byte per element, 0 or 1). */
export type StorageOf<D extends DType> = D extends 'float32'
  ? Float32Array
  : D extends 'int32'
    ? Int32Array
    : D extends 'int8'
      ? Int8Array
      : Uint8Array;

export const DTYPES: readonly DType[] = ['float32', 'int32', 'bool', 'int8', 'uint8'];

/** Allocates a zero-filled array for `size` elements of `dtype`. */
export function allocate(dtype: DType, size: number): TypedArray {
  switch (dtype) {
    case 'float32': return new Float32Array(size);
    case 'int32': return new Int32Array(size);
    case 'int8': return new Int8Array(size);
    case 'bool':
    case 'uint8': return new Uint8Array(size);
  }
}

/** Bytes per element. */
export function bytesPerElement(dtype: DType): number {
  return dtype === 'float32' || dtype === 'int32' ? 4 : 1;
}

export function isFloat(dtype: DType): boolean {
  return dtype === 'float32';
}

// PyTorch's category order: bool < integers < floating point.
const RANK: Record<DType, number> = { bool: 0, uint8: 1, int8: 1, int32: 2, float32: 3 };

/** The dtype two operands promote to (PyTorch rules for the dtypes Tensile has). */
export function promoteTypes(a: DType, b: DType): DType {
  if (a === b) return a;
  if ((a === 'int8' && b === 'uint8') || (a === 'uint8' && b === 'int8')) return 'int32';
  return RANK[a] >= RANK[b] ? a : b;
}

/** The dtype a JS scalar takes when it meets a tensor of `other` dtype (PyTorch's weak scalar typing). */
export function scalarDType(value: number | boolean, other: DType): DType {
  if (typeof value === 'boolean') return other;
  if (!Number.isInteger(value)) return 'float32';
  return other === 'bool' ? 'int32' : other;
}
