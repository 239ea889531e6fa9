// Axis permutation.
import { runKernel } from '../engine/engine.js';
import { record } from '../autograd/tape.js';
import { ShapeError, fmt } from '../errors.js';
import { normalizeAxis } from '../util/shape.js';
import type { Tensor } from '../tensor.js';
import { checkTensor, defineOp } from './op.js';

/**
 * Permutes dims: out.shape[i] = x.shape[perm[i]] (numpy.transpose / torch.permute). Without
 * `perm`, reverses the dims. Negative entries count from the end.
 * @example transpose(zeros([2, 3, 4]), [2, 0, 1]) // shape [4, 2, 3]
 */
export const transpose = defineOp((xIn: Tensor, perm?: number[]): Tensor => {
  const x = checkTensor('transpose', xIn);
  const p = perm === undefined ? x.shape.map((_, i) => x.rank - 1 - i) : perm.map((a) => normalizeAxis('transpose', a, x.rank, 'perm'));
  if (p.length !== x.rank || new Set(p).size !== p.length) {
    throw new ShapeError(`transpose: perm [${perm?.join(',')}] is not a permutation of the ${x.rank} dims of ${fmt(x.shape)}`);
  }
  const y = runKernel('Transpose', { x }, { perm: p });
  const inv = new Array<number>(p.length);
  p.forEach((a, i) => (inv[a] = i));
  return record('transpose', y, [x], (dy) => [transpose(dy, inv)], []);
});
