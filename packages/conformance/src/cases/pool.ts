// maxPool2d / minPool2d / avgPool2d: kernelSize, stride (default kernelSize), padding,
// dilation, ceilMode, countIncludePad (default true), returnIndices.
import * as T from '@tensile/core';
import { goldenCases, type GoldenRun } from '../golden.js';
import { ACCUM, EXACT, FD } from '../tol.js';
import type { Case } from '../types.js';
import { f32, i32 } from '../util.js';

const poolRun = (f: typeof T.maxPool2d): GoldenRun => ([x], attrs) => f(x!, attrs as T.Pool2DOptions & { returnIndices: true });

const golden = goldenCases('pool', {
  maxPool2d: poolRun(T.maxPool2d),
  minPool2d: poolRun(T.minPool2d),
  avgPool2d: ([x], attrs) => T.avgPool2d(x!, attrs as T.AvgPool2DOptions),
}, { tol: (g) => (g.op === 'avgPool2d' ? ACCUM : EXACT) });

const X22 = f32([1, 2, 3, 4], [1, 1, 2, 2]);
const X33 = f32([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 3, 3]);

const hand: Case[] = [
  { name: 'maxPool2d 2x2', inputs: [X22], run: ([x]) => T.maxPool2d(x!, { kernelSize: 2 }), expected: f32([4], [1, 1, 1, 1]) },
  { name: 'minPool2d 2x2', inputs: [X22], run: ([x]) => T.minPool2d(x!, { kernelSize: 2 }), expected: f32([1], [1, 1, 1, 1]) },
  // (1 + 2 + 3 + 4) / 4
  { name: 'avgPool2d 2x2', inputs: [X22], run: ([x]) => T.avgPool2d(x!, { kernelSize: 2 }), expected: f32([2.5], [1, 1, 1, 1]) },
  // windows of 2 at stride 1 over [[1,2,3],[4,5,6],[7,8,9]]; indices are h * W + w in the plane
  { name: 'maxPool2d returnIndices', inputs: [X33], run: ([x]) => T.maxPool2d(x!, { kernelSize: 2, stride: 1, returnIndices: true }), expected: [f32([5, 6, 8, 9], [1, 1, 2, 2]), i32([4, 5, 7, 8], [1, 1, 2, 2])] },
  { name: 'minPool2d returnIndices', inputs: [X33], run: ([x]) => T.minPool2d(x!, { kernelSize: 2, stride: 1, returnIndices: true }), expected: [f32([1, 2, 4, 5], [1, 1, 2, 2]), i32([0, 1, 3, 4], [1, 1, 2, 2])] },
  // padding 1, stride 2 over [[1,2],[3,4]]: each window holds one real cell and three pads;
  // countIncludePad divides by 4 (default), otherwise by the 1 real cell
  { name: 'avgPool2d padding counts the pad by default', inputs: [X22], run: ([x]) => T.avgPool2d(x!, { kernelSize: 2, stride: 2, padding: 1 }), expected: f32([0.25, 0.5, 0.75, 1], [1, 1, 2, 2]), tol: ACCUM },
  { name: 'avgPool2d countIncludePad false', inputs: [X22], run: ([x]) => T.avgPool2d(x!, { kernelSize: 2, stride: 2, padding: 1, countIncludePad: false }), expected: f32([1, 2, 3, 4], [1, 1, 2, 2]), tol: ACCUM },
  // stride defaults to kernelSize: 4x4 -> 2x2
  { name: 'pool stride defaults to kernelSize', inputs: [f32([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], [1, 1, 4, 4])], run: ([x]) => T.maxPool2d(x!, { kernelSize: 2 }), expected: f32([6, 8, 14, 16], [1, 1, 2, 2]) },
  // padding may exceed half the window (unlike torch): windows wholly in the padding average
  // to 0; the four windows that hold the single cell 5 give 5 / 4
  { name: 'avgPool2d with padding larger than half the window', inputs: [f32([5], [1, 1, 1, 1])], run: ([x]) => T.avgPool2d(x!, { kernelSize: 2, stride: 1, padding: 2 }), expected: f32([0, 0, 0, 0, 0, 1.25, 1.25, 0, 0, 1.25, 1.25, 0, 0, 0, 0, 0], [1, 1, 4, 4]) },
  { name: 'maxPool2d with padding larger than half the window (every window holds a cell)', inputs: [f32([1, 2, 3, 4], [1, 1, 2, 2])], run: ([x]) => T.maxPool2d(x!, { kernelSize: 3, stride: 1, padding: 2 }), expected: f32([1, 2, 2, 2, 3, 4, 4, 4, 3, 4, 4, 4, 3, 4, 4, 4], [1, 1, 4, 4]) },
  { name: 'maxPool2d of int32 gives float32', inputs: [i32([1, 5, 3, 2], [1, 1, 2, 2])], run: ([x]) => T.maxPool2d(x!, { kernelSize: 2 }), expected: f32([5], [1, 1, 1, 1]) },
  { name: 'maxPool2d propagates Infinity', inputs: [f32([1, Infinity, -Infinity, 2], [1, 1, 2, 2])], run: ([x]) => [T.maxPool2d(x!, { kernelSize: 2 }), T.minPool2d(x!, { kernelSize: 2 })], expected: [f32([Infinity], [1, 1, 1, 1]), f32([-Infinity], [1, 1, 1, 1])] },
  { name: 'maxPool2d gradient routes to the max', inputs: [f32([0.1, 0.9, -0.3, 0.5, 0.2, 0.7, -0.6, 0.4, 0.8], [1, 1, 3, 3])], run: ([x]) => T.maxPool2d(x!, { kernelSize: 2, stride: 1 }), grad: { tol: FD } },
];

export const pool: Case[] = [...golden, ...hand];
