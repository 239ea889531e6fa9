// Joining tensors: concat along an existing axis, stack along a new one.
import { runKernel } from '../engine/engine.js';
import { record } from '../autograd/tape.js';
import { promoteTypes } from '../dtype.js';
import { ArgumentError, ShapeError, fmt } from '../errors.js';
import { normalizeAxis } from '../util/shape.js';
import type { Tensor } from '../tensor.js';
import { cast } from './cast.js';
import { checkTensor, defineOp } from './op.js';
import { expandDims } from './reshape.js';
import { slice } from './slice.js';

/**
 * Concatenates along `axis` (torch.cat); dtypes promote, other dims must match.
 * @example concat([ones([1, 2]), zeros([2, 2])]) // shape [3, 2]
 */
export const concat = defineOp((xsIn: Tensor[], axis: number = 0): Tensor => {
  if (!Array.isArray(xsIn) || xsIn.length === 0) throw new ArgumentError('concat: needs a non-empty array of tensors');
  let xs = xsIn.map((t, i) => checkTensor('concat', t, `xs[${i}]`));
  const first = xs[0]!;
  if (first.rank === 0) throw new ShapeError('concat: cannot concatenate rank-0 tensors (use stack)');
  const a = normalizeAxis('concat', axis, first.rank);
  xs.forEach((t, i) => {
    if (t.rank !== first.rank || t.shape.some((d, j) => j !== a && d !== first.shape[j])) {
      throw new ShapeError(`concat: xs[${i}] has shape ${fmt(t.shape)}, which does not match xs[0] ${fmt(first.shape)} outside axis ${a}`);
    }
  });
  const dt = xs.map((t) => t.dtype).reduce(promoteTypes);
  xs = xs.map((t) => (t.dtype === dt ? t : cast(t, dt)));
  const y = runKernel('Concat', { xs }, { axis: a });
  return record('concat', y, xs, (dy) => {
    let at = 0;
    return xs.map((t) => {
      const begin = t.shape.map((_, j) => (j === a ? at : 0));
      const end = t.shape.map((d, j) => (j === a ? at + d : d));
      at += t.shape[a]!;
      return slice(dy, begin, end);
    });
  }, []);
});

/**
 * Stacks same-shaped tensors along a new axis (torch.stack).
 * @example stack([tensor([1, 2]), tensor([3, 4])], 1) // [[1, 3], [2, 4]]
 */
export const stack = defineOp((xs: Tensor[], axis: number = 0): Tensor => {
  if (!Array.isArray(xs) || xs.length === 0) throw new ArgumentError('stack: needs a non-empty array of tensors');
  const first = checkTensor('stack', xs[0], 'xs[0]');
  xs.forEach((t, i) => {
    checkTensor('stack', t, `xs[${i}]`);
    if (t.rank !== first.rank || t.shape.some((d, j) => d !== first.shape[j])) {
      throw new ShapeError(`stack: xs[${i}] has shape ${fmt(t.shape)}, xs[0] has ${fmt(first.shape)}; all must match`);
    }
  });
  const a = normalizeAxis('stack', axis, first.rank + 1);
  return concat(xs.map((t) => expandDims(t, a)), a);
});
