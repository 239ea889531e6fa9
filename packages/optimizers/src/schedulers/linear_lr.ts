// LinearLR (torch.optim.lr_scheduler.LinearLR): linear warm-up (or decay) of a factor.
import type { Optimizer } from '../optimizer.js';
import { checkNum, integer, noUnknownKeys, optionsObject } from '../validate.js';
import { LRScheduler } from './lr_scheduler.js';

/** LinearLR's options. */
export interface LinearLROptions {
  /** Factor of the first epoch, in (0, 1] (default 1/3). */
  startFactor?: number;
  /** Factor reached after totalIters epochs, in [0, 1] (default 1). */
  endFactor?: number;
  /** Epochs of the ramp (default 5). */
  totalIters?: number;
}

/**
 * Multiplies each group's initial lr by a factor that moves linearly from startFactor to
 * endFactor over totalIters epochs, then stays (PyTorch's recursive form).
 * @example const warmup = new LinearLR(opt, { startFactor: 0.1, totalIters: 10 });
 */
export class LinearLR extends LRScheduler {
  startFactor: number;
  endFactor: number;
  totalIters: number;

  constructor(optimizer: Optimizer, options: LinearLROptions = {}) {
    super('LinearLR', optimizer);
    const o = optionsObject('LinearLR', options);
    noUnknownKeys('LinearLR', o, ['startFactor', 'endFactor', 'totalIters']);
    this.startFactor = checkNum('LinearLR', 'startFactor', o.startFactor ?? 1 / 3, (v) => v > 0 && v <= 1, 'in (0, 1]');
    this.endFactor = checkNum('LinearLR', 'endFactor', o.endFactor ?? 1, (v) => v >= 0 && v <= 1, 'in [0, 1]');
    this.totalIters = integer('LinearLR', 'totalIters', o.totalIters ?? 5, 0);
    this.initialStep();
  }

  protected override getLr(): number[] {
    const { lastEpoch: t, startFactor: s, endFactor: e, totalIters: n } = this;
    if (t === 0) return this.groupLrs().map((lr) => lr * s);
    if (this.isInitial || t > n) return this.groupLrs();
    return this.groupLrs().map((lr) => lr * (1.0 + (e - s) / (n * s + (t - 1) * (e - s))));
  }
}
