// Reductions: one kernel (`Reduce{op}`) plus `ArgReduce`; gradients broadcast dy back.
import { runKernel } from '../engine/engine.js';
import { record } from '../autograd/tape.js';
import type { ReduceOp } from '../backend/kernels.js';
import { ShapeError, fmt } from '../errors.js';
import { normalizeAxes, normalizeAxis, reducedShape, sizeOf } from '../util/shape.js';
import type { Tensor } from '../tensor.js';
import { cast, toFloat } from './cast.js';
import { div, equal, mul, sub, where } from './binary.js';
import { checkBool, checkNumber, checkTensor, defineOp } from './op.js';
import { reshape } from './reshape.js';
import { broadcastTo } from './broadcast_to.js';
import { square } from './unary.js';

type Axes = number | number[];

/** Reshapes a reduced gradient to keepDims form and broadcasts it over x's shape. */
function spread(dy: Tensor, x: Tensor, axes: number[]): Tensor {
  return broadcastTo(reshape(dy, reducedShape(x.shape, axes, true)), x.shape);
}

const reduce = defineOp((op: ReduceOp, xIn: Tensor, axesIn: Axes | undefined, keepDims: boolean): Tensor => {
  let x = checkTensor(op, xIn);
  checkBool(op, keepDims, 'keepDims');
  const axes = normalizeAxes(op, axesIn, x.rank);
  if ((op === 'max' || op === 'min') && axes.some((a) => x.shape[a] === 0)) {
    throw new ShapeError(`${op}: cannot reduce over an empty axis of shape ${fmt(x.shape)} (axes [${axes.join(',')}])`);
  }
  if (op === 'any' || op === 'all') {
    if (x.dtype !== 'bool') x = cast(x, 'bool');
  } else if (op === 'mean') {
    x = toFloat(x);
  } else if (x.dtype === 'bool' || x.dtype === 'int8' || x.dtype === 'uint8') {
    // torch sums booleans to integers; max/min of bool stay bool.
    if (op === 'sum' || op === 'prod') x = cast(x, 'int32');
  }
  const y = runKernel('Reduce', { x }, { op, axes, keepDims: !!keepDims });
  const xs = x;
  switch (op) {
    case 'sum': return record(op, y, [xs], (dy) => [spread(dy, xs, axes)], []);
    case 'mean': {
      const n = sizeOf(axes.map((a) => xs.shape[a]!));
      return record(op, y, [xs], (dy) => [div(spread(dy, xs, axes), n)], []);
    }
    case 'max':
    case 'min':
      // amax/amin semantics: the gradient is shared evenly between tied extremes.
      return record(op, y, [xs], (dy) => {
        const hit = cast(equal(xs, spread(y, xs, axes)), dy.dtype);
        const count = spread(reduce('sum', hit, axes, true), xs, axes);
        return [div(mul(spread(dy, xs, axes), hit), count)];
      });
    case 'prod':
      return record(op, y, [xs], (dy) => [prodGrad(xs, axes, dy)], [xs]);
    default:
      return y;
  }
});

// d prod / d x_i = product of the others, computed without dividing by zero.
function prodGrad(x: Tensor, axes: number[], dy: Tensor): Tensor {
  const isZero = equal(x, 0);
  const nonZero = where(isZero, 1, x);
  const pnz = spread(reduce('prod', nonZero, axes, true), x, axes);
  const zeros = spread(reduce('sum', isZero, axes, true), x, axes);
  const noZeros = equal(zeros, 0);
  const gNonZero = where(noZeros, div(pnz, nonZero), 0);
  const gZero = where(equal(zeros, 1), pnz, 0);
  const g = where(isZero, gZero, gNonZero);
  return mul(spread(dy, x, axes), g);
}

/** Sum over axes (all by default); bool and int8 sum to int32. @example sum(tensor([[1, 2], [3, 4]]), 1) // [3, 7] */
export function sum(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  return reduce('sum', x, axes, keepDims);
}
/** Mean over axes (float32; empty -> NaN). @example mean(tensor([1, 2, 3, 4])) // 2.5 */
export function mean(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  return reduce('mean', x, axes, keepDims);
}
/** Max over axes (torch.amax; NaN propagates; empty axis is a ShapeError). @example max(tensor([1, 5, 2])) // 5 */
export function max(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  return reduce('max', x, axes, keepDims);
}
/** Min over axes (torch.amin). @example min(tensor([1, 5, 2])) // 1 */
export function min(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  return reduce('min', x, axes, keepDims);
}
/** Product over axes (empty -> 1). @example prod(tensor([2, 3])) // 6 */
export function prod(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  return reduce('prod', x, axes, keepDims);
}
/** True if any element is non-zero. @example any(tensor([0, 1])) // true */
export function any(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  return reduce('any', x, axes, keepDims);
}
/** True if every element is non-zero. @example all(tensor([0, 1])) // false */
export function all(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  return reduce('all', x, axes, keepDims);
}

const argReduce = defineOp((op: 'max' | 'min', xIn: Tensor, axis: number | undefined, keepDims: boolean): Tensor => {
  const name = op === 'max' ? 'argmax' : 'argmin';
  let x = checkTensor(name, xIn);
  checkBool(name, keepDims, 'keepDims');
  if (axis === undefined) {
    if (x.size === 0) throw new ShapeError(`${name}: cannot reduce an empty tensor of shape ${fmt(x.shape)}`);
    x = reshape(x, [x.size]);
    const flat = runKernel('ArgReduce', { x }, { op, axis: 0, keepDims: false });
    return keepDims ? reshape(flat, xIn.shape.map(() => 1)) : flat;
  }
  const a = normalizeAxis(name, axis, x.rank);
  if (x.rank > 0 && x.shape[a] === 0) throw new ShapeError(`${name}: cannot reduce over empty axis ${a} of shape ${fmt(x.shape)}`);
  if (x.rank === 0) x = reshape(x, [1]);
  const y = runKernel('ArgReduce', { x }, { op, axis: a, keepDims: !!keepDims && xIn.rank > 0 });
  return xIn.rank === 0 ? reshape(y, []) : y;
});

/**
 * Index (int32) of the first maximum along `axis`; over the flattened tensor when omitted.
 * @example argmax(tensor([[1, 9], [7, 2]]), 1) // [1, 0]
 */
export function argmax(x: Tensor, axis?: number, keepDims = false): Tensor {
  return argReduce('max', x, axis, keepDims);
}
/** Index (int32) of the first minimum along `axis`. @example argmin(tensor([3, 1, 1])) // 1 */
export function argmin(x: Tensor, axis?: number, keepDims = false): Tensor {
  return argReduce('min', x, axis, keepDims);
}

/**
 * Variance over axes with Bessel's correction by default (torch.var: `correction` = 1).
 * @example variance(tensor([1, 2, 3, 4])) // 1.6667
 */
export const variance = defineOp((xIn: Tensor, axes?: Axes, keepDims: boolean = false, opts: { correction?: number } = {}): Tensor => {
  const x = checkTensor('variance', xIn);
  checkBool('variance', keepDims, 'keepDims');
  const correction = checkNumber('variance', opts.correction, 'correction', 1);
  const ax = normalizeAxes('variance', axes, x.rank);
  const n = sizeOf(ax.map((a) => x.shape[a]!));
  const dev = sub(x, mean(x, ax, true));
  const ss = sum(square(dev), ax, keepDims);
  return div(ss, Math.max(0, n - correction));
});
