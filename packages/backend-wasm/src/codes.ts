// The numeric codes the Rust exports take for dtypes and ops: the orders of core's unions.
import type { BinaryOp, DType, ReduceOp, UnaryOp } from '@tensile/core';

/** dtype codes (rust-kernels/kernels/src/dtype.rs). */
export const DTYPE_CODE: Record<DType, number> = { float32: 0, int32: 1, bool: 2, int8: 3, uint8: 4 };

const UNARY: readonly UnaryOp[] = [
  'neg', 'abs', 'sign', 'exp', 'expm1', 'log', 'log1p', 'sqrt', 'rsqrt', 'square', 'reciprocal', 'sin', 'cos',
  'tanh', 'sigmoid', 'softplus', 'relu', 'erf', 'floor', 'ceil', 'round', 'logicalNot', 'isNaN', 'isInf',
  'leakyRelu', 'elu',
];
const BINARY: readonly BinaryOp[] = [
  'add', 'sub', 'mul', 'div', 'floorDiv', 'mod', 'pow', 'maximum', 'minimum', 'atan2', 'equal', 'notEqual',
  'less', 'lessEqual', 'greater', 'greaterEqual', 'logicalAnd', 'logicalOr', 'logicalXor',
];
const REDUCE: readonly ReduceOp[] = ['sum', 'mean', 'max', 'min', 'prod', 'any', 'all'];

const index = <T extends string>(xs: readonly T[]): Record<T, number> =>
  Object.fromEntries(xs.map((x, i) => [x, i])) as Record<T, number>;

/** Unary op codes (elementwise.rs). */
export const UNARY_CODE = index(UNARY);
/** Binary op codes (elementwise.rs); codes >= EQUAL write bool. */
export const BINARY_CODE = index(BINARY);
/** Reduce op codes (reduce.rs). */
export const REDUCE_CODE = index(REDUCE);
/** Pool op codes (pool.rs). */
export const POOL_CODE = { max: 0, avg: 1, min: 2 } as const;
