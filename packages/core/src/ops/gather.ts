// Indexing along an axis: gather, its adjoint scatterAdd, and oneHot.
import { runKernel } from '../engine/engine.js';
import { record } from '../autograd/tape.js';
import { DTYPES, type DType } from '../dtype.js';
import { ArgumentError, ShapeError, fmt } from '../errors.js';
import { normalizeAxis } from '../util/shape.js';
import type { Tensor } from '../tensor.js';
import { cast } from './cast.js';
import { checkDType, checkInt, checkNumber, checkTensor, defineOp, describe } from './op.js';

function checkIndices(op: string, indices: Tensor): Tensor {
  checkDType(op, checkTensor(op, indices, 'indices'), ['int32', 'int8', 'uint8'], 'indices');
  return indices;
}

/** int32 indices, cast once every check has passed. */
function asInt32(t: Tensor): Tensor {
  return t.dtype === 'int32' ? t : cast(t, 'int32');
}

/**
 * Takes slices of x along `axis` at `indices` (numpy.take): the result has shape
 * x.shape[:axis] + indices.shape + x.shape[axis+1:]. Negative indices count from the end;
 * out-of-range indices give zeros (no device readback to check them).
 * @example gather(tensor([10, 20, 30]), tensor([2, -1, 0], undefined, 'int32')) // [30, 30, 10]
 */
export const gather = defineOp((xIn: Tensor, indicesIn: Tensor, axis: number = 0): Tensor => {
  const x = checkTensor('gather', xIn);
  checkIndices('gather', indicesIn);
  if (x.rank === 0) throw new ShapeError(`gather: x must have rank >= 1, got shape ${fmt(x.shape)}`);
  const a = normalizeAxis('gather', axis, x.rank);
  const indices = asInt32(indicesIn);
  const y = runKernel('Gather', { x, indices }, { axis: a });
  return record('gather', y, [x], (dy) => [scatterAdd(dy, indices, a, x.shape[a]!)], [indices]);
});

/**
 * The adjoint of gather: zeros with `size` along `axis`, each slice of `updates` added at
 * its index (duplicates accumulate; negative wraps; out of range is dropped).
 * @example scatterAdd(tensor([1, 2, 3]), tensor([0, 0, 2], undefined, 'int32'), 0, 4) // [3, 0, 3, 0]
 */
export const scatterAdd = defineOp((updatesIn: Tensor, indicesIn: Tensor, axis: number, size: number): Tensor => {
  const updates = checkTensor('scatterAdd', updatesIn, 'updates');
  checkIndices('scatterAdd', indicesIn);
  checkInt('scatterAdd', size, 'size', 0);
  const a = normalizeAxis('scatterAdd', axis, Math.max(1, updates.rank - indicesIn.rank + 1));
  const expect = updates.shape.slice(a, a + indicesIn.rank);
  if (updates.rank < indicesIn.rank || expect.some((d, i) => d !== indicesIn.shape[i])) {
    throw new ShapeError(`scatterAdd: updates ${fmt(updates.shape)} do not have indices' shape ${fmt(indicesIn.shape)} at axis ${a}`);
  }
  const indices = asInt32(indicesIn);
  const y = runKernel('ScatterAdd', { updates, indices }, { axis: a, size });
  return record('scatterAdd', y, [updates], (dy) => [gather(dy, indices, a)], [indices]);
});

export interface OneHotOptions {
  dtype?: DType;
  /** Value at the index (default 1). */
  on?: number;
  /** Value elsewhere (default 0). */
  off?: number;
}

/**
 * One-hot encodes int indices into a new last dim of size `depth`; out-of-range indices
 * (including negative ones) give a row of `off`.
 * @example oneHot(tensor([0, 2], undefined, 'int32'), 3) // [[1,0,0],[0,0,1]]
 */
export const oneHot = defineOp((indicesIn: Tensor, depth: number, opts: OneHotOptions = {}): Tensor => {
  checkIndices('oneHot', indicesIn);
  checkInt('oneHot', depth, 'depth', 0);
  const dtype = opts.dtype ?? 'float32';
  if (!DTYPES.includes(dtype)) throw new ArgumentError(`oneHot: unknown dtype ${describe(dtype)}`);
  const indices = asInt32(indicesIn);
  const on = checkNumber('oneHot', opts.on, 'on', 1), off = checkNumber('oneHot', opts.off, 'off', 0);
  return runKernel('OneHot', { indices }, { depth, on, off, dtype });
});
