// Repeating a tensor (numpy.tile / torch.tile).
import { ShapeError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { arange } from './creation.js';
import { mod } from './binary.js';
import { gather } from './gather.js';
import { checkTensor, defineOp, describe } from './op.js';
import { reshape } from './reshape.js';

/**
 * Repeats x `reps[i]` times along axis i; a shorter reps is padded with leading 1s and a
 * longer one prepends dims to x (numpy rules). Built on gather, so the gradient sums tiles.
 * @example tile(tensor([1, 2]), [2]) // [1, 2, 1, 2]
 */
export const tile = defineOp((xIn: Tensor, reps: number[]): Tensor => {
  let x = checkTensor('tile', xIn);
  if (!Array.isArray(reps) || reps.some((r) => !Number.isInteger(r) || r < 0)) {
    throw new ShapeError(`tile: reps must be non-negative integers, got ${describe(reps)}`);
  }
  const rank = Math.max(x.rank, reps.length);
  const r = [...new Array<number>(rank - reps.length).fill(1), ...reps];
  x = reshape(x, [...new Array<number>(rank - x.rank).fill(1), ...x.shape]);
  r.forEach((n, axis) => {
    if (n === 1) return;
    const dim = x.shape[axis]!;
    const idx = dim === 0 ? arange(0, 0, 1, 'int32') : mod(arange(0, dim * n, 1, 'int32'), dim);
    x = gather(x, idx, axis);
  });
  return x;
});
