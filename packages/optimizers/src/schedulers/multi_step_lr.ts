// MultiStepLR (torch.optim.lr_scheduler.MultiStepLR).
import { ArgumentError } from '@tensile/core';
import type { Optimizer } from '../optimizer.js';
import { describe, finite, noUnknownKeys, optionsObject } from '../validate.js';
import { LRScheduler } from './lr_scheduler.js';

/** MultiStepLR's options. */
export interface MultiStepLROptions {
  /** Epochs at which to decay (a repeated milestone decays by gamma^count, as PyTorch's Counter). */
  milestones: number[];
  /** Decay factor (default 0.1). */
  gamma?: number;
}

/**
 * Multiplies each group's lr by gamma at each milestone epoch.
 * @example const sched = new MultiStepLR(opt, { milestones: [30, 80], gamma: 0.1 });
 */
export class MultiStepLR extends LRScheduler {
  /** Milestone epoch -> how many times it was listed (PyTorch's Counter). */
  milestones: Record<number, number>;
  gamma: number;

  constructor(optimizer: Optimizer, options: MultiStepLROptions) {
    super('MultiStepLR', optimizer);
    const o = optionsObject('MultiStepLR', options);
    noUnknownKeys('MultiStepLR', o, ['milestones', 'gamma']);
    if (!Array.isArray(o.milestones) || o.milestones.some((m) => typeof m !== 'number' || !Number.isInteger(m))) {
      throw new ArgumentError(`MultiStepLR: option 'milestones' must be an array of integers, got ${describe(o.milestones)}`);
    }
    this.milestones = {};
    for (const m of o.milestones) this.milestones[m] = (this.milestones[m] ?? 0) + 1;
    this.gamma = finite('MultiStepLR', 'gamma', o.gamma ?? 0.1);
    this.initialStep();
  }

  protected override getLr(): number[] {
    const count = this.milestones[this.lastEpoch];
    if (count === undefined) return this.groupLrs();
    return this.groupLrs().map((lr) => lr * this.gamma ** count);
  }
}
