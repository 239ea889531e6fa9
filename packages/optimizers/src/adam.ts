// Adam (torch.optim.Adam).
import { AdamBase, type AdamOptions } from './adam_base.js';
import type { Params } from './optimizer.js';

const DEFAULTS: AdamOptions = {
  lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false, decoupledWeightDecay: false,
};

/**
 * Adam (Kingma & Ba) with PyTorch's rule and defaults: bias-corrected moments, optional
 * AMSGrad, weight decay added to the gradient (L2; `decoupledWeightDecay: true` makes it AdamW).
 * @example const opt = new Adam([{ params: [w], lr: 0.1 }, { params: [b] }], { lr: 1e-3 });
 */
export class Adam extends AdamBase {
  constructor(params: Params<AdamOptions>, options?: Partial<AdamOptions>) {
    super('Adam', params, DEFAULTS, options);
  }
}
