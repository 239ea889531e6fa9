// Dropout with PyTorch's argument order and defaults (torch.nn.functional.dropout).
import { dropout as coreDropout, type Tensor } from '@tensile/core';
import { checkFloat, checkNumber } from '../check.js';

export interface DropoutOptions {
  /** Identity when false (default true, as F.dropout). */
  training?: boolean;
  /** Philox seed of the mask; without one the global stream advances. */
  seed?: number;
}

/** dropout() with the caller's name in errors. */
export function dropoutImpl(op: string, x: Tensor, p: number, opts: DropoutOptions): Tensor {
  checkFloat(op, x, 'x');
  checkNumber(op, p, 'p', 0.5, 0, 1);
  return coreDropout(x, p, opts);
}

/**
 * Zeroes each element with probability p (default 0.5) and scales the rest by 1 / (1 - p)
 * in training; the identity otherwise.
 * @example dropout(x, 0.2, { training: model.training, seed: 1 })
 */
export function dropout(x: Tensor, p = 0.5, opts: DropoutOptions = {}): Tensor {
  return dropoutImpl('dropout', x, p, opts);
}
