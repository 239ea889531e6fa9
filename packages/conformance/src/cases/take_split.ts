// takeAlongAxis (torch.gather semantics; Gather and ScatterAdd underneath) and split/unstack
// (Slice underneath): hand values, finite-difference gradients and typed errors.
import * as T from '@tensile/core';
import { EXACT, FD } from '../tol.js';
import type { Case } from '../types.js';
import { f32, i32 } from '../util.js';

const M = f32([1, 2, 3, 4, 5, 6], [2, 3]);
const CUBE = f32([0, 1, 2, 3, 4, 5, 6, 7], [2, 2, 2]);

export const takeAlongAxis: Case[] = [
  // row 0 takes columns 2, 0 -> 3, 1; row 1 takes 1, 1 -> 5, 5
  { name: 'takeAlongAxis along axis 1', inputs: [M, i32([2, 0, 1, 1], [2, 2])], run: ([x, i]) => T.takeAlongAxis(x!, i!, 1), expected: f32([3, 1, 5, 5], [2, 2]) },
  // column j takes row i[j]: rows 1, 0, 1 -> 4, 2, 6
  { name: 'takeAlongAxis along axis 0', inputs: [M, i32([1, 0, 1], [1, 3])], run: ([x, i]) => T.takeAlongAxis(x!, i!, 0), expected: f32([4, 2, 6], [1, 3]) },
  { name: 'takeAlongAxis with negative indices and axis', inputs: [M, i32([-1, -3], [2, 1])], run: ([x, i]) => T.takeAlongAxis(x!, i!, -1), expected: f32([3, 4], [2, 1]) },
  // index 3 on a row of 3 would be the next row's first element if it were not masked
  { name: 'takeAlongAxis gives zeros for out-of-range indices', inputs: [M, i32([3, 0], [2, 1])], run: ([x, i]) => T.takeAlongAxis(x!, i!, 1), expected: f32([0, 4], [2, 1]) },
  // x[0,0,1], x[0,1,0], x[1,0,0], x[1,1,1]
  { name: 'takeAlongAxis on the last axis of a 3-D tensor', inputs: [CUBE, i32([1, 0, 0, 1], [2, 2, 1])], run: ([x, i]) => T.takeAlongAxis(x!, i!, 2), expected: f32([1, 2, 4, 7], [2, 2, 1]) },
  { name: 'takeAlongAxis of int32 values', inputs: [i32([7, 8, 9], [1, 3]), i32([2, 2], [1, 2])], run: ([x, i]) => T.takeAlongAxis(x!, i!, 1), expected: i32([9, 9], [1, 2]) },
  {
    name: 'takeAlongAxis gradient accumulates repeated indices', tol: EXACT,
    inputs: [f32([0.5, -1, 2, 0.25, 1.5, -0.75], [2, 3]), i32([2, 0, 0, 1, 1, 2], [2, 3])],
    run: ([x, i]) => T.takeAlongAxis(x!, i!, 1),
    grad: { tol: FD, wrt: [0] },
  },
  {
    name: 'takeAlongAxis rejects indices of another rank',
    inputs: [M, i32([0, 1])], run: ([x, i]) => T.takeAlongAxis(x!, i!, 1),
    throws: { error: T.ShapeError, includes: ['takeAlongAxis', 'indices', '[2]', '[2,3]'] },
  },
  {
    name: 'takeAlongAxis rejects float indices',
    inputs: [M, f32([0, 1], [1, 2])], run: ([x, i]) => T.takeAlongAxis(x!, i!, 1),
    throws: { error: T.DTypeError, includes: ['takeAlongAxis', 'indices', 'float32'] },
  },
];

export const split: Case[] = [
  { name: 'split into equal chunks, the last smaller', inputs: [f32([0, 1, 2, 3, 4])], run: ([x]) => T.split(x!, 2), expected: [f32([0, 1]), f32([2, 3]), f32([4])] },
  { name: 'split by sections along axis 0', inputs: [f32([1, 2, 3, 4, 5, 6], [3, 2])], run: ([x]) => T.split(x!, [1, 2]), expected: [f32([1, 2], [1, 2]), f32([3, 4, 5, 6], [2, 2])] },
  { name: 'split by sections along axis 1 (with an empty one)', inputs: [M], run: ([x]) => T.split(x!, [2, 0, 1], 1), expected: [f32([1, 2, 4, 5], [2, 2]), f32([], [2, 0]), f32([3, 6], [2, 1])] },
  { name: 'unstack along axis 0', inputs: [M], run: ([x]) => T.unstack(x!), expected: [f32([1, 2, 3]), f32([4, 5, 6])] },
  { name: 'unstack along the last axis', inputs: [M], run: ([x]) => T.unstack(x!, -1), expected: [f32([1, 4]), f32([2, 5]), f32([3, 6])] },
  {
    name: 'unstack gradient', inputs: [f32([0.5, -1, 2, 0.25, 1.5, -0.75, 3, 0.1, -0.2, 0.9, 1.1, -1.3, 0.7, 0.6, -0.4], [5, 3])],
    run: ([x]) => T.unstack(x!), grad: { tol: FD },
  },
  {
    name: 'split gradient (uneven sections along axis 1)', inputs: [f32([0.5, -1, 2, 0.25, 1.5, -0.75, 3, 0.1], [2, 4])],
    run: ([x]) => T.split(x!, [1, 3], 1), grad: { tol: FD },
  },
  {
    name: 'split rejects sections that do not add up',
    inputs: [M], run: ([x]) => T.split(x!, [1, 1], 1),
    throws: { error: T.ShapeError, includes: ['split', '[1,1]', '2', '[2,3]', '3'] },
  },
  {
    name: 'split rejects a chunk size of 0',
    inputs: [M], run: ([x]) => T.split(x!, 0),
    throws: { error: T.ArgumentError, includes: ['split', 'size', '0'] },
  },
  {
    name: 'unstack of 40 steps: every piece, summed, has gradient one everywhere',
    check: async (ctx) => {
      const x = T.tensor(Array.from({ length: 120 }, (_, i) => i / 7), [40, 3]);
      const gs = T.grad((v: T.Tensor) => T.unstack(v).reduce((acc: T.Tensor, t, k) => T.add(acc, T.sum(T.mul(t, k))), T.scalar(0)))(x);
      try {
        // d/dx of sum_k k * sum(x[k]) is k on row k.
        await ctx.expectTensor(gs[0]!, f32(Array.from({ length: 120 }, (_, i) => Math.floor(i / 3)), [40, 3]), EXACT, 'grad');
      } finally {
        T.dispose([x, ...gs]);
      }
    },
  },
];
