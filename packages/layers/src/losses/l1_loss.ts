// Mean absolute error (torch.nn.functional.l1_loss).
import { tidy, type Tensor } from '@tensile/core';
import { Loss } from './loss.js';
import { checkPair, checkReduction, reduce, type Reduction } from './reduction.js';

/** l1Loss() with the caller's name in errors. */
export function l1LossImpl(op: string, input: Tensor, target: Tensor, opts: { reduction?: Reduction }): Tensor {
  const [x, t] = checkPair(op, input, target);
  const reduction = checkReduction(op, opts.reduction);
  return tidy(() => reduce(x.sub(t).abs(), reduction));
}

/**
 * |input - target|, averaged by default.
 * @example l1Loss(pred, target)
 */
export function l1Loss(input: Tensor, target: Tensor, opts: { reduction?: Reduction } = {}): Tensor {
  return l1LossImpl('l1Loss', input, target, opts);
}

/**
 * l1Loss as a module (torch.nn.L1Loss).
 * @example new L1Loss().call(pred, target)
 */
export class L1Loss extends Loss {
  constructor(opts: { reduction?: Reduction } = {}) {
    super(opts.reduction);
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return l1LossImpl('L1Loss', input, target, { reduction: this.reduction });
  }
}
