// maxPool2d / minPool2d / avgPool2d: kernelSize, stride (default kernelSize), padding ('valid',
// 'same', or explicit up to half the effective kernel), dilation, ceilMode, countIncludePad
// (default true; false with 'same'), returnIndices.
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
  // padding up to half the effective kernel (torch's rule; larger is a ShapeError, see errors.ts):
  // kernel [1, 2] with dilation [1, 3] spans 4 columns, so 2 columns of padding each side are allowed.
  // Over [5, 1, 7, 2, 9] window o taps columns o - 2 and o + 1: {pad, 1} {pad, 7} {5, 2} {1, 9} {7, pad} {2, pad}
  { name: 'maxPool2d padding of half the dilated kernel', inputs: [f32([5, 1, 7, 2, 9], [1, 1, 1, 5])], run: ([x]) => T.maxPool2d(x!, { kernelSize: [1, 2], stride: 1, dilation: [1, 3], padding: [0, 2] }), expected: f32([1, 7, 5, 9, 7, 2], [1, 1, 1, 6]) },
  { name: 'maxPool2d of int32 gives float32', inputs: [i32([1, 5, 3, 2], [1, 1, 2, 2])], run: ([x]) => T.maxPool2d(x!, { kernelSize: 2 }), expected: f32([5], [1, 1, 1, 1]) },
  { name: 'maxPool2d propagates Infinity', inputs: [f32([1, Infinity, -Infinity, 2], [1, 1, 2, 2])], run: ([x]) => [T.maxPool2d(x!, { kernelSize: 2 }), T.minPool2d(x!, { kernelSize: 2 })], expected: [f32([Infinity], [1, 1, 1, 1]), f32([-Infinity], [1, 1, 1, 1])] },
  { name: 'maxPool2d gradient routes to the max', inputs: [f32([0.1, 0.9, -0.3, 0.5, 0.2, 0.7, -0.6, 0.4, 0.8], [1, 1, 3, 3])], run: ([x]) => T.maxPool2d(x!, { kernelSize: 2, stride: 1 }), grad: { tol: FD } },
];

// padding: 'same' (TensorFlow's SAME): out = ceil(in / stride), total padding
// max((out - 1) * stride + effectiveKernel - in, 0), the smaller half before. Padded cells never
// win max/min, and avg divides by the in-bounds cells only (unless countIncludePad: true is given).
//
// 5x5, kernel 3, stride 2: out = ceil(5 / 2) = 3, total = 2 * 2 + 3 - 5 = 2 -> 1 before, 1 after.
// Windows span rows (and columns) {-1..1} {1..3} {3..5}, in bounds {0, 1} {1, 2, 3} {3, 4}.
const X55NEG = f32(Array.from({ length: 25 }, (_, i) => -i - 1), [1, 1, 5, 5]); // x[h][w] = -(5h + w) - 1
const X55POS = f32(Array.from({ length: 25 }, (_, i) => i + 1), [1, 1, 5, 5]); //  x[h][w] = 5h + w + 1
const SAME_3_2 = { kernelSize: 3, stride: 2, padding: 'same' } as const;
// [1, 7] rows, kernel [1, 4], stride [1, 3]: H needs no padding; W: out = ceil(7 / 3) = 3,
// total = 2 * 3 + 4 - 7 = 3 -> 1 before, 2 after. Windows span columns {-1..2} {2..5} {5..8},
// in bounds {0, 1, 2} {2, 3, 4, 5} {5, 6}.
const ROWS = f32([3, 1, 4, 1, 5, 9, 2, -6, -5, -3, -5, -8, -9, -7], [1, 1, 2, 7]);
const SAME_ASYM = { kernelSize: [1, 4], stride: [1, 3], padding: 'same' } as T.Pool2DOptions;

const same: Case[] = [
  // max of each window is its first in-bounds cell (values fall with h and w): rows/cols {0, 1, 3};
  // the all-negative input checks that padding never wins
  { name: "maxPool2d padding 'same' 5x5 kernel 3 stride 2 gives 3x3", inputs: [X55NEG], run: ([x]) => T.maxPool2d(x!, { ...SAME_3_2, returnIndices: true }), expected: [f32([-1, -2, -4, -6, -7, -9, -16, -17, -19], [1, 1, 3, 3]), i32([0, 1, 3, 5, 6, 8, 15, 16, 18], [1, 1, 3, 3])] },
  // min: the first in-bounds cell again (values grow with h and w); all positive, so padding never wins
  { name: "minPool2d padding 'same' 5x5 kernel 3 stride 2 gives 3x3", inputs: [X55POS], run: ([x]) => T.minPool2d(x!, { ...SAME_3_2, returnIndices: true }), expected: [f32([1, 2, 4, 6, 7, 9, 16, 17, 19], [1, 1, 3, 3]), i32([0, 1, 3, 5, 6, 8, 15, 16, 18], [1, 1, 3, 3])] },
  // avg over the in-bounds cells of 5h + w + 1 = 5 mean(h) + mean(w) + 1, with means 0.5, 2, 3.5
  { name: "avgPool2d padding 'same' 5x5 kernel 3 stride 2 averages in-bounds cells", inputs: [X55POS], run: ([x]) => T.avgPool2d(x!, SAME_3_2), expected: f32([4, 5.5, 7, 11.5, 13, 14.5, 19, 20.5, 22], [1, 1, 3, 3]), tol: ACCUM },
  // row 0 [3, 1, 4, 1, 5, 9, 2]: max 4 9 9 at 2 5 5, min 1 1 2 at 1 3 6; row 1 [-6, -5, -3, -5, -8, -9, -7]:
  // max -3 -3 -7 at 9 9 13, min -6 -9 -9 at 7 12 12
  { name: "maxPool2d padding 'same' with more padding after (1 before, 2 after)", inputs: [ROWS], run: ([x]) => T.maxPool2d(x!, { ...SAME_ASYM, returnIndices: true }), expected: [f32([4, 9, 9, -3, -3, -7], [1, 1, 2, 3]), i32([2, 5, 5, 9, 9, 13], [1, 1, 2, 3])] },
  { name: "minPool2d padding 'same' with more padding after (1 before, 2 after)", inputs: [ROWS], run: ([x]) => T.minPool2d(x!, { ...SAME_ASYM, returnIndices: true }), expected: [f32([1, 1, 2, -6, -9, -9], [1, 1, 2, 3]), i32([1, 3, 6, 7, 12, 12], [1, 1, 2, 3])] },
  // sums 8 19 11 and -14 -25 -16 over 3 4 2 in-bounds cells
  { name: "avgPool2d padding 'same' with more padding after divides by the in-bounds cells", inputs: [ROWS], run: ([x]) => T.avgPool2d(x!, SAME_ASYM), expected: f32([8 / 3, 19 / 4, 11 / 2, -14 / 3, -25 / 4, -16 / 2], [1, 1, 2, 3]), tol: ACCUM },
  // countIncludePad: true counts the implicit padding too: every window lies inside [-1, 9), so / 4
  { name: "avgPool2d padding 'same' with countIncludePad: true divides by the whole window", inputs: [ROWS], run: ([x]) => T.avgPool2d(x!, { ...SAME_ASYM, countIncludePad: true }), expected: f32([8 / 4, 19 / 4, 11 / 4, -14 / 4, -25 / 4, -16 / 4], [1, 1, 2, 3]), tol: ACCUM },
  // stride 1, kernel [1, 2], dilation [1, 2]: effective width 3, total 2 -> 1 each side; window o taps
  // columns o - 1 and o + 1 of [5, 1, 7, 2, 9]: {pad, 1} {5, 7} {1, 2} {7, 9} {2, pad}
  { name: "maxPool2d padding 'same' with dilation keeps the size", inputs: [f32([5, 1, 7, 2, 9], [1, 1, 1, 5])], run: ([x]) => T.maxPool2d(x!, { kernelSize: [1, 2], stride: 1, dilation: [1, 2], padding: 'same' }), expected: f32([1, 7, 2, 9, 2], [1, 1, 1, 5]) },
  // 'same' ignores ceilMode (the output is ceil(in / stride) already); unbatched [C, H, W] too
  { name: "maxPool2d padding 'same' with ceilMode, unbatched", inputs: [f32(Array.from({ length: 25 }, (_, i) => -i - 1), [1, 5, 5])], run: ([x]) => T.maxPool2d(x!, { ...SAME_3_2, ceilMode: true }), expected: f32([-1, -2, -4, -6, -7, -9, -16, -17, -19], [1, 3, 3]) },
  { name: "padding 'valid' is no padding", inputs: [X55POS], run: ([x]) => T.maxPool2d(x!, { kernelSize: 3, stride: 2, padding: 'valid' }), expected: f32([13, 15, 23, 25], [1, 1, 2, 2]) },
  // gradients: every window's extreme is unique by >= 1, farther than the finite-difference step
  { name: "maxPool2d padding 'same' gradient", inputs: [X55NEG], run: ([x]) => T.maxPool2d(x!, SAME_3_2), grad: { tol: FD } },
  { name: "minPool2d padding 'same' gradient", inputs: [X55POS], run: ([x]) => T.minPool2d(x!, SAME_3_2), grad: { tol: FD } },
  { name: "avgPool2d padding 'same' gradient", inputs: [X55POS], run: ([x]) => T.avgPool2d(x!, SAME_3_2), grad: { tol: FD } },
  { name: "maxPool2d padding 'same' (1 before, 2 after) gradient", inputs: [ROWS], run: ([x]) => T.maxPool2d(x!, SAME_ASYM), grad: { tol: FD } },
  { name: "minPool2d padding 'same' (1 before, 2 after) gradient", inputs: [ROWS], run: ([x]) => T.minPool2d(x!, SAME_ASYM), grad: { tol: FD } },
  { name: "avgPool2d padding 'same' (1 before, 2 after) gradient", inputs: [ROWS], run: ([x]) => T.avgPool2d(x!, SAME_ASYM), grad: { tol: FD } },
];

export const pool: Case[] = [...golden, ...hand, ...same];
