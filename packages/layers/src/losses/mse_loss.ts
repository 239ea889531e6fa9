// Mean squared error (torch.nn.functional.mse_loss).
import { tidy, type Tensor } from '@tensile/core';
import { Loss } from './loss.js';
import { checkPair, checkReduction, reduce, type Reduction } from './reduction.js';

/** mseLoss() with the caller's name in errors. */
export function mseLossImpl(op: string, input: Tensor, target: Tensor, opts: { reduction?: Reduction }): Tensor {
  const [x, t] = checkPair(op, input, target);
  const reduction = checkReduction(op, opts.reduction);
  return tidy(() => reduce(x.sub(t).square(), reduction));
}

/**
 * (input - target)^2, averaged by default; input and target of one shape.
 * @example mseLoss(pred, target)
 */
export function mseLoss(input: Tensor, target: Tensor, opts: { reduction?: Reduction } = {}): Tensor {
  return mseLossImpl('mseLoss', input, target, opts);
}

/**
 * mseLoss as a module (torch.nn.MSELoss).
 * @example new MSELoss({ reduction: 'sum' }).call(pred, target)
 */
export class MSELoss extends Loss {
  constructor(opts: { reduction?: Reduction } = {}) {
    super(opts.reduction);
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return mseLossImpl('MSELoss', input, target, { reduction: this.reduction });
  }
}
