// Batch normalisation with given statistics (per channel of dim 1) as one op: the BatchNorm
// fused kernel where the backend has it, else its decomposition into required kernels. One
// gradient, written with ops, serves both paths; in training the statistics are themselves
// ops of x (mean, variance), so autograd carries dmean and dvariance back into x.
import { fusedKernel, runFused } from '../engine/engine.js';
import { noGrad, record } from '../autograd/tape.js';
import { ArgumentError, ShapeError, fmt } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { add, mul, sub } from './binary.js';
import { checkDType, checkNumber, checkTensor, defineOp } from './op.js';
import { sum } from './reduce.js';
import { reshape } from './reshape.js';
import { rsqrt } from './unary.js';

export interface BatchNormOptions {
  /** Scale per channel, [C] (default 1). */
  weight?: Tensor;
  /** Shift per channel, [C] (default 0). */
  bias?: Tensor;
  /** Added to the variance (default 1e-5, as PyTorch). */
  eps?: number;
}

/** A channel vector [C] shaped to broadcast against x [N, C, ...] of `rank`. */
function perChannel(t: Tensor, rank: number): Tensor {
  return reshape(t, [1, t.shape[0]!, ...Array<number>(rank - 2).fill(1)]);
}

/** The decomposition: what a backend without the fused kernel runs (required kernels only). */
function decomposed(x: Tensor, mean: Tensor, variance: Tensor, weight: Tensor | undefined, bias: Tensor | undefined, eps: number): Tensor {
  let scale = rsqrt(add(variance, eps));
  if (weight) scale = mul(scale, weight);
  const y = mul(sub(x, perChannel(mean, x.rank)), perChannel(scale, x.rank));
  return bias ? add(y, perChannel(bias, x.rank)) : y;
}

/**
 * (x - mean) / sqrt(variance + eps) * weight + bias per channel of x [N, C, ...], with the
 * statistics given ([C] each: running ones, or the batch's computed with `mean`/`variance`,
 * whose gradients then flow back into x). Fused into one pass where the backend has it.
 * @example batchNorm(x, mean(x, [0, 2, 3]), variance(x, [0, 2, 3], false, { correction: 0 }), { weight: g, bias: b })
 */
export const batchNorm = defineOp((xIn: Tensor, meanIn: Tensor, varianceIn: Tensor, opts: BatchNormOptions = {}): Tensor => {
  const op = 'batchNorm';
  const x = checkTensor(op, xIn, 'x');
  checkDType(op, x, ['float32'], 'x');
  if (x.rank < 2) throw new ShapeError(`${op}: x must be [N, C, ...] (rank >= 2), got ${fmt(x.shape)}`);
  const c = x.shape[1]!;
  const vec = (t: unknown, arg: string): Tensor => {
    const v = checkTensor(op, t, arg);
    checkDType(op, v, ['float32'], arg);
    if (v.rank !== 1 || v.shape[0] !== c) throw new ShapeError(`${op}: '${arg}' must be [${c}] for x ${fmt(x.shape)} (C = dim 1), got ${fmt(v.shape)}`);
    return v;
  };
  const mean = vec(meanIn, 'mean'), variance = vec(varianceIn, 'variance');
  const weight = opts.weight === undefined ? undefined : vec(opts.weight, 'weight');
  const bias = opts.bias === undefined ? undefined : vec(opts.bias, 'bias');
  const eps = checkNumber(op, opts.eps, 'eps', 1e-5);
  if (!(eps >= 0)) throw new ArgumentError(`${op}: eps must be >= 0, got ${eps}`);
  const y = fusedKernel('BatchNorm')
    ? runFused('BatchNorm', { x, mean, variance, weight, bias }, { eps })
    : noGrad(() => decomposed(x, mean, variance, weight, bias, eps));
  const inputs = [x, mean, variance, ...(weight ? [weight] : []), ...(bias ? [bias] : [])];
  return record(op, y, inputs, (dy) => {
    const axes = [0, ...Array.from({ length: x.rank - 2 }, (_, i) => i + 2)];
    const rstd = rsqrt(add(variance, eps));
    const xc = sub(x, perChannel(mean, x.rank));
    const g = weight ? mul(dy, perChannel(weight, x.rank)) : dy;
    const dx = mul(g, perChannel(rstd, x.rank));
    const grads: (Tensor | null)[] = [
      x.requiresGrad ? dx : null,
      mean.requiresGrad ? mul(sum(dx, axes), -1) : null,
      // d/dvar (var + eps)^-1/2 = -1/2 rstd^3
      variance.requiresGrad ? mul(sum(mul(g, xc), axes), mul(mul(rstd, mul(rstd, rstd)), -0.5)) : null,
    ];
    if (weight) grads.push(weight.requiresGrad ? sum(mul(dy, mul(xc, perChannel(rstd, x.rank))), axes) : null);
    if (bias) grads.push(bias.requiresGrad ? sum(dy, axes) : null);
    return grads;
  }, [x, mean, variance, ...(weight ? [weight] : [])]);
});
