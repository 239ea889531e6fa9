// SGD with momentum, dampening, Nesterov momentum, L2 weight decay and maximize
// (torch.optim.SGD, its single-tensor update rule).
import { ArgumentError, type Tensor, type Variable } from '@tensile/core';
import { Optimizer, type OptimizerOptions, type ParamGroup, type ParamState, type Params } from './optimizer.js';
import { bool, nonNegative, finite } from './validate.js';

/** SGD's options (PyTorch's names and defaults). */
export interface SGDOptions extends OptimizerOptions {
  /** Learning rate (default 1e-3). */
  lr: number;
  /** Momentum factor (default 0: plain SGD). */
  momentum: number;
  /** Dampening of the momentum (default 0). */
  dampening: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Nesterov momentum (default false; needs momentum > 0 and dampening 0). */
  nesterov: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

const DEFAULTS: SGDOptions = { lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false };

/**
 * Stochastic gradient descent, PyTorch's rule: g = ±grad + weightDecay·p; with momentum,
 * buf = g on the first step, then buf = momentum·buf + (1 − dampening)·g, and g = buf (or
 * g + momentum·buf with Nesterov); p = p − lr·g.
 * @example const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 */
export class SGD extends Optimizer<SGDOptions> {
  constructor(params: Params<SGDOptions>, options?: Partial<SGDOptions>) {
    super('SGD', params, DEFAULTS, options);
  }

  protected override checkOptions(o: SGDOptions, owner: string): void {
    nonNegative(owner, 'lr', o.lr);
    nonNegative(owner, 'momentum', o.momentum);
    finite(owner, 'dampening', o.dampening);
    nonNegative(owner, 'weightDecay', o.weightDecay);
    bool(owner, 'nesterov', o.nesterov);
    bool(owner, 'maximize', o.maximize);
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
      throw new ArgumentError(`${owner}: option 'nesterov' true needs momentum > 0 and dampening 0, got momentum ${o.momentum} and dampening ${o.dampening}`);
    }
  }

  protected override update(p: Variable, grad: Tensor, group: ParamGroup<SGDOptions>, state: ParamState): void {
    const { lr, momentum, dampening, weightDecay, nesterov, maximize } = group;
    let g = maximize ? grad.neg() : grad;
    if (weightDecay !== 0) g = g.add(p.mul(weightDecay));
    if (momentum !== 0) {
      const prev = state.momentumBuffer;
      // The first buffer is a copy of the gradient (a fresh handle: p.grad is freed by zeroGrad).
      const buf = prev === undefined
        ? this.put(state, 'momentumBuffer', g.reshape(g.shape))
        : this.put(state, 'momentumBuffer', this.tensorState(state, 'momentumBuffer').mul(momentum).add(g.mul(1 - dampening)));
      g = nesterov ? g.add(buf.mul(momentum)) : buf;
    }
    p.assign(p.sub(g.mul(lr)));
  }
}
