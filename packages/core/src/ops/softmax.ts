// Softmax and log-softmax: real kernels (stable, one pass per row), gradients composed.
import { runKernel } from '../engine/engine.js';
import { record } from '../autograd/tape.js';
import { normalizeAxis } from '../util/shape.js';
import type { Tensor } from '../tensor.js';
import { toFloat } from './cast.js';
import { mul, sub } from './binary.js';
import { checkTensor, defineOp } from './op.js';
import { reshape } from './reshape.js';
import { sum } from './reduce.js';
import { exp } from './unary.js';

const softmaxOp = defineOp((name: string, xIn: Tensor, axis: number, log: boolean): Tensor => {
  checkTensor(name, xIn);
  const a = normalizeAxis(name, axis, xIn.rank);
  const x = toFloat(xIn);
  // A rank-0 tensor is a single row of one element.
  if (x.rank === 0) return reshape(softmaxOp(name, reshape(x, [1]), 0, log), []);
  const y = runKernel('Softmax', { x }, { axis: a, log });
  return record(name, y, [x], (dy) =>
    log
      ? [sub(dy, mul(exp(y), sum(dy, a, true)))]
      : [mul(y, sub(dy, sum(mul(dy, y), a, true)))],
  [y]);
});

/**
 * exp(x) / sum(exp(x)) along `axis` (default -1), computed stably for large magnitudes.
 * @example softmax(tensor([1, 2, 3]))
 */
export function softmax(x: Tensor, axis = -1): Tensor {
  return softmaxOp('softmax', x, axis, false);
}

/**
 * log(softmax(x)) along `axis` (default -1), without forming softmax (no underflow).
 * @example logSoftmax(tensor([1, 2, 3]))
 */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  return softmaxOp('logSoftmax', x, axis, true);
}
