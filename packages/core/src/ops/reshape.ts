// Shape-only ops: metadata over the same buffer, no kernel runs.
import { view } from '../engine/engine.js';
import { record } from '../autograd/tape.js';
import { ShapeError, fmt } from '../errors.js';
import { normalizeAxis, sizeOf } from '../util/shape.js';
import type { Tensor } from '../tensor.js';
import { checkTensor, defineOp, describe } from './op.js';

/**
 * Reinterprets the data with a new shape; one dim may be -1 (inferred).
 * @example reshape(arange(6), [2, -1]) // shape [2, 3]
 */
export const reshape = defineOp((xIn: Tensor, shape: number[]): Tensor => {
  const x = checkTensor('reshape', xIn);
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < -1)) {
    throw new ShapeError(`reshape: shape must be integers >= -1, got ${describe(shape)}`);
  }
  const free = shape.filter((d) => d === -1).length;
  if (free > 1) throw new ShapeError(`reshape: only one dim may be -1, got ${fmt(shape)}`);
  const known = sizeOf(shape.filter((d) => d !== -1));
  let out = [...shape];
  if (free === 1) {
    if (known === 0 || x.size % known !== 0) {
      throw new ShapeError(`reshape: cannot reshape ${fmt(x.shape)} (${x.size} elements) into ${fmt(shape)}`);
    }
    out = shape.map((d) => (d === -1 ? x.size / known : d));
  }
  if (sizeOf(out) !== x.size) {
    throw new ShapeError(`reshape: cannot reshape ${fmt(x.shape)} (${x.size} elements) into ${fmt(shape)}`);
  }
  const y = view(x, out);
  return record('reshape', y, [x], (dy) => [reshape(dy, x.shape)], []);
});

/**
 * Flattens dims startDim..endDim (inclusive) into one (torch.flatten).
 * @example flatten(zeros([2, 3, 4]), 1) // shape [2, 12]
 */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  checkTensor('flatten', x);
  if (x.rank === 0) return reshape(x, [1]);
  const s = normalizeAxis('flatten', startDim, x.rank, 'startDim');
  const e = normalizeAxis('flatten', endDim, x.rank, 'endDim');
  if (s > e) throw new ShapeError(`flatten: startDim ${startDim} comes after endDim ${endDim} for shape ${fmt(x.shape)}`);
  const mid = sizeOf(x.shape.slice(s, e + 1));
  return reshape(x, [...x.shape.slice(0, s), mid, ...x.shape.slice(e + 1)]);
}

/**
 * Removes size-1 dims: all of them, or the given axes (each must have size 1).
 * @example squeeze(zeros([1, 3, 1]), 0) // shape [3, 1]
 */
export function squeeze(x: Tensor, axes?: number | number[]): Tensor {
  checkTensor('squeeze', x);
  if (x.rank === 0) return reshape(x, []); // as torch: squeezing a scalar is a no-op
  const list = axes === undefined ? x.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : (typeof axes === 'number' ? [axes] : axes).map((a) => normalizeAxis('squeeze', a, x.rank));
  for (const a of list) {
    if (x.shape[a] !== 1) throw new ShapeError(`squeeze: axis ${a} of shape ${fmt(x.shape)} has size ${x.shape[a]}, not 1`);
  }
  return reshape(x, x.shape.filter((_, i) => !list.includes(i)));
}

/**
 * Inserts a size-1 dim at `axis` (torch.unsqueeze); axis may be rank (append) or negative.
 * @example expandDims(zeros([3]), 0) // shape [1, 3]
 */
export function expandDims(x: Tensor, axis = 0): Tensor {
  checkTensor('expandDims', x);
  const a = normalizeAxis('expandDims', axis, x.rank + 1);
  const shape = [...x.shape];
  shape.splice(a, 0, 1);
  return reshape(x, shape);
}
