// conv2d and convTranspose2d (NCHW, OIHW / [Cin, Cout/groups, kH, kW]); padding forms
// 'valid' | 'same' (SAME_UPPER) | n | [h, w] | [t, b, l, r]; stride, dilation, groups.
import * as T from '@tensile/core';
import { goldenCases, type GoldenRun } from '../golden.js';
import { ACCUM, FD } from '../tol.js';
import type { Case } from '../types.js';
import { f32, i32 } from '../util.js';

const convRun: GoldenRun = ([x, w, b], attrs) => T.conv2d(x!, w!, { ...attrs, ...(b ? { bias: b } : {}) });
const convTRun: GoldenRun = ([x, w, b], attrs) => T.convTranspose2d(x!, w!, { ...attrs, ...(b ? { bias: b } : {}) });

const ones = (shape: number[]) => f32(new Array(shape.reduce((a, b) => a * b, 1)).fill(1), shape);

const conv2dHand: Case[] = [
  // every 2x2 window of ones sums 4 ones
  { name: 'conv2d ones 3x3 * ones 2x2', inputs: [ones([1, 1, 3, 3]), ones([1, 1, 2, 2])], run: ([x, w]) => T.conv2d(x!, w!), expected: f32([4, 4, 4, 4], [1, 1, 2, 2]) },
  // padding 1: corners see 2x2 real cells, edges 2x3, the centre 3x3
  { name: 'conv2d ones 3x3 * ones 3x3, padding 1', inputs: [ones([1, 1, 3, 3]), ones([1, 1, 3, 3])], run: ([x, w]) => T.conv2d(x!, w!, { padding: 1 }), expected: f32([4, 6, 4, 6, 9, 6, 4, 6, 4], [1, 1, 3, 3]) },
  // 'same', stride 2, k 2 on 3 wide: out 2, total pad (2-1)*2+2-3 = 1, all at the end (SAME_UPPER)
  // x = [[1,2,3],[4,5,6],[7,8,9]] -> windows (0,0) 1+2+4+5 = 12, (0,2) 3+6 = 9, (2,0) 7+8 = 15, (2,2) 9
  { name: "conv2d 'same' stride 2 puts the extra padding at the end", inputs: [f32([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 3, 3]), ones([1, 1, 2, 2])], run: ([x, w]) => T.conv2d(x!, w!, { padding: 'same', stride: 2 }), expected: f32([12, 9, 15, 9], [1, 1, 2, 2]) },
  // bias is added per output channel
  { name: 'conv2d bias per output channel', inputs: [ones([1, 1, 2, 2]), ones([2, 1, 2, 2]), f32([10, -10])], run: ([x, w, b]) => T.conv2d(x!, w!, { bias: b }), expected: f32([14, -6], [1, 2, 1, 1]) },
  { name: 'conv2d of int32 inputs gives float32', inputs: [i32([1, 1, 1, 1], [1, 1, 2, 2]), i32([1, 2, 3, 4], [1, 1, 2, 2])], run: ([x, w]) => T.conv2d(x!, w!), expected: f32([10], [1, 1, 1, 1]) },
  { name: 'conv2d method form', inputs: [ones([1, 1, 2, 2]), ones([1, 1, 2, 2])], run: ([x, w]) => x!.conv2d(w!), expected: f32([4], [1, 1, 1, 1]) },
  { name: 'conv2d NaN in a window propagates to that output only', inputs: [f32([NaN, 1, 1, 1, 1, 1], [1, 1, 2, 3]), ones([1, 1, 2, 2])], run: ([x, w]) => T.conv2d(x!, w!), expected: f32([NaN, 4], [1, 1, 1, 2]) },
  { name: 'conv2d gradient with bias, stride 2, asymmetric padding', inputs: [f32([0.1, -0.5, 0.9, 0.3, -0.2, 0.7, 0.4, -0.8, 0.6, 0.2, -0.1, 0.5, 0.8, -0.6, 0.3, -0.9], [1, 1, 4, 4]), f32([0.5, -0.3, 0.2, 0.8, -0.4, 0.6, 0.1, -0.7], [2, 1, 2, 2]), f32([0.3, -0.2])], run: ([x, w, b]) => T.conv2d(x!, w!, { bias: b, stride: 2, padding: [0, 1, 1, 0] }), grad: { tol: FD } },
];

const convTHand: Case[] = [
  // stride 2 with a 2x2 kernel of ones tiles each input value into its own 2x2 block
  { name: 'convTranspose2d ones 2x2, kernel ones 2x2, stride 2', inputs: [ones([1, 1, 2, 2]), ones([1, 1, 2, 2])], run: ([x, w]) => T.convTranspose2d(x!, w!, { stride: 2 }), expected: ones([1, 1, 4, 4]) },
  // a single input value 2 scales the kernel [[1,2],[3,4]]
  { name: 'convTranspose2d of one value scales the kernel', inputs: [f32([2], [1, 1, 1, 1]), f32([1, 2, 3, 4], [1, 1, 2, 2])], run: ([x, w]) => T.convTranspose2d(x!, w!), expected: f32([2, 4, 6, 8], [1, 1, 2, 2]) },
  // stride 1: overlapping kernels add; x = [1, 1] in a row, w = [[1,1]] -> [1, 2, 1]
  { name: 'convTranspose2d overlapping windows add', inputs: [f32([1, 1], [1, 1, 1, 2]), f32([1, 1], [1, 1, 1, 2])], run: ([x, w]) => T.convTranspose2d(x!, w!), expected: f32([1, 2, 1], [1, 1, 1, 3]) },
  // w is [Cin, Cout, kH, kW]: Cin 1 -> Cout 2
  { name: 'convTranspose2d of an empty batch', inputs: [f32([], [0, 2, 2, 2]), ones([2, 3, 2, 2])], run: ([x, w]) => T.convTranspose2d(x!, w!, { stride: 2 }), expected: f32([], [0, 3, 4, 4]) },
  { name: 'convTranspose2d weights are [Cin, Cout/groups, kH, kW]', inputs: [f32([3], [1, 1, 1, 1]), f32([1, -1], [1, 2, 1, 1])], run: ([x, w]) => T.convTranspose2d(x!, w!), expected: f32([3, -3], [1, 2, 1, 1]) },
];

export const conv2d: Case[] = [
  ...goldenCases('conv2d', { conv2d: convRun }, { tol: () => ACCUM }),
  ...conv2dHand,
];

export const convTranspose2d: Case[] = [
  ...goldenCases('convTranspose2d', { convTranspose2d: convTRun }, { tol: () => ACCUM }),
  ...convTHand,
];
