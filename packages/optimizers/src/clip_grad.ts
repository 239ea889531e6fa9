// Gradient clipping (torch.nn.utils.clip_grad_norm_ / clip_grad_value_): the gradients in
// `p.grad` are replaced by clipped ones (Tensors are immutable; the old ones are freed).
import { ArgumentError, Tensor, keep, noGrad, scalar, stack, tidy } from '@tensile/core';
import { checkNum, describe } from './validate.js';

/** Parameters whose `grad` to clip: one tensor (usually a Variable) or a list. */
export type GradParams = Tensor | readonly Tensor[];

function paramsOf(op: string, params: GradParams): Tensor[] {
  const list = params instanceof Tensor ? [params] : params;
  if (!Array.isArray(list)) throw new ArgumentError(`${op}: 'params' must be a Tensor or an array of Tensors, got ${describe(params)}`);
  list.forEach((p, i) => {
    if (!(p instanceof Tensor)) throw new ArgumentError(`${op}: params[${i}] must be a Tensor (a Variable), got ${describe(p)}`);
  });
  return list;
}

/** Replaces `p.grad` by `f(p.grad)` (kept, like every accumulated gradient) and frees the old one. */
function replaceGrad(p: Tensor, g: Tensor, next: Tensor): void {
  p.grad = keep(next);
  g.dispose();
}

/** The `p`-norm of a tensor's elements (torch.linalg.vector_norm). */
function vectorNorm(x: Tensor, p: number): Tensor {
  if (p === Infinity) return x.abs().max();
  if (p === 1) return x.abs().sum();
  if (p === 2) return x.square().sum().sqrt();
  return x.abs().pow(p).sum().pow(1 / p);
}

/**
 * Scales all gradients together so that their joint `normType`-norm is at most `maxNorm`
 * (PyTorch's clip_grad_norm_: coef = min(maxNorm / (total + 1e-6), 1), each grad *= coef).
 * Returns the total norm before clipping as a float32 scalar Tensor, as PyTorch does (the
 * caller disposes it, or reads it with `await total.data()`). Parameters without a gradient
 * are skipped; with none at all the norm is 0. `normType` is a number > 0 or Infinity.
 * @example loss.backward(); const total = clipGradNorm_(params, 1.0); opt.step();
 */
export function clipGradNorm_(params: GradParams, maxNorm: number, normType = 2): Tensor {
  const op = 'clipGradNorm_';
  const list = paramsOf(op, params);
  checkNum(op, 'maxNorm', maxNorm, (v) => v >= 0, 'a number >= 0');
  checkNum(op, 'normType', normType, (v) => v > 0, 'a number > 0 or Infinity');
  const withGrad = list.filter((p) => p.grad !== null && !p.grad.isDisposed);
  if (withGrad.length === 0) return scalar(0);
  return noGrad(() => tidy(() => {
    const norms = withGrad.map((p) => vectorNorm(p.grad!, normType));
    const total = vectorNorm(stack(norms), normType);
    const coef = total.add(1e-6).reciprocal().mul(maxNorm).minimum(1);
    for (const p of withGrad) replaceGrad(p, p.grad!, p.grad!.mul(coef));
    return total;
  }));
}

/**
 * Clamps every gradient to [−clipValue, clipValue] (PyTorch's clip_grad_value_).
 * Parameters without a gradient are skipped.
 * @example loss.backward(); clipGradValue_(params, 0.5); opt.step();
 */
export function clipGradValue_(params: GradParams, clipValue: number): void {
  const op = 'clipGradValue_';
  const list = paramsOf(op, params);
  checkNum(op, 'clipValue', clipValue, (v) => v >= 0, 'a number >= 0');
  noGrad(() => tidy(() => {
    for (const p of list) {
      const g = p.grad;
      if (g === null || g.isDisposed) continue;
      replaceGrad(p, g, g.clip(-clipValue, clipValue));
    }
  }));
}
