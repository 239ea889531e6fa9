// PyTorch's fused pointwise updates (lerp_, addcmul_, addcdiv_), composed from core ops in
// the order PyTorch's CPU kernels evaluate them, so float32 results round alike. JS scalars
// reach the kernels as float32, as PyTorch casts a Scalar to the tensor's dtype.
import type { Tensor } from '@tensile/core';

/**
 * torch.lerp(self, end, w): self + w·(end − self) when |w| < 0.5, else end − (end − self)·(1 − w).
 * @example lerp(expAvg, grad, 1 - beta1)
 */
export function lerp(self: Tensor, end: Tensor, weight: number): Tensor {
  const w = Math.fround(weight);
  const diff = end.sub(self);
  return Math.abs(w) < 0.5 ? self.add(diff.mul(w)) : end.sub(diff.mul(1 - w));
}

/**
 * torch.addcmul(self, t1, t2, value): self + (value·t1)·t2.
 * @example addcmul(expAvgSq.mul(beta2), grad, grad, 1 - beta2)
 */
export function addcmul(self: Tensor, t1: Tensor, t2: Tensor, value = 1): Tensor {
  return self.add((value === 1 ? t1 : t1.mul(value)).mul(t2));
}

/**
 * torch.addcdiv(self, t1, t2, value): self + (value·t1)/t2.
 * @example addcdiv(param, expAvg, denom, -stepSize)
 */
export function addcdiv(self: Tensor, t1: Tensor, t2: Tensor, value = 1): Tensor {
  return self.add((value === 1 ? t1 : t1.mul(value)).div(t2));
}
