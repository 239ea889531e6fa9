// ReduceLROnPlateau (torch.optim.lr_scheduler.ReduceLROnPlateau): driven by a metric.
import { ArgumentError } from '@tensile/core';
import type { Optimizer } from '../optimizer.js';
import { checkNum, describe, integer, nonNegative, noUnknownKeys, oneOf, optionsObject } from '../validate.js';
import { checkOptimizer, loadFields, saveFields, type SchedulerStateDict } from './lr_scheduler.js';

/** ReduceLROnPlateau's options (PyTorch's names and defaults). */
export interface ReduceLROnPlateauOptions {
  /** 'min' (default): lower metric is better; 'max': higher is. */
  mode?: 'min' | 'max';
  /** lr = lr·factor on a plateau, factor < 1 (default 0.1). */
  factor?: number;
  /** Epochs without improvement tolerated before reducing (default 10). */
  patience?: number;
  /** Smallest change that counts as an improvement (default 1e-4). */
  threshold?: number;
  /** 'rel' (default): relative to the best; 'abs': absolute. */
  thresholdMode?: 'rel' | 'abs';
  /** Epochs to wait after a reduction before counting again (default 0). */
  cooldown?: number;
  /** Lowest lr, for all groups or one per group (default 0). */
  minLr?: number | number[];
  /** A reduction smaller than eps is skipped (default 1e-8). */
  eps?: number;
}

const KEYS = ['mode', 'factor', 'patience', 'threshold', 'thresholdMode', 'cooldown', 'minLr', 'eps'];

/**
 * Reduces each group's lr by `factor` once the metric passed to `step(metric)` has not
 * improved for more than `patience` epochs.
 * @example const sched = new ReduceLROnPlateau(opt, { patience: 5 }); sched.step(valLoss);
 */
export class ReduceLROnPlateau {
  readonly optimizer: Optimizer;
  mode: 'min' | 'max';
  factor: number;
  patience: number;
  threshold: number;
  thresholdMode: 'rel' | 'abs';
  cooldown: number;
  minLrs: number[];
  eps: number;
  /** The best metric so far (±Infinity before the first). */
  best: number;
  numBadEpochs = 0;
  cooldownCounter = 0;
  lastEpoch = 0;
  lastLr: number[];

  constructor(optimizer: Optimizer, options: ReduceLROnPlateauOptions = {}) {
    const owner = 'ReduceLROnPlateau';
    this.optimizer = checkOptimizer(owner, optimizer);
    const o = optionsObject(owner, options);
    noUnknownKeys(owner, o, KEYS);
    this.mode = oneOf(owner, 'mode', o.mode ?? 'min', ['min', 'max'] as const);
    this.factor = checkNum(owner, 'factor', o.factor ?? 0.1, (v) => v >= 0 && v < 1, 'in [0, 1)');
    this.patience = integer(owner, 'patience', o.patience ?? 10, 0);
    this.threshold = nonNegative(owner, 'threshold', o.threshold ?? 1e-4);
    this.thresholdMode = oneOf(owner, 'thresholdMode', o.thresholdMode ?? 'rel', ['rel', 'abs'] as const);
    this.cooldown = integer(owner, 'cooldown', o.cooldown ?? 0, 0);
    this.eps = nonNegative(owner, 'eps', o.eps ?? 1e-8);
    const n = this.optimizer.paramGroups.length;
    const minLr = o.minLr ?? 0;
    if (Array.isArray(minLr)) {
      if (minLr.length !== n) throw new ArgumentError(`${owner}: option 'minLr' must have one value per parameter group (${n}), got ${describe(minLr)}`);
      this.minLrs = minLr.map((v, i) => nonNegative(owner, `minLr[${i}]`, v));
    } else {
      this.minLrs = Array(n).fill(nonNegative(owner, 'minLr', minLr));
    }
    this.best = this.mode === 'min' ? Infinity : -Infinity;
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /**
   * Records one epoch's metric and reduces the lrs on a plateau.
   * @example sched.step(await valLoss.data().then((d) => d[0]));
   */
  step(metric: number): void {
    if (typeof metric !== 'number' || Number.isNaN(metric)) {
      throw new ArgumentError(`ReduceLROnPlateau.step: 'metric' must be a number, got ${describe(metric)}`);
    }
    this.lastEpoch += 1;
    if (this.isBetter(metric, this.best)) {
      this.best = metric;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      this.reduceLr();
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** True while cooling down after a reduction. */
  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  /**
   * The learning rates after the last step, one per group (a copy).
   * @example sched.getLastLr() // [0.001]
   */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /**
   * The scheduler's state as plain data.
   * @example const saved = sched.stateDict();
   */
  stateDict(): SchedulerStateDict {
    return saveFields(this);
  }

  /**
   * Restores `stateDict()`'s output.
   * @example sched.loadStateDict(saved);
   */
  loadStateDict(sd: SchedulerStateDict): void {
    loadFields('ReduceLROnPlateau', this, sd);
  }

  private isBetter(a: number, best: number): boolean {
    if (this.mode === 'min' && this.thresholdMode === 'rel') return a < best * (1.0 - this.threshold);
    if (this.mode === 'min') return a < best - this.threshold;
    if (this.thresholdMode === 'rel') return a > best * (this.threshold + 1.0);
    return a > best + this.threshold;
  }

  private reduceLr(): void {
    if (this.minLrs.length !== this.optimizer.paramGroups.length) {
      throw new ArgumentError(`ReduceLROnPlateau: the optimizer has ${this.optimizer.paramGroups.length} parameter groups, minLr has ${this.minLrs.length} values (a group was added after the scheduler was made)`);
    }
    this.optimizer.paramGroups.forEach((g, i) => {
      const oldLr = g.lr;
      const newLr = Math.max(oldLr * this.factor, this.minLrs[i]!);
      if (oldLr - newLr > this.eps) g.lr = newLr;
    });
  }
}
