// Splitting along an axis: split into sections (torch.split) and unstack (torch.unbind).
// A slice's gradient is as large as the tensor it came from, so cutting n pieces straight off
// x would make backward add n full-size gradients (quadratic in n). Halving instead - each
// piece comes from a chain of log2(n) slices - keeps backward at O(size * log n).
import { ArgumentError, ShapeError, fmt } from '../errors.js';
import { normalizeAxis } from '../util/shape.js';
import type { Tensor } from '../tensor.js';
import { checkTensor, defineOp, describe } from './op.js';
import { reshape } from './reshape.js';
import { slice } from './slice.js';

/** [from, to) of axis `a` of x. */
function cut(x: Tensor, a: number, from: number, to: number): Tensor {
  const begin = x.shape.map((_, i) => (i === a ? from : 0));
  const end = x.shape.map((d, i) => (i === a ? to : d));
  return slice(x, begin, end);
}

/** x cut into consecutive `sizes` along axis a, halving the list at each level. */
function halve(x: Tensor, a: number, sizes: number[]): Tensor[] {
  if (sizes.length === 1) return [x];
  const mid = sizes.length >> 1;
  const left = sizes.slice(0, mid).reduce((s, v) => s + v, 0);
  return [...halve(cut(x, a, 0, left), a, sizes.slice(0, mid)), ...halve(cut(x, a, left, x.shape[a]!), a, sizes.slice(mid))];
}

/**
 * Splits x along `axis` (torch.split): a number is the size of every piece (the last may be
 * smaller), an array lists the sizes, which must add up to the axis length.
 * @example split(arange(5), 2) // [0, 1], [2, 3], [4]
 */
export const split = defineOp((xIn: Tensor, sizeOrSections: number | number[], axis: number = 0): Tensor[] => {
  const x = checkTensor('split', xIn);
  if (x.rank === 0) throw new ShapeError(`split: x must have rank >= 1, got shape ${fmt(x.shape)}`);
  const a = normalizeAxis('split', axis, x.rank);
  const len = x.shape[a]!;
  let sizes: number[];
  if (typeof sizeOrSections === 'number') {
    if (!Number.isInteger(sizeOrSections) || sizeOrSections < 1) {
      throw new ArgumentError(`split: size must be a positive integer, got ${describe(sizeOrSections)} (x ${fmt(x.shape)})`);
    }
    sizes = Array.from({ length: Math.max(1, Math.ceil(len / sizeOrSections)) }, (_, i) => Math.min(sizeOrSections, len - i * sizeOrSections));
  } else {
    if (!Array.isArray(sizeOrSections) || sizeOrSections.length === 0 || sizeOrSections.some((s) => !Number.isInteger(s) || s < 0)) {
      throw new ArgumentError(`split: sections must be a non-empty array of non-negative integers, got ${describe(sizeOrSections)}`);
    }
    const total = sizeOrSections.reduce((s, v) => s + v, 0);
    if (total !== len) {
      throw new ShapeError(`split: sections ${describe(sizeOrSections)} add up to ${total}, but axis ${a} of x ${fmt(x.shape)} has ${len}`);
    }
    sizes = [...sizeOrSections];
  }
  return halve(x, a, sizes);
});

/**
 * The slices of x along `axis`, each without that axis (torch.unbind, tf.unstack); backward
 * costs O(size * log n), not O(size * n).
 * @example unstack(tensor([[1, 2], [3, 4]]), 1) // [1, 3], [2, 4]
 */
export const unstack = defineOp((xIn: Tensor, axis: number = 0): Tensor[] => {
  const x = checkTensor('unstack', xIn);
  if (x.rank === 0) throw new ShapeError(`unstack: x must have rank >= 1, got shape ${fmt(x.shape)}`);
  const a = normalizeAxis('unstack', axis, x.rank);
  if (x.shape[a] === 0) return [];
  const rest = x.shape.filter((_, i) => i !== a);
  return halve(x, a, Array<number>(x.shape[a]!).fill(1)).map((t) => reshape(t, rest));
});
