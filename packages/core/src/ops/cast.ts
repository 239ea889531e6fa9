// Dtype conversion.
import { runKernel } from '../engine/engine.js';
import { record } from '../autograd/tape.js';
import { DTYPES, type DType } from '../dtype.js';
import { ArgumentError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { asTensor, defineOp, describe, type Scalarish } from './op.js';

/**
 * Converts to `dtype`: float -> int truncates toward zero, anything -> bool is `!= 0`.
 * The gradient flows back only between float dtypes.
 * @example cast(tensor([1.7, -1.7]), 'int32') // [1, -1]
 */
export const cast = defineOp((xIn: Scalarish, dtype: DType): Tensor => {
  const x = asTensor('cast', xIn, 'x');
  if (!DTYPES.includes(dtype)) throw new ArgumentError(`cast: unknown dtype ${describe(dtype)} (expected one of ${DTYPES.join(', ')})`);
  const y = runKernel('Cast', { x }, { dtype });
  if (x.dtype !== 'float32' || dtype !== 'float32') return y;
  return record('cast', y, [x], (dy) => [dy], []);
});

/** x itself when it is float32, else x cast to float32 (ops that compute in float). */
export function toFloat(x: Tensor): Tensor {
  return x.dtype === 'float32' ? x : cast(x, 'float32');
}
