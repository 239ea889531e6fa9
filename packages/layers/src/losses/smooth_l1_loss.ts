// Smooth L1 (torch.nn.functional.smooth_l1_loss) and Huber (huber_loss): quadratic near
// zero, linear beyond beta (resp. delta).
import { tidy, where, type Tensor } from '@tensile/core';
import { checkNumber } from '../check.js';
import { Loss } from './loss.js';
import { checkPair, checkReduction, reduce, type Reduction } from './reduction.js';

/** smoothL1Loss() with the caller's name in errors. */
export function smoothL1LossImpl(op: string, input: Tensor, target: Tensor, opts: { reduction?: Reduction; beta?: number }): Tensor {
  const [x, t] = checkPair(op, input, target);
  const reduction = checkReduction(op, opts.reduction);
  const beta = checkNumber(op, opts.beta, 'beta', 1, 0);
  return tidy(() => {
    const d = x.sub(t).abs();
    if (beta === 0) return reduce(d, reduction);
    return reduce(where(d.less(beta), d.square().mul(0.5 / beta), d.sub(0.5 * beta)), reduction);
  });
}

/**
 * 0.5 d^2 / beta where |d| < beta, |d| - 0.5 beta elsewhere (d = input - target, beta
 * default 1; beta 0 is L1).
 * @example smoothL1Loss(boxes, targets, { beta: 1 / 9 })
 */
export function smoothL1Loss(input: Tensor, target: Tensor, opts: { reduction?: Reduction; beta?: number } = {}): Tensor {
  return smoothL1LossImpl('smoothL1Loss', input, target, opts);
}

/** huberLoss() with the caller's name in errors. */
export function huberLossImpl(op: string, input: Tensor, target: Tensor, opts: { reduction?: Reduction; delta?: number }): Tensor {
  const [x, t] = checkPair(op, input, target);
  const reduction = checkReduction(op, opts.reduction);
  const delta = checkNumber(op, opts.delta, 'delta', 1, Number.MIN_VALUE);
  return tidy(() => {
    const d = x.sub(t).abs();
    return reduce(where(d.less(delta), d.square().mul(0.5), d.sub(0.5 * delta).mul(delta)), reduction);
  });
}

/**
 * 0.5 d^2 where |d| < delta, delta (|d| - 0.5 delta) elsewhere (delta > 0, default 1):
 * smoothL1Loss with beta = delta, times delta.
 * @example huberLoss(pred, target, { delta: 2 })
 */
export function huberLoss(input: Tensor, target: Tensor, opts: { reduction?: Reduction; delta?: number } = {}): Tensor {
  return huberLossImpl('huberLoss', input, target, opts);
}

/**
 * smoothL1Loss as a module (torch.nn.SmoothL1Loss).
 * @example new SmoothL1Loss({ beta: 0.5 }).call(pred, target)
 */
export class SmoothL1Loss extends Loss {
  readonly beta: number;

  constructor(opts: { reduction?: Reduction; beta?: number } = {}) {
    super(opts.reduction);
    this.beta = checkNumber('SmoothL1Loss', opts.beta, 'beta', 1, 0);
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return smoothL1LossImpl('SmoothL1Loss', input, target, { reduction: this.reduction, beta: this.beta });
  }
}

/**
 * huberLoss as a module (torch.nn.HuberLoss).
 * @example new HuberLoss({ delta: 2 }).call(pred, target)
 */
export class HuberLoss extends Loss {
  readonly delta: number;

  constructor(opts: { reduction?: Reduction; delta?: number } = {}) {
    super(opts.reduction);
    this.delta = checkNumber('HuberLoss', opts.delta, 'delta', 1, Number.MIN_VALUE);
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return huberLossImpl('HuberLoss', input, target, { reduction: this.reduction, delta: this.delta });
  }
}
