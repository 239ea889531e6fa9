// BatchNorm1d/2d (torch.nn.BatchNorm1d/2d): running statistics are buffers named as PyTorch's
// (running_mean, running_var, num_batches_tracked), so checkpoints load unchanged.
import { ShapeError, cast, fmt, full, noGrad, scalar, tidy, type Tensor, type Variable } from '@tensile/core';
import { checkBool, checkFloat, checkInt, checkNumber } from '../check.js';
import { batchNormImpl } from '../functional/batch_norm.js';
import { ones, zeros } from '../init.js';
import { Module } from '../module.js';

export interface BatchNormConfig {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Weight of each new batch in the running averages (default 0.1); null: the cumulative average. */
  momentum?: number | null;
  /** Learn weight (init 1) and bias (init 0) per channel (default true). */
  affine?: boolean;
  /** Keep running statistics for evaluation (default true); without them evaluation uses the batch's. */
  trackRunningStats?: boolean;
}

/**
 * The shared implementation; BatchNorm1d and BatchNorm2d fix the accepted input ranks.
 * @example model.modules().filter((m) => m instanceof BatchNorm) // every batch-norm layer
 */
export abstract class BatchNorm extends Module {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  readonly weight: Variable | null;
  readonly bias: Variable | null;
  readonly runningMean: Variable | null;
  readonly runningVar: Variable | null;
  readonly numBatchesTracked: Variable | null;

  protected abstract readonly ranks: readonly number[];
  protected abstract readonly layout: string;

  constructor(numFeatures: number, cfg: BatchNormConfig = {}) {
    super();
    const op = this.constructor.name;
    this.numFeatures = checkInt(op, numFeatures, 'numFeatures', 1);
    this.eps = checkNumber(op, cfg.eps, 'eps', 1e-5, 0);
    this.momentum = cfg.momentum === null ? null : checkNumber(op, cfg.momentum, 'momentum', 0.1, 0, 1);
    this.affine = checkBool(op, cfg.affine, 'affine', true);
    this.trackRunningStats = checkBool(op, cfg.trackRunningStats, 'trackRunningStats', true);
    this.weight = this.affine ? this.param('weight', () => ones([numFeatures])) : null;
    this.bias = this.affine ? this.param('bias', () => zeros([numFeatures])) : null;
    if (this.trackRunningStats) {
      this.runningMean = this.buffer('running_mean', () => full([numFeatures], 0));
      this.runningVar = this.buffer('running_var', () => full([numFeatures], 1));
      this.numBatchesTracked = this.buffer('num_batches_tracked', () => scalar(0, 'int32'));
    } else {
      this.runningMean = this.runningVar = this.numBatchesTracked = null;
    }
  }

  forward(xIn: Tensor): Tensor {
    const op = this.constructor.name;
    const x = checkFloat(op, xIn, 'x');
    if (!this.ranks.includes(x.rank)) throw new ShapeError(`${op}: x must be ${this.layout}, got ${fmt(x.shape)}`);
    if (x.shape[1] !== this.numFeatures) {
      throw new ShapeError(`${op}: x ${fmt(x.shape)} has ${x.shape[1]} channels (dim 1) but numFeatures is ${this.numFeatures}`);
    }
    return tidy(() => {
      let momentum: number | Tensor = this.momentum ?? 0;
      const n = this.numBatchesTracked;
      if (this.training && n) {
        noGrad(() => n.assign(n.add(1)));
        // momentum null: the cumulative average, weight 1 / batches seen (PyTorch), kept on the device.
        if (this.momentum === null) momentum = cast(n, 'float32').reciprocal();
      }
      // Batch statistics in training, and in evaluation when no running statistics are kept.
      return batchNormImpl(op, x, this.runningMean, this.runningVar,
        { weight: this.weight, bias: this.bias, training: this.training || this.runningMean === null, momentum, eps: this.eps }, this.layout);
    });
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}, affine=${this.affine}, track_running_stats=${this.trackRunningStats}`;
  }
}

/**
 * Batch normalisation of [N, C] or [N, C, L] per channel C.
 * @example new BatchNorm1d(128)
 */
export class BatchNorm1d extends BatchNorm {
  protected readonly ranks = [2, 3];
  protected readonly layout = '[N, C] or [N, C, L]';
}

/**
 * Batch normalisation of [N, C, H, W] per channel C.
 * @example new Sequential(new Conv2d(3, 16, 3), new BatchNorm2d(16), new ReLU())
 */
export class BatchNorm2d extends BatchNorm {
  protected readonly ranks = [4];
  protected readonly layout = '[N, C, H, W]';
}
