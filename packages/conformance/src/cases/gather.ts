// gather (negative indices count from the end; out of range gives zeros) and oneHot.
import * as T from '@tensile/core';
import { EXACT, FD } from '../tol.js';
import type { Case } from '../types.js';
import { f32, i32 } from '../util.js';

const V = f32([10, 20, 30]);
// [[1,2],[3,4],[5,6]]
const M = f32([1, 2, 3, 4, 5, 6], [3, 2]);

export const gather: Case[] = [
  { name: 'gather with a negative index', inputs: [V, i32([2, -1, 0])], run: ([x, i]) => T.gather(x!, i!), expected: f32([30, 30, 10]) },
  { name: 'gather rows (axis 0)', inputs: [M, i32([2, 0])], run: ([x, i]) => T.gather(x!, i!, 0), expected: f32([5, 6, 1, 2], [2, 2]) },
  { name: 'gather columns (axis 1)', inputs: [M, i32([1, 1, 0])], run: ([x, i]) => T.gather(x!, i!, 1), expected: f32([2, 2, 1, 4, 4, 3, 6, 6, 5], [3, 3]) },
  { name: 'gather negative axis', inputs: [M, i32([1])], run: ([x, i]) => T.gather(x!, i!, -1), expected: f32([2, 4, 6], [3, 1]) },
  // out shape = x.shape[:axis] + indices.shape + x.shape[axis+1:]
  { name: 'gather with 2-D indices', inputs: [V, i32([0, 1, 2, 0], [2, 2])], run: ([x, i]) => T.gather(x!, i!), expected: f32([10, 20, 30, 10], [2, 2]) },
  { name: 'gather with rank-0 indices drops the axis', inputs: [M, i32([1], [])], run: ([x, i]) => T.gather(x!, i!), expected: f32([3, 4], [2]) },
  // 3 and -4 are out of range for size 3 (even after wrapping): zeros
  { name: 'gather out-of-range indices give zeros', inputs: [V, i32([3, -4, 1, 100])], run: ([x, i]) => T.gather(x!, i!), expected: f32([0, 0, 20, 0]) },
  { name: 'gather out-of-range rows give zero rows', inputs: [M, i32([-1, 5])], run: ([x, i]) => T.gather(x!, i!), expected: f32([5, 6, 0, 0], [2, 2]) },
  { name: 'gather from int32', inputs: [i32([7, 8, 9]), i32([2, 2])], run: ([x, i]) => T.gather(x!, i!), expected: i32([9, 9]) },
  { name: 'gather with int8 indices', inputs: [V, { values: [1, -1], shape: [2], dtype: 'int8' }], run: ([x, i]) => T.gather(x!, i!), expected: f32([20, 30]) },
  { name: 'gather with size-0 indices', inputs: [M, i32([], [0])], run: ([x, i]) => T.gather(x!, i!), expected: f32([], [0, 2]) },
  { name: 'gather from a size-0 axis gives zeros', inputs: [f32([], [0, 2]), i32([0])], run: ([x, i]) => T.gather(x!, i!), expected: f32([0, 0], [1, 2]) },
  { name: 'gather method form', inputs: [V, i32([1])], run: ([x, i]) => x!.gather(i!), expected: f32([20]) },
  // repeated indices accumulate; out-of-range ones contribute nothing
  { name: 'gather gradient accumulates repeated indices', inputs: [f32([0.5, -1, 2, 0.3]), i32([0, 0, 2, -1, 7])], run: ([x, i]) => T.gather(x!, i!), grad: { tol: FD } },
  { name: 'gather gradient along axis 1', inputs: [f32([0.5, -1, 2, 0.3, 0.1, -0.6], [2, 3]), i32([2, 0, 2], [3])], run: ([x, i]) => T.gather(x!, i!, 1), grad: { tol: FD } },
  // d/dx sum(gather(x, [0, 0, 2]) * [1, 2, 3]) = [1 + 2, 0, 3]
  { name: 'gather gradient, hand-derived', inputs: [f32([5, 6, 7]), i32([0, 0, 2])], run: ([x, i]) => T.gather(x!, i!), goldenGrad: { weights: [f32([1, 2, 3])], grads: [f32([3, 0, 3]), null], tol: EXACT } },

  // scatterAdd, gather's adjoint: zeros of `size` along the axis, updates added at their indices
  { name: 'scatterAdd accumulates duplicates', inputs: [f32([1, 2, 3]), i32([0, 0, 2])], run: ([u, i]) => T.scatterAdd(u!, i!, 0, 4), expected: f32([3, 0, 3, 0]) },
  { name: 'scatterAdd wraps negative indices and drops out-of-range ones', inputs: [f32([1, 2, 3]), i32([-1, 5, -5])], run: ([u, i]) => T.scatterAdd(u!, i!, 0, 4), expected: f32([0, 0, 0, 1]) },
  // rows [1,2] and [3,4] both land in column 1
  { name: 'scatterAdd along axis 1', inputs: [f32([1, 2, 3, 4], [2, 2]), i32([1, 1])], run: ([u, i]) => T.scatterAdd(u!, i!, 1, 3), expected: f32([0, 3, 0, 0, 7, 0], [2, 3]) },
  { name: 'scatterAdd of size-0 updates gives zeros', inputs: [f32([], [0]), i32([], [0])], run: ([u, i]) => T.scatterAdd(u!, i!, 0, 2), expected: f32([0, 0]) },
  { name: 'scatterAdd gradient', inputs: [f32([0.5, -1, 2, 0.3], [2, 2]), i32([2, 0])], run: ([u, i]) => T.scatterAdd(u!, i!, 0, 3), grad: { tol: FD } },

  { name: 'oneHot', inputs: [i32([0, 2])], run: ([i]) => T.oneHot(i!, 3), expected: f32([1, 0, 0, 0, 0, 1], [2, 3]) },
  { name: 'oneHot out-of-range and negative indices give zero rows', inputs: [i32([3, -1, 1])], run: ([i]) => T.oneHot(i!, 3), expected: f32([0, 0, 0, 0, 0, 0, 0, 1, 0], [3, 3]) },
  { name: 'oneHot dtype int32', inputs: [i32([1])], run: ([i]) => T.oneHot(i!, 2, { dtype: 'int32' }), expected: i32([0, 1], [1, 2]) },
  { name: 'oneHot on and off values', inputs: [i32([1, 0])], run: ([i]) => T.oneHot(i!, 2, { on: 5, off: -1 }), expected: f32([-1, 5, 5, -1], [2, 2]) },
  { name: 'oneHot of 2-D indices', inputs: [i32([0, 1, 1, 0], [2, 2])], run: ([i]) => T.oneHot(i!, 2), expected: f32([1, 0, 0, 1, 0, 1, 1, 0], [2, 2, 2]) },
  { name: 'oneHot of a rank-0 index', inputs: [i32([2], [])], run: ([i]) => T.oneHot(i!, 4), expected: f32([0, 0, 1, 0], [4]) },
  { name: 'oneHot depth 0 and size-0 indices', inputs: [i32([1, 2]), i32([], [0])], run: ([i, j]) => [T.oneHot(i!, 0), T.oneHot(j!, 3)], expected: [f32([], [2, 0]), f32([], [0, 3])] },
  { name: 'oneHot method form', inputs: [i32([0])], run: ([i]) => i!.oneHot(2), expected: f32([1, 0], [1, 2]) },
];
