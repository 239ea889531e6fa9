// ExponentialLR (torch.optim.lr_scheduler.ExponentialLR).
import type { Optimizer } from '../optimizer.js';
import { finite, noUnknownKeys, optionsObject } from '../validate.js';
import { LRScheduler } from './lr_scheduler.js';

/** ExponentialLR's options. */
export interface ExponentialLROptions {
  /** Decay factor per epoch (required). */
  gamma: number;
}

/**
 * Multiplies each group's lr by gamma every epoch.
 * @example const sched = new ExponentialLR(opt, { gamma: 0.95 });
 */
export class ExponentialLR extends LRScheduler {
  gamma: number;

  constructor(optimizer: Optimizer, options: ExponentialLROptions) {
    super('ExponentialLR', optimizer);
    const o = optionsObject('ExponentialLR', options);
    noUnknownKeys('ExponentialLR', o, ['gamma']);
    this.gamma = finite('ExponentialLR', 'gamma', o.gamma);
    this.initialStep();
  }

  protected override getLr(): number[] {
    if (this.isInitial) return this.groupLrs();
    return this.groupLrs().map((lr) => lr * this.gamma);
  }
}
