// CosineAnnealingLR (torch.optim.lr_scheduler.CosineAnnealingLR).
import type { Optimizer } from '../optimizer.js';
import { finite, integer, noUnknownKeys, optionsObject } from '../validate.js';
import { LRScheduler } from './lr_scheduler.js';

/** CosineAnnealingLR's options. */
export interface CosineAnnealingLROptions {
  /** Epochs of half a cosine period (required). */
  tMax: number;
  /** The lowest lr (default 0). */
  etaMin?: number;
}

/**
 * Anneals each group's lr from its initial value to etaMin along half a cosine over tMax
 * epochs (and back up after, periodically), with PyTorch's recursive formula.
 * @example const sched = new CosineAnnealingLR(opt, { tMax: 100 });
 */
export class CosineAnnealingLR extends LRScheduler {
  tMax: number;
  etaMin: number;

  constructor(optimizer: Optimizer, options: CosineAnnealingLROptions) {
    super('CosineAnnealingLR', optimizer);
    const o = optionsObject('CosineAnnealingLR', options);
    noUnknownKeys('CosineAnnealingLR', o, ['tMax', 'etaMin']);
    this.tMax = integer('CosineAnnealingLR', 'tMax', o.tMax, 1);
    this.etaMin = finite('CosineAnnealingLR', 'etaMin', o.etaMin ?? 0);
    this.initialStep();
  }

  protected override getLr(): number[] {
    const { lastEpoch: t, tMax, etaMin } = this;
    if (this.isInitial) return this.groupLrs();
    if (this.stepCount === 1 && t > 0) {
      return this.baseLrs.map((base) => etaMin + (base - etaMin) * (1 + Math.cos(t * Math.PI / tMax)) / 2);
    }
    if ((t - 1 - tMax) % (2 * tMax) === 0) {
      return this.groupLrs().map((lr, i) => lr + (this.baseLrs[i]! - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2);
    }
    return this.groupLrs().map((lr) =>
      (1 + Math.cos(Math.PI * t / tMax)) / (1 + Math.cos(Math.PI * (t - 1) / tMax)) * (lr - etaMin) + etaMin);
  }
}
