// Adagrad (torch.optim.Adagrad, its single-tensor dense rule).
import { full, type Tensor, type Variable } from '@tensile/core';
import { Optimizer, type OptimizerOptions, type ParamGroup, type ParamState, type Params } from './optimizer.js';
import { addcdiv, addcmul } from './pointwise.js';
import { bool, nonNegative } from './validate.js';

/** Adagrad's options (PyTorch's names and defaults). */
export interface AdagradOptions extends OptimizerOptions {
  /** Learning rate (default 1e-2). */
  lr: number;
  /** Learning-rate decay: clr = lr / (1 + (t − 1)·lrDecay) (default 0). */
  lrDecay: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Starting value of the sum of squared gradients (default 0). */
  initialAccumulatorValue: number;
  /** Added to the denominator for stability (default 1e-10). */
  eps: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

const DEFAULTS: AdagradOptions = { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false };

/**
 * Adagrad, PyTorch's rule: t += 1; g = ±grad + weightDecay·p; clr = lr / (1 + (t − 1)·lrDecay);
 * sum += g²; p = p − clr·g / (√sum + eps). State is created with the groups, as PyTorch does.
 * @example const opt = new Adagrad([w, b], { lr: 0.1 });
 */
export class Adagrad extends Optimizer<AdagradOptions> {
  constructor(params: Params<AdagradOptions>, options?: Partial<AdagradOptions>) {
    super('Adagrad', params, DEFAULTS, options);
  }

  protected override checkOptions(o: AdagradOptions, owner: string): void {
    nonNegative(owner, 'lr', o.lr);
    nonNegative(owner, 'lrDecay', o.lrDecay);
    nonNegative(owner, 'weightDecay', o.weightDecay);
    nonNegative(owner, 'initialAccumulatorValue', o.initialAccumulatorValue);
    nonNegative(owner, 'eps', o.eps);
    bool(owner, 'maximize', o.maximize);
  }

  protected override initGroup(group: ParamGroup<AdagradOptions>): void {
    for (const p of group.params) this.initState(p, group, this.stateOf(p));
  }

  private initState(p: Variable, group: ParamGroup<AdagradOptions>, state: ParamState): void {
    if (state.step === undefined) state.step = 0;
    if (state.sum === undefined) this.put(state, 'sum', full(p.shape, group.initialAccumulatorValue));
  }

  protected override update(p: Variable, grad: Tensor, group: ParamGroup<AdagradOptions>, state: ParamState): void {
    const { lr, lrDecay, weightDecay, eps, maximize } = group;
    this.initState(p, group, state);
    const step = (state.step as number) + 1;
    state.step = step;
    let g = maximize ? grad.neg() : grad;
    if (weightDecay !== 0) g = g.add(p.mul(weightDecay));
    const clr = lr / (1 + (step - 1) * lrDecay);
    const sum = this.put(state, 'sum', addcmul(this.tensorState(state, 'sum'), g, g, 1));
    const std = sum.sqrt().add(eps);
    p.assign(addcdiv(p, g, std, -clr));
  }
}
