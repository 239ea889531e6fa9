// softmax / logSoftmax: stable for large magnitudes, NaN rows stay NaN, axis -1 by default.
import * as T from '@tensile/core';
import { goldenCases, opt } from '../golden.js';
import { FD, SOFTMAX } from '../tol.js';
import type { Case, Tol } from '../types.js';
import { f32, i32 } from '../util.js';

const golden = goldenCases('softmax', {
  softmax: ([x], a) => T.softmax(x!, opt(a.axis as number | undefined)),
  logSoftmax: ([x], a) => T.logSoftmax(x!, opt(a.axis as number | undefined)),
}, { tol: () => SOFTMAX });

// softmax([0, 1, 2]) = [1, e, e^2] / (1 + e + e^2) = [0.0900306, 0.2447285, 0.6652410]
const S012 = [0.09003057317038046, 0.24472847105479764, 0.6652409557748219];

// Rows long enough that sum(e^x) overflows float64 although every x lies in [-700, 700]
// (e^700 = 1.01e304; 20000 of them reach 2.0e308 > 1.80e308): only a row-max shift keeps them finite.
const N_CONST = 20000;
const N_MIXED = 30000;
/** Long rows: the reference sums in float64, devices may add 2e4-3e4 float32 terms sequentially. */
const LONG_ROW: Tol = {
  rtol: 1e-4, atol: 0,
  why: 'a 20000-30000 term float32 row sum drifts by ~sqrt(n) ulp when added sequentially (1e-5 relative), 1e-4 leaves room for GPU reduction order',
};
// softmax of n equal values is 1/n; log-softmax is -ln n
const constRow = (n: number, v: number) => f32(new Array<number>(n).fill(v), [n]);
// [700, 699, 700, 699, ...] (n/2 of each): e^700 (n/2)(1 + 1/e) overflows for n = 30000; with
// the shift the row sums to (n/2)(1 + e^-1), so softmax = [e, 1] / ((n/2)(1 + e)) and
// log-softmax = -ln(n/2) - ln(1 + e^-1) - [0, 1] = [-9.9290672, -10.9290672]. The second row
// [-700, -699, ...] is the first minus 1399: each entry moves to the other half, values shift-invariant.
const HALF = N_MIXED / 2;
const P_HI = Math.E / (HALF * (1 + Math.E));
const P_LO = 1 / (HALF * (1 + Math.E));
const L_HI = -Math.log(HALF) - Math.log1p(Math.exp(-1));
const mixed = f32(Array.from({ length: 2 * N_MIXED }, (_, i) => (i < N_MIXED ? (i % 2 === 0 ? 700 : 699) : (i % 2 === 0 ? -700 : -699))), [2, N_MIXED]);
const mixedSoftmax = Array.from({ length: 2 * N_MIXED }, (_, i) => ((i < N_MIXED) === (i % 2 === 0) ? P_HI : P_LO));
const mixedLogSoftmax = Array.from({ length: 2 * N_MIXED }, (_, i) => ((i < N_MIXED) === (i % 2 === 0) ? L_HI : L_HI - 1));

const large: Case[] = [
  { name: `softmax of ${N_CONST} values of 700 is 1/${N_CONST} each (row sum overflows float64 unshifted)`, inputs: [constRow(N_CONST, 700)], run: ([x]) => T.softmax(x!), expected: f32(new Array<number>(N_CONST).fill(1 / N_CONST), [N_CONST]), tol: LONG_ROW },
  { name: `logSoftmax of ${N_CONST} values of 700 is -ln ${N_CONST} = -9.9034876`, inputs: [constRow(N_CONST, 700)], run: ([x]) => T.logSoftmax(x!), expected: f32(new Array<number>(N_CONST).fill(-Math.log(N_CONST)), [N_CONST]), tol: LONG_ROW },
  { name: `softmax of ${N_CONST} values of -700 is 1/${N_CONST} each`, inputs: [constRow(N_CONST, -700)], run: ([x]) => [T.softmax(x!), T.logSoftmax(x!)], expected: [f32(new Array<number>(N_CONST).fill(1 / N_CONST), [N_CONST]), f32(new Array<number>(N_CONST).fill(-Math.log(N_CONST)), [N_CONST])], tol: LONG_ROW },
  { name: `softmax of rows [700, 699, ...] and [-700, -699, ...] of ${N_MIXED}`, inputs: [mixed], run: ([x]) => T.softmax(x!), expected: f32(mixedSoftmax, [2, N_MIXED]), tol: LONG_ROW },
  { name: `logSoftmax of rows [700, 699, ...] and [-700, -699, ...] of ${N_MIXED}`, inputs: [mixed], run: ([x]) => T.logSoftmax(x!), expected: f32(mixedLogSoftmax, [2, N_MIXED]), tol: LONG_ROW },
  // the same column of 20000 values of 700 along axis 0 (strided rows)
  { name: `softmax along axis 0 of [${N_CONST}, 2] filled with 700`, inputs: [f32(new Array<number>(2 * N_CONST).fill(700), [N_CONST, 2])], run: ([x]) => [T.softmax(x!, 0), T.logSoftmax(x!, 0)], expected: [f32(new Array<number>(2 * N_CONST).fill(1 / N_CONST), [N_CONST, 2]), f32(new Array<number>(2 * N_CONST).fill(-Math.log(N_CONST)), [N_CONST, 2])], tol: LONG_ROW },
];

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

export const softmax: Case[] = [...golden, ...hand, ...large];
