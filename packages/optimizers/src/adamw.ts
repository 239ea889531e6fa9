// AdamW (torch.optim.AdamW): Adam with decoupled weight decay.
import { ArgumentError } from '@tensile/core';
import { AdamBase, type AdamOptions } from './adam_base.js';
import type { Params } from './optimizer.js';

/** AdamW's options: Adam's, with decoupled weight decay always on. */
export type AdamWOptions = Omit<AdamOptions, 'decoupledWeightDecay'>;

const DEFAULTS: AdamOptions = {
  lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 1e-2, amsgrad: false, maximize: false, decoupledWeightDecay: true,
};

/**
 * AdamW (Loshchilov & Hutter): p = p·(1 − lr·weightDecay) before Adam's update, weightDecay
 * default 1e-2 (PyTorch's).
 * @example const opt = new AdamW(model.parameters(), { lr: 3e-4, weightDecay: 0.05 });
 */
export class AdamW extends AdamBase {
  constructor(params: Params<AdamWOptions>, options?: Partial<AdamWOptions>) {
    super('AdamW', params as Params<AdamOptions>, DEFAULTS, options);
  }

  protected override checkOptions(o: AdamOptions, owner: string): void {
    super.checkOptions(o, owner);
    if (o.decoupledWeightDecay !== true) {
      throw new ArgumentError(`${owner}: option 'decoupledWeightDecay' is always true for AdamW, got ${String(o.decoupledWeightDecay)} (use Adam for L2 weight decay)`);
    }
  }
}
