// softmax / logSoftmax: stable for large magnitudes, NaN rows stay NaN, axis -1 by default.
import * as T from '@tensile/core';
import { goldenCases, opt } from '../golden.js';
import { FD, SOFTMAX } from '../tol.js';
import type { Case } from '../types.js';
import { f32, i32 } from '../util.js';

const golden = goldenCases('softmax', {
  softmax: ([x], a) => T.softmax(x!, opt(a.axis as number | undefined)),
  logSoftmax: ([x], a) => T.logSoftmax(x!, opt(a.axis as number | undefined)),
}, { tol: () => SOFTMAX });

// softmax([0, 1, 2]) = [1, e, e^2] / (1 + e + e^2) = [0.0900306, 0.2447285, 0.6652410]
const S012 = [0.09003057317038046, 0.24472847105479764, 0.6652409557748219];

const hand: Case[] = [
  { name: 'softmax of equal logits is uniform', inputs: [f32([0, 0])], run: ([x]) => T.softmax(x!), expected: f32([0.5, 0.5]), tol: SOFTMAX },
  // [0, ln 3] -> [1, 3] / 4
  { name: 'softmax [0, ln 3] = [1/4, 3/4]', inputs: [f32([0, Math.log(3)])], run: ([x]) => T.softmax(x!), expected: f32([0.25, 0.75]), tol: SOFTMAX },
  { name: 'softmax [1000, 1001, 1002] equals softmax [0, 1, 2]', inputs: [f32([1000, 1001, 1002])], run: ([x]) => T.softmax(x!), expected: f32(S012), tol: SOFTMAX },
  { name: 'softmax [-1002, -1001, -1000] equals softmax [0, 1, 2]', inputs: [f32([-1002, -1001, -1000])], run: ([x]) => T.softmax(x!), expected: f32(S012), tol: SOFTMAX },
  // log(1/2) = -ln 2 = -0.6931472
  { name: 'logSoftmax [1000, 1000] = [-ln 2, -ln 2]', inputs: [f32([1000, 1000])], run: ([x]) => T.logSoftmax(x!), expected: f32([-Math.LN2, -Math.LN2]), tol: SOFTMAX },
  // log softmax of [0, -1000]: [-log(1 + e^-1000), -1000 - log(1 + e^-1000)] = [0, -1000] (no underflow to -Inf)
  { name: 'logSoftmax does not underflow', inputs: [f32([0, -1000])], run: ([x]) => T.logSoftmax(x!), expected: f32([0, -1000]), tol: SOFTMAX },
  { name: 'softmax of rank-0 is 1, logSoftmax 0', inputs: [f32([7], [])], run: ([x]) => [T.softmax(x!), T.logSoftmax(x!)], expected: [f32([1], []), f32([0], [])], tol: SOFTMAX },
  { name: 'softmax size-0 [0,3] and [2,0]', inputs: [f32([], [0, 3]), f32([], [2, 0])], run: ([x, y]) => [T.softmax(x!), T.logSoftmax(y!)], expected: [f32([], [0, 3]), f32([], [2, 0])] },
  { name: 'softmax of int32 gives float32', inputs: [i32([0, 0])], run: ([x]) => T.softmax(x!), expected: f32([0.5, 0.5]), tol: SOFTMAX },
  { name: 'softmax rows with NaN are NaN, other rows unaffected', inputs: [f32([NaN, 0, 0, 0, 0, 0], [2, 3])], run: ([x]) => T.softmax(x!), expected: f32([NaN, NaN, NaN, 1 / 3, 1 / 3, 1 / 3], [2, 3]), tol: SOFTMAX },
  { name: 'softmax along axis 0 sums columns to 1', inputs: [f32([0, 0, Math.log(3), 0], [2, 2])], run: ([x]) => T.softmax(x!, 0), expected: f32([0.25, 0.5, 0.75, 0.5], [2, 2]), tol: SOFTMAX },
  { name: 'softmax method form', inputs: [f32([0, 0])], run: ([x]) => x!.softmax(), expected: f32([0.5, 0.5]), tol: SOFTMAX },
  { name: 'softmax gradient of large magnitudes', inputs: [f32([1000, 1001, 1002, -1000, -1001, -1002], [2, 3])], run: ([x]) => T.softmax(x!), grad: { tol: FD } },
  { name: 'logSoftmax gradient of large magnitudes', inputs: [f32([1000, 1001, 1002, -1000, -1001, -1002], [2, 3])], run: ([x]) => T.logSoftmax(x!), grad: { tol: FD } },
];

export const softmax: Case[] = [...golden, ...hand];
