// RMSprop (torch.optim.RMSprop, its single-tensor rule).
import { zerosLike, type Tensor, type Variable } from '@tensile/core';
import { Optimizer, type OptimizerOptions, type ParamGroup, type ParamState, type Params } from './optimizer.js';
import { addcdiv, addcmul, lerp } from './pointwise.js';
import { bool, nonNegative } from './validate.js';

/** RMSprop's options (PyTorch's names and defaults). */
export interface RMSpropOptions extends OptimizerOptions {
  /** Learning rate (default 1e-2). */
  lr: number;
  /** Smoothing constant of the squared-gradient average (default 0.99). */
  alpha: number;
  /** Added to the denominator for stability (default 1e-8). */
  eps: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Momentum factor (default 0). */
  momentum: number;
  /** Normalize by an estimate of the gradient's variance (default false). */
  centered: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

const DEFAULTS: RMSpropOptions = { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false };

/**
 * RMSprop, PyTorch's rule: v = α·v + (1 − α)·g²; centered: ḡ = lerp(ḡ, g, 1 − α) and
 * avg = √(v − ḡ²) + eps, else √v + eps; with momentum buf = μ·buf + g/avg and p −= lr·buf,
 * else p −= lr·g/avg.
 * @example const opt = new RMSprop([w], { lr: 1e-3, momentum: 0.9, centered: true });
 */
export class RMSprop extends Optimizer<RMSpropOptions> {
  constructor(params: Params<RMSpropOptions>, options?: Partial<RMSpropOptions>) {
    super('RMSprop', params, DEFAULTS, options);
  }

  protected override checkOptions(o: RMSpropOptions, owner: string): void {
    nonNegative(owner, 'lr', o.lr);
    nonNegative(owner, 'alpha', o.alpha);
    nonNegative(owner, 'eps', o.eps);
    nonNegative(owner, 'weightDecay', o.weightDecay);
    nonNegative(owner, 'momentum', o.momentum);
    bool(owner, 'centered', o.centered);
    bool(owner, 'maximize', o.maximize);
  }

  protected override update(p: Variable, grad: Tensor, group: ParamGroup<RMSpropOptions>, state: ParamState): void {
    const { lr, alpha, eps, weightDecay, momentum, centered, maximize } = group;
    if (state.step === undefined) {
      state.step = 0;
      this.put(state, 'squareAvg', zerosLike(p));
    }
    if (momentum > 0 && state.momentumBuffer === undefined) this.put(state, 'momentumBuffer', zerosLike(p));
    if (centered && state.gradAvg === undefined) this.put(state, 'gradAvg', zerosLike(p));
    state.step = (state.step as number) + 1;
    let g = maximize ? grad.neg() : grad;
    if (weightDecay !== 0) g = g.add(p.mul(weightDecay));
    const squareAvg = this.put(state, 'squareAvg', addcmul(this.tensorState(state, 'squareAvg').mul(alpha), g, g, 1 - alpha));
    let avg: Tensor;
    if (centered) {
      const gradAvg = this.put(state, 'gradAvg', lerp(this.tensorState(state, 'gradAvg'), g, 1 - alpha));
      avg = addcmul(squareAvg, gradAvg, gradAvg, -1).sqrt();
    } else {
      avg = squareAvg.sqrt();
    }
    avg = avg.add(eps);
    if (momentum > 0) {
      const buf = this.put(state, 'momentumBuffer', addcdiv(this.tensorState(state, 'momentumBuffer').mul(momentum), g, avg));
      p.assign(p.sub(buf.mul(lr)));
    } else {
      p.assign(addcdiv(p, g, avg, -lr));
    }
  }
}
