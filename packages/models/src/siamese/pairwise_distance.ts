// The Euclidean distance between paired rows, as torch.nn.functional.pairwise_distance.
import { ShapeError, fmt, sqrt, sum, tidy, type Tensor } from '@tensile/core';
import { numberIn, tensorOf } from '../config_checks.js';

/**
 * || a_i - b_i + eps ||_2 for each row pair of a and b [N, D] -> [N]. The eps (default 1e-6,
 * PyTorch's) keeps the gradient finite when a row pair is identical.
 * @example const d = pairwiseDistance(e1, e2); // [N]
 */
export function pairwiseDistance(a: Tensor, b: Tensor, eps = 1e-6): Tensor {
  const name = 'pairwiseDistance';
  tensorOf(name, a, 'a', ['float32']);
  tensorOf(name, b, 'b', ['float32']);
  const e = numberIn(name, eps, 'eps', 1e-6, 0, 1);
  if (a.rank !== 2 || b.rank !== 2 || a.shape[0] !== b.shape[0] || a.shape[1] !== b.shape[1]) {
    throw new ShapeError(`${name}: a ${fmt(a.shape)} and b ${fmt(b.shape)} must both be [N, D]`);
  }
  return tidy(() => sqrt(sum(a.sub(b).add(e).square(), 1)));
}
