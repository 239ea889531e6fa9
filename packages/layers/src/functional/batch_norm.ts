// Batch normalisation over the channel dim 1 of [N, C, ...] (torch.nn.functional.batch_norm),
// through core's batchNorm op (a fused kernel where the backend has one).
import { ArgumentError, ShapeError, Tensor, Variable, batchNorm as coreBatchNorm, fmt, noGrad, reshape, tidy } from '@tensile/core';
import { checkBool, checkFloat, checkNumber } from '../check.js';

export interface BatchNormOptions {
  /** Scale per channel, [C]. */
  weight?: Tensor | null;
  /** Shift per channel, [C]. */
  bias?: Tensor | null;
  /** Normalise with the batch's statistics and update the running ones (default false). */
  training?: boolean;
  /** Weight of the new batch in the running averages (default 0.1). */
  momentum?: number;
  /** Added to the variance (default 1e-5). */
  eps?: number;
}

/** The channel vector `t` [C] shaped to broadcast against x [N, C, ...]. */
function perChannel(t: Tensor, rank: number): Tensor {
  return reshape(t, [1, t.shape[0]!, ...Array<number>(rank - 2).fill(1)]);
}

function checkChannelVector(op: string, t: Tensor | null | undefined, arg: string, c: number, x: Tensor): Tensor | undefined {
  if (t == null) return undefined;
  checkFloat(op, t, arg);
  if (t.rank !== 1 || t.shape[0] !== c) {
    throw new ShapeError(`${op}: '${arg}' must be [${c}] for x ${fmt(x.shape)} with ${c} channels, got ${fmt(t.shape)}`);
  }
  return t;
}

/**
 * batchNorm() with the caller's name in errors (BatchNorm1d/2d use theirs); `momentum` may
 * be a scalar tensor (the cumulative average's 1 / batches, kept on the device).
 */
export function batchNormImpl(op: string, xIn: Tensor, runningMean: Tensor | null, runningVar: Tensor | null,
  opts: Omit<BatchNormOptions, 'momentum'> & { momentum?: number | Tensor }, layout = '[N, C, ...]'): Tensor {
  const x = checkFloat(op, xIn, 'x');
  if (x.rank < 2) throw new ShapeError(`${op}: x must be ${layout}, got ${fmt(x.shape)}`);
  const c = x.shape[1]!;
  const rm = checkChannelVector(op, runningMean, 'running_mean', c, x);
  const rv = checkChannelVector(op, runningVar, 'running_var', c, x);
  const w = checkChannelVector(op, opts.weight, 'weight', c, x);
  const b = checkChannelVector(op, opts.bias, 'bias', c, x);
  const training = checkBool(op, opts.training, 'training', false);
  const momentum = opts.momentum instanceof Tensor ? opts.momentum : checkNumber(op, opts.momentum, 'momentum', 0.1, 0, 1);
  const eps = checkNumber(op, opts.eps, 'eps', 1e-5, 0);
  if ((rm === undefined) !== (rv === undefined)) throw new ArgumentError(`${op}: give both running_mean and running_var, or neither`);
  if (!training && rm === undefined) throw new ArgumentError(`${op}: evaluation (training false) needs running_mean and running_var`);
  if (training && rm !== undefined && (!(rm instanceof Variable) || !(rv instanceof Variable))) {
    throw new ArgumentError(`${op}: in training the running statistics are updated, so they must be Variables (buffers)`);
  }
  const n = x.size / Math.max(c, 1);
  if (training && n <= 1) {
    throw new ShapeError(`${op}: expected more than 1 value per channel when training, got x ${fmt(x.shape)}`);
  }
  return tidy(() => {
    const axes = [0, ...Array.from({ length: x.rank - 2 }, (_, i) => i + 2)];
    const affine = { weight: w, bias: b, eps };
    if (!training) return coreBatchNorm(x, rm!, rv!, affine);
    // The batch's statistics are ops of x, so core's batchNorm gradient flows back through them.
    const mean = x.mean(axes);
    const varB = x.sub(perChannel(mean, x.rank)).square().mean(axes);
    if (rm instanceof Variable && rv instanceof Variable) {
      noGrad(() => {
        const keepW = typeof momentum === 'number' ? 1 - momentum : momentum.neg().add(1);
        const varW = typeof momentum === 'number' ? (momentum * n) / (n - 1) : momentum.mul(n / (n - 1));
        rm.assign(rm.mul(keepW).add(mean.mul(momentum)));
        rv.assign(rv.mul(keepW).add(varB.mul(varW)));
      });
    }
    return coreBatchNorm(x, mean, varB, affine);
  });
}

/**
 * Normalises each channel of x [N, C, ...]: with the batch's mean and biased variance in
 * training (updating `runningMean`/`runningVar`, Variables, with the unbiased variance as
 * PyTorch), with the running statistics otherwise; then `weight` and `bias`.
 * @example batchNorm(x, rm, rv, { training: true, weight: gamma, bias: beta })
 */
export function batchNorm(x: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, opts: BatchNormOptions = {}): Tensor {
  return batchNormImpl('batchNorm', x, runningMean, runningVar, opts);
}
