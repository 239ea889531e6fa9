// Inverted dropout driven by Philox, so a seed gives the same mask on every backend.
import { ArgumentError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { cast } from './cast.js';
import { div, greaterEqual, mul } from './binary.js';
import { randomDraw, zerosLike } from './creation.js';
import { checkBool, checkTensor, defineOp, describe } from './op.js';
import { reshape } from './reshape.js';

export interface DropoutOptions {
  seed?: number;
  /** With `seed`: where the mask starts in its Philox stream, in blocks (default 0). */
  offset?: number;
  /** When false (evaluation), dropout is the identity. Default true. */
  training?: boolean;
}

/**
 * Zeroes each element with probability `rate` and scales survivors by 1 / (1 - rate)
 * (torch.nn.functional.dropout); identity when not training; rate 1 gives zeros.
 * @example dropout(ones([4]), 0.5, { seed: 1 })
 */
export const dropout = defineOp((xIn: Tensor, rate: number, opts: DropoutOptions = {}): Tensor => {
  const x = checkTensor('dropout', xIn);
  if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) {
    throw new ArgumentError(`dropout: rate must be in [0, 1], got ${describe(rate)} (x ${x.dtype}[${x.shape.join(',')}])`);
  }
  if (!checkBool('dropout', opts.training, 'training', true) || rate === 0) return reshape(x, x.shape);
  if (rate === 1) return mul(x, zerosLike(x));
  const keepMask = cast(greaterEqual(randomDraw('dropout', 'uniform', x.shape, opts.seed, opts.offset), rate), x.dtype);
  return div(mul(x, keepMask), 1 - rate);
});
