// StepLR (torch.optim.lr_scheduler.StepLR).
import type { Optimizer } from '../optimizer.js';
import { finite, integer, noUnknownKeys, optionsObject } from '../validate.js';
import { LRScheduler } from './lr_scheduler.js';

/** StepLR's options. */
export interface StepLROptions {
  /** Epochs between decays (required). */
  stepSize: number;
  /** Decay factor (default 0.1). */
  gamma?: number;
}

/**
 * Multiplies each group's lr by gamma every `stepSize` epochs (PyTorch's recursive form).
 * @example const sched = new StepLR(opt, { stepSize: 30, gamma: 0.1 });
 */
export class StepLR extends LRScheduler {
  stepSize: number;
  gamma: number;

  constructor(optimizer: Optimizer, options: StepLROptions) {
    super('StepLR', optimizer);
    const o = optionsObject('StepLR', options);
    noUnknownKeys('StepLR', o, ['stepSize', 'gamma']);
    this.stepSize = integer('StepLR', 'stepSize', o.stepSize, 1);
    this.gamma = finite('StepLR', 'gamma', o.gamma ?? 0.1);
    this.initialStep();
  }

  protected override getLr(): number[] {
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return this.groupLrs();
    return this.groupLrs().map((lr) => lr * this.gamma);
  }
}
