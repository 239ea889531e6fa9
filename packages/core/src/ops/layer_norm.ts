// Layer normalisation over the trailing dims as one op: the LayerNorm fused kernel where the
// backend has it, else its decomposition into required kernels. One gradient, written with
// ops (it recomputes the statistics from x, so nothing but x and weight is saved).
import { fusedKernel, runFused } from '../engine/engine.js';
import { noGrad, record } from '../autograd/tape.js';
import { ArgumentError, ShapeError, fmt } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { add, mul, sub } from './binary.js';
import { checkDType, checkNumber, checkTensor, defineOp, describe } from './op.js';
import { mean, sum } from './reduce.js';
import { rsqrt, square } from './unary.js';

export interface LayerNormOptions {
  /** Scale of normalizedShape (default 1). */
  weight?: Tensor;
  /** Shift of normalizedShape (default 0). */
  bias?: Tensor;
  /** Added to the variance (default 1e-5, as PyTorch). */
  eps?: number;
}

/** x minus its mean over `axes`, and 1 / sqrt(biased variance + eps), both kept for broadcasting. */
function moments(x: Tensor, axes: number[], eps: number): { xc: Tensor; rstd: Tensor } {
  const xc = sub(x, mean(x, axes, true));
  return { xc, rstd: rsqrt(add(mean(square(xc), axes, true), eps)) };
}

/**
 * Normalises x over its last `normalizedShape.length` dims (which must equal normalizedShape)
 * with their mean and biased variance, then * weight + bias (torch.nn.functional.layer_norm).
 * Fused into one pass where the backend has it.
 * @example layerNorm(x, [512], { weight: gamma, bias: beta })
 */
export const layerNorm = defineOp((xIn: Tensor, normalizedShape: number[], opts: LayerNormOptions = {}): Tensor => {
  const op = 'layerNorm';
  const x = checkTensor(op, xIn, 'x');
  checkDType(op, x, ['float32'], 'x');
  if (!Array.isArray(normalizedShape) || normalizedShape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ArgumentError(`${op}: normalizedShape must be an array of non-negative integers, got ${describe(normalizedShape)}`);
  }
  const k = normalizedShape.length;
  const tail = x.shape.slice(x.rank - k);
  if (k === 0 || x.rank < k || tail.some((d, i) => d !== normalizedShape[i])) {
    throw new ShapeError(`${op}: x ${fmt(x.shape)} must end with normalizedShape ${fmt(normalizedShape)} (at least one dim)`);
  }
  const affine = (t: unknown, arg: string): Tensor => {
    const v = checkTensor(op, t, arg);
    checkDType(op, v, ['float32'], arg);
    if (v.rank !== k || v.shape.some((d, i) => d !== normalizedShape[i])) {
      throw new ShapeError(`${op}: '${arg}' must be ${fmt(normalizedShape)} for x ${fmt(x.shape)}, got ${fmt(v.shape)}`);
    }
    return v;
  };
  const weight = opts.weight === undefined ? undefined : affine(opts.weight, 'weight');
  const bias = opts.bias === undefined ? undefined : affine(opts.bias, 'bias');
  const eps = checkNumber(op, opts.eps, 'eps', 1e-5);
  if (!(eps >= 0)) throw new ArgumentError(`${op}: eps must be >= 0, got ${eps}`);
  const axes = Array.from({ length: k }, (_, i) => x.rank - k + i);
  const lead = Array.from({ length: x.rank - k }, (_, i) => i);
  const y = fusedKernel('LayerNorm')
    ? runFused('LayerNorm', { x, weight, bias }, { normalizedDims: k, eps })
    : noGrad(() => {
      const { xc, rstd } = moments(x, axes, eps);
      const z = mul(xc, rstd);
      const zw = weight ? mul(z, weight) : z;
      return bias ? add(zw, bias) : zw;
    });
  const inputs = [x, ...(weight ? [weight] : []), ...(bias ? [bias] : [])];
  return record(op, y, inputs, (dy) => {
    const { xc, rstd } = moments(x, axes, eps);
    const xhat = mul(xc, rstd);
    const g = weight ? mul(dy, weight) : dy;
    // dx = rstd * (g - mean(g) - xhat * mean(g * xhat)) over the normalised dims.
    const grads: (Tensor | null)[] = [
      x.requiresGrad ? mul(rstd, sub(sub(g, mean(g, axes, true)), mul(xhat, mean(mul(g, xhat), axes, true)))) : null,
    ];
    if (weight) grads.push(weight.requiresGrad ? sum(mul(dy, xhat), lead) : null);
    if (bias) grads.push(bias.requiresGrad ? sum(dy, lead) : null);
    return grads;
  }, weight ? [x, weight] : [x]);
});
