// Picking one element of x per index along an axis (torch.gather, numpy.take_along_axis),
// composed from Gather on the flattened x, so its gradient is Gather's (ScatterAdd).
import { ShapeError, fmt } from '../errors.js';
import { normalizeAxis } from '../util/shape.js';
import type { Tensor } from '../tensor.js';
import { add, greaterEqual, less, logicalAnd, mul, where } from './binary.js';
import { cast } from './cast.js';
import { arange } from './creation.js';
import { gather } from './gather.js';
import { checkDType, checkTensor, defineOp } from './op.js';
import { reshape } from './reshape.js';

/**
 * out[..., i, ...] = x[..., indices[..., i, ...], ...] along `axis` (torch.gather semantics):
 * indices has x's rank, its size along every other axis at most x's, and the result has its
 * shape. Negative indices count from the end; indices still out of range give zeros.
 * @example takeAlongAxis(tensor([[1, 2], [3, 4]]), tensor([[1], [0]], undefined, 'int32'), 1) // [[2], [3]]
 */
export const takeAlongAxis = defineOp((xIn: Tensor, indicesIn: Tensor, axis: number): Tensor => {
  const op = 'takeAlongAxis';
  const x = checkTensor(op, xIn, 'x');
  const idxIn = checkTensor(op, indicesIn, 'indices');
  checkDType(op, idxIn, ['int32', 'int8', 'uint8'], 'indices');
  if (x.rank === 0) throw new ShapeError(`${op}: x must have rank >= 1, got shape ${fmt(x.shape)}`);
  const a = normalizeAxis(op, axis, x.rank);
  if (idxIn.rank !== x.rank || idxIn.shape.some((d, i) => i !== a && d > x.shape[i]!)) {
    throw new ShapeError(`${op}: indices ${fmt(idxIn.shape)} must have x's rank and at most x ${fmt(x.shape)}'s size on every axis but ${a}`);
  }
  const dim = x.shape[a]!;
  const idx = idxIn.dtype === 'int32' ? idxIn : cast(idxIn, 'int32');
  const wrapped = where(less(idx, 0), add(idx, dim), idx);
  // Flat index into x: the index on axis a, each other axis's own position elsewhere.
  let flat = mul(wrapped, x.shape.slice(a + 1).reduce((s, d) => s * d, 1));
  let stride = 1;
  for (let i = x.rank - 1; i >= 0; i--) {
    if (i !== a) {
      const pos = reshape(arange(0, idxIn.shape[i]!, 1, 'int32'), idxIn.shape.map((d, j) => (j === i ? d : 1)));
      flat = add(flat, mul(pos, stride));
    }
    stride *= x.shape[i]!;
  }
  // An index out of range on its axis must not land on a neighbour: send it past the end.
  const inRange = logicalAnd(greaterEqual(wrapped, 0), less(wrapped, dim));
  const safe = where(inRange, flat, x.size);
  return gather(reshape(x, [x.size]), safe, 0);
});
