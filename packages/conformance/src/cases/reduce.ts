// Reductions (sum, mean, max, min, prod, any, all, variance) and argmax/argmin.
import * as T from '@tensile/core';
import { goldenCases, opt, type GoldenRun } from '../golden.js';
import { ACCUM, EXACT, FD } from '../tol.js';
import type { Case } from '../types.js';
import { bool, f32, i32 } from '../util.js';

const red = (f: (x: T.Tensor, axes?: number | number[], keepDims?: boolean) => T.Tensor): GoldenRun =>
  ([x], a) => f(x!, opt(a.axes as number | number[] | null), a.keepDims as boolean);

const golden = goldenCases('reduce', {
  sum: red(T.sum), mean: red(T.mean), max: red(T.max), min: red(T.min), prod: red(T.prod),
  variance: ([x], a) => T.variance(x!, opt(a.axes as number | number[] | null), a.keepDims as boolean,
    a.correction === undefined ? undefined : { correction: a.correction as number }),
}, {
  tol: (g) => (g.op === 'max' || g.op === 'min' || g.inputs[0]!.dtype === 'int32' && g.op !== 'mean' ? EXACT : ACCUM),
});

const X = f32([1, 2, 3, 4], [2, 2]);

const reduceHand: Case[] = [
  // 1 + 2 + 3 + 4 = 10
  { name: 'sum of everything is rank-0', inputs: [X], run: ([x]) => T.sum(x!), expected: f32([10], []) },
  // rows: 1 + 2 = 3, 3 + 4 = 7
  { name: 'sum axis 1 keepDims', inputs: [X], run: ([x]) => T.sum(x!, 1, true), expected: f32([3, 7], [2, 1]) },
  // columns: 1 + 3 = 4, 2 + 4 = 6
  { name: 'sum negative axis -2', inputs: [X], run: ([x]) => T.sum(x!, -2), expected: f32([4, 6]) },
  { name: 'sum of rank-0 is itself', inputs: [f32([5], [])], run: ([x]) => T.sum(x!), expected: f32([5], []) },
  { name: 'sum of bool counts (int32)', inputs: [bool([1, 0, 1, 1])], run: ([x]) => T.sum(x!), expected: i32([3], []) },
  { name: 'method form x.sum(0)', inputs: [X], run: ([x]) => x!.sum(0), expected: f32([4, 6]) },
  // (1 + 2 + 3 + 4) / 4 = 2.5
  { name: 'mean of everything', inputs: [X], run: ([x]) => T.mean(x!), expected: f32([2.5], []) },
  // empty reductions: sum 0, prod 1, mean NaN (0/0), any false, all true
  { name: 'sum over an empty axis is 0', inputs: [f32([], [0, 3])], run: ([x]) => T.sum(x!, 0), expected: f32([0, 0, 0]) },
  { name: 'prod over an empty axis is 1', inputs: [f32([], [0, 3])], run: ([x]) => T.prod(x!, 0), expected: f32([1, 1, 1]) },
  { name: 'mean over an empty axis is NaN', inputs: [f32([], [0, 3])], run: ([x]) => T.mean(x!, 0), expected: f32([NaN, NaN, NaN]) },
  { name: 'sum of a size-0 tensor is 0', inputs: [f32([], [0])], run: ([x]) => T.sum(x!), expected: f32([0], []) },
  { name: 'reducing the non-empty axis of [0,3] gives [0]', inputs: [f32([], [0, 3])], run: ([x]) => [T.sum(x!, 1), T.max(x!, 1)], expected: [f32([], [0]), f32([], [0])] },
  { name: 'any/all of size-0 are false/true', inputs: [bool([], [0])], run: ([x]) => [T.any(x!), T.all(x!)], expected: [bool([0], []), bool([1], [])] },
  { name: 'any and all along axes', inputs: [bool([1, 0, 0, 0], [2, 2])], run: ([x]) => [T.any(x!, 1), T.all(x!, 0), T.any(x!), T.all(x!)], expected: [bool([1, 0]), bool([0, 0]), bool([1], []), bool([0], [])] },
  { name: 'any reads float32 as bool (NaN is true)', inputs: [f32([0, NaN]), f32([0, -0])], run: ([x, y]) => [T.any(x!), T.any(y!)], expected: [bool([1], []), bool([0], [])] },
  { name: 'max of int32 and of rank-0', inputs: [i32([3, -7, 5]), f32([-2], [])], run: ([x, y]) => [T.max(x!), T.min(y!)], expected: [i32([5], []), f32([-2], [])] },
  { name: 'max and min with infinities', inputs: [f32([-Infinity, 3, Infinity, -2])], run: ([x]) => [T.max(x!), T.min(x!)], expected: [f32([Infinity], []), f32([-Infinity], [])] },
  { name: 'mean keepDims over [0,2] of [2,1,2]', inputs: [f32([1, 2, 3, 5], [2, 1, 2])], run: ([x]) => T.mean(x!, [0, 2], true), expected: f32([2.75], [1, 1, 1]) },
  // variance([1,2,3,4]): mean 2.5, squared deviations 2.25+0.25+0.25+2.25 = 5; /3 = 1.6667 (torch.var), /4 = 1.25
  { name: 'variance uses Bessel correction by default', inputs: [f32([1, 2, 3, 4])], run: ([x]) => T.variance(x!), expected: f32([5 / 3], []), tol: ACCUM },
  { name: 'variance with correction 0', inputs: [f32([1, 2, 3, 4])], run: ([x]) => T.variance(x!, undefined, false, { correction: 0 }), expected: f32([1.25], []), tol: ACCUM },
  { name: 'method form x.variance(1, true)', inputs: [f32([1, 3, 2, 2], [2, 2])], run: ([x]) => x!.variance(1, true), expected: f32([2, 0], [2, 1]), tol: ACCUM },
  { name: 'sum gradient broadcasts back (keepDims false)', inputs: [f32([1, 2, 3, 4, 5, 6], [2, 3])], run: ([x]) => T.sum(x!, 1), grad: { tol: FD } },
  { name: 'mean gradient over everything', inputs: [f32([1, 2, 3, 4, 5, 6], [3, 2])], run: ([x]) => T.mean(x!), grad: { tol: FD } },
  { name: 'prod gradient', inputs: [f32([1.5, -0.5, 2, 0.8, 1.2, -1.1], [2, 3])], run: ([x]) => T.prod(x!, 0), grad: { tol: FD } },
];

const argHand: Case[] = [
  // ties: the first extreme wins
  { name: 'argmax along axis 1 picks the first of ties', inputs: [f32([1, 9, 9, 7, 2, 7], [2, 3])], run: ([x]) => T.argmax(x!, 1), expected: i32([1, 0]) },
  { name: 'argmin along axis 0 picks the first of ties', inputs: [f32([3, 1, 1, 1], [2, 2])], run: ([x]) => T.argmin(x!, 0), expected: i32([1, 0]) },
  { name: 'argmax over the flattened tensor by default', inputs: [f32([1, 5, 5, 2], [2, 2])], run: ([x]) => T.argmax(x!), expected: i32([1], []) },
  { name: 'argmin over the flattened tensor by default', inputs: [f32([4, 0, 3, 0], [2, 2])], run: ([x]) => T.argmin(x!), expected: i32([1], []) },
  { name: 'argmax keepDims along an axis', inputs: [f32([1, 9, 3, 7, 2, 8], [2, 3])], run: ([x]) => T.argmax(x!, 1, true), expected: i32([1, 2], [2, 1]) },
  { name: 'argmax keepDims over everything keeps the rank', inputs: [f32([1, 5, 7, 2], [2, 2])], run: ([x]) => T.argmax(x!, undefined, true), expected: i32([2], [1, 1]) },
  { name: 'argmax negative axis', inputs: [f32([1, 9, 3, 7, 2, 8], [2, 3])], run: ([x]) => T.argmax(x!, -1), expected: i32([1, 2]) },
  { name: 'argmax along axis 0 of [2,3]', inputs: [f32([1, 9, 3, 7, 2, 8], [2, 3])], run: ([x]) => T.argmax(x!, 0), expected: i32([1, 0, 1]) },
  { name: 'argmax along the middle axis of [2,3,2]', inputs: [f32([0, 5, 9, 1, 3, 7, 2, 2, 8, 4, 8, 0], [2, 3, 2])], run: ([x]) => T.argmax(x!, 1), expected: i32([1, 2, 1, 1], [2, 2]) },
  // NaN counts as the extreme (as torch.argmax / argmin)
  { name: 'argmax and argmin treat NaN as the extreme', inputs: [f32([1, NaN, 3, NaN]), f32([1, NaN, 0])], run: ([x, y]) => [T.argmax(x!), T.argmin(y!)], expected: [i32([1], []), i32([1], [])] },
  { name: 'argmax of int32', inputs: [i32([3, 7, 7, -1])], run: ([x]) => T.argmax(x!), expected: i32([1], []) },
  { name: 'argmax of all -Infinity is 0', inputs: [f32([-Infinity, -Infinity])], run: ([x]) => T.argmax(x!), expected: i32([0], []) },
  { name: 'argmax of rank-0 is 0', inputs: [f32([4], [])], run: ([x]) => [T.argmax(x!), T.argmin(x!, 0)], expected: [i32([0], []), i32([0], [])] },
  { name: 'argmax over a non-empty axis of [0,3] gives [0]', inputs: [f32([], [0, 3])], run: ([x]) => T.argmax(x!, 1), expected: i32([], [0]) },
  { name: 'argmax method form', inputs: [f32([1, 3, 2])], run: ([x]) => x!.argmax(0), expected: i32([1], []) },
];

export const reduce: Case[] = [...golden, ...reduceHand];
export const argreduce: Case[] = argHand;
