// The Adam family's update (torch.optim.Adam's single-tensor rule), shared by Adam (L2 weight
// decay added to the gradient) and AdamW (decoupled weight decay).
import type { Tensor, Variable } from '@tensile/core';
import { zerosLike } from '@tensile/core';
import { Optimizer, type OptimizerOptions, type ParamGroup, type ParamState, type Params } from './optimizer.js';
import { addcdiv, addcmul, lerp } from './pointwise.js';
import { bool, fail, nonNegative, unitOpen } from './validate.js';

/** Adam's and AdamW's options (PyTorch's names and defaults). */
export interface AdamOptions extends OptimizerOptions {
  /** Learning rate (default 1e-3). */
  lr: number;
  /** Decay rates of the first and second moment averages (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to the denominator for stability (default 1e-8). */
  eps: number;
  /** Weight decay: L2 in the gradient for Adam (default 0), decoupled for AdamW (default 1e-2). */
  weightDecay: number;
  /** AMSGrad: normalize by the running maximum of the second moment (default false). */
  amsgrad: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
  /** Decoupled weight decay, p·(1 − lr·weightDecay) before the update (Adam: default false; AdamW: always true). */
  decoupledWeightDecay: boolean;
}

/**
 * The update both Adam and AdamW run: t += 1; decay; m = lerp(m, g, 1 − β1);
 * v = β2·v + (1 − β2)·g²; p = p − lr/(1 − β1^t) · m / (√v̂ / √(1 − β2^t) + eps), v̂ = v or max(v̂, v).
 * @example class Adam extends AdamBase { ... }
 */
export abstract class AdamBase extends Optimizer<AdamOptions> {
  protected constructor(name: string, params: Params<AdamOptions>, defaults: AdamOptions, options: object | undefined) {
    super(name, params, defaults, options);
  }

  protected override checkOptions(o: AdamOptions, owner: string): void {
    nonNegative(owner, 'lr', o.lr);
    nonNegative(owner, 'eps', o.eps);
    if (!Array.isArray(o.betas) || o.betas.length !== 2) fail(owner, 'betas', 'a pair [beta1, beta2]', o.betas);
    unitOpen(owner, 'betas[0]', o.betas[0]);
    unitOpen(owner, 'betas[1]', o.betas[1]);
    nonNegative(owner, 'weightDecay', o.weightDecay);
    bool(owner, 'amsgrad', o.amsgrad);
    bool(owner, 'maximize', o.maximize);
    bool(owner, 'decoupledWeightDecay', o.decoupledWeightDecay);
  }

  protected override update(p: Variable, grad: Tensor, group: ParamGroup<AdamOptions>, state: ParamState): void {
    const { lr, betas: [beta1, beta2], eps, weightDecay, amsgrad, maximize, decoupledWeightDecay } = group;
    if (state.step === undefined) {
      state.step = 0;
      this.put(state, 'expAvg', zerosLike(p));
      this.put(state, 'expAvgSq', zerosLike(p));
    }
    if (amsgrad && state.maxExpAvgSq === undefined) this.put(state, 'maxExpAvgSq', zerosLike(p));
    const step = (state.step as number) + 1;
    state.step = step;
    let g = maximize ? grad.neg() : grad;
    let param: Tensor = p;
    if (weightDecay !== 0) {
      if (decoupledWeightDecay) param = param.mul(1 - lr * weightDecay);
      else g = g.add(p.mul(weightDecay));
    }
    const expAvg = this.put(state, 'expAvg', lerp(this.tensorState(state, 'expAvg'), g, 1 - beta1));
    const expAvgSq = this.put(state, 'expAvgSq', addcmul(this.tensorState(state, 'expAvgSq').mul(beta2), g, g, 1 - beta2));
    const biasCorrection1 = 1 - beta1 ** step;
    const biasCorrection2 = 1 - beta2 ** step;
    const stepSize = lr / biasCorrection1;
    const biasCorrection2Sqrt = biasCorrection2 ** 0.5;
    let second = expAvgSq;
    if (amsgrad) second = this.put(state, 'maxExpAvgSq', this.tensorState(state, 'maxExpAvgSq').maximum(expAvgSq));
    const denom = second.sqrt().div(biasCorrection2Sqrt).add(eps);
    p.assign(addcdiv(param, expAvg, denom, -stepSize));
  }
}
