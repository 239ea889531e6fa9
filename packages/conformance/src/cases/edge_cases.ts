// Edge cases: corner cases of dtype promotion, reductions, broadcasting gradients,
// geometry combinations of conv/pool, autograd and memory, each with its expected value
// derived by hand (arithmetic beside the case) or from PyTorch (fixtures/gen.py, families
// review_conv / review_pool / review_misc).
import * as T from '@tensile/core';
import { DTypeError, ShapeError, TensileError } from '@tensile/core';
import { expect } from 'vitest';
import { goldenCases, opt, type GoldenRun } from '../golden.js';
import { ACCUM, ARITH, ERF_EDGE, EXACT, FD, GRAD, SOFTMAX, TRANS } from '../tol.js';
import type { Case, Tol } from '../types.js';
import { bool, f32, i32 } from '../util.js';

// 144-term float32 dot products (16 channels x 3 x 3) through Winograd's transforms.
const WIDE: Tol = {
  rtol: 1e-4, atol: 1e-4,
  why: '16 channels x 9 taps = 144 float32 products per output (and Winograd transforms): n * 2^-24 * sum|terms| ~ 1e-4',
};

const convRuns: Record<string, GoldenRun> = {
  conv2d: ([x, w, b], a) => T.conv2d(x!, w!, { ...a, ...(b ? { bias: b } : {}) }),
  convTranspose2d: ([x, w, b], a) => T.convTranspose2d(x!, w!, { ...a, ...(b ? { bias: b } : {}) }),
};
const wide = (name: string) => name.includes('winograd');

const goldenConv = goldenCases('review_conv', convRuns, {
  tol: (g) => (wide(g.name) ? WIDE : ACCUM),
  gradTol: (g) => (wide(g.name) ? WIDE : GRAD),
});

const goldenPool = goldenCases('review_pool', {
  maxPool2d: ([x], a) => T.maxPool2d(x!, a as T.Pool2DOptions & { returnIndices: true }),
  minPool2d: ([x], a) => T.minPool2d(x!, a as T.Pool2DOptions & { returnIndices: true }),
  avgPool2d: ([x], a) => T.avgPool2d(x!, a as T.AvgPool2DOptions),
}, { tol: (g) => (g.op === 'avgPool2d' ? ACCUM : EXACT) });

const goldenMisc = goldenCases('review_misc', {
  maximum: ([a, b]) => T.maximum(a!, b!),
  minimum: ([a, b]) => T.minimum(a!, b!),
  clip: ([x], a) => T.clip(x!, a.min as number, a.max as number),
  pow: ([a, b]) => T.pow(a!, b!),
  powScalar: ([a], at) => T.pow(a!, at.b as number),
  leakyRelu: ([x], a) => T.leakyRelu(x!, a.alpha as number),
  elu: ([x], a) => T.elu(x!, a.alpha as number),
  gelu: ([x], a) => (a.approximate ? T.gelu(x!, { approximate: a.approximate }) : T.gelu(x!)),
  softmax: ([x], a) => T.softmax(x!, a.axis as number),
  logSoftmax: ([x], a) => T.logSoftmax(x!, a.axis as number),
  variance: ([x], a) => T.variance(x!, opt(a.axes as number[] | null), a.keepDims as boolean, { correction: a.correction as number }),
  sum: ([x], a) => T.sum(x!, a.axes as number[], a.keepDims as boolean),
  mean: ([x], a) => T.mean(x!, a.axes as number[], a.keepDims as boolean),
  max: ([x], a) => T.max(x!, a.axes as number[], a.keepDims as boolean),
  prod: ([x], a) => T.prod(x!, a.axes as number[], a.keepDims as boolean),
  gather: ([x, i], a) => T.gather(x!, i!, a.axis as number),
  tile: ([x], a) => T.tile(x!, a.reps as number[]),
  slice: ([x], a) => T.slice(x!, a.begin as (number | null)[], a.end as (number | null)[], a.step as number[]),
  pad: ([x], a) => T.pad(x!, a.pads as [number, number][], a.value as number),
  mod: ([a, b]) => T.mod(a!, b!),
  floorDiv: ([a, b]) => T.floorDiv(a!, b!),
  round: ([x]) => T.round(x!),
  erf: ([x]) => T.erf(x!),
}, {
  tol: (g) => {
    if (['maximum', 'minimum', 'clip', 'gather', 'tile', 'slice', 'pad', 'floorDiv', 'round', 'max'].includes(g.op)) return EXACT;
    if (['softmax', 'logSoftmax'].includes(g.op)) return SOFTMAX;
    if (['variance', 'sum', 'mean', 'prod'].includes(g.op)) return ACCUM;
    if (g.op === 'erf') return ERF_EDGE;
    if (g.op === 'mod') return { rtol: 1e-6, atol: 1e-6, why: 'a - floor(a/b) * b rounds twice in float32' };
    return TRANS;
  },
  fd: () => ({ tol: FD, eps: 1e-3 }),
});

/** A variable initialised from values, without leaving the initial tensor alive. */
function newVariable(values: number[]): T.Variable {
  const t = T.tensor(values);
  try {
    return T.variable(t);
  } finally {
    t.dispose();
  }
}

const hand: Case[] = [
  // ---- dtype promotion -----------------------------------------------------------------
  // int32 meets fractional JS numbers: float32 (torch: int tensor op python float -> default float)
  { name: 'int32 mul/sub/maximum/pow with fractional JS numbers give float32', inputs: [i32([3, -4])], run: ([a]) => [T.mul(a!, 0.5), T.sub(a!, 0.25), T.maximum(a!, -3.5), T.pow(a!, 0.5)], expected: [f32([1.5, -2]), f32([2.75, -4.25]), f32([3, -3.5]), f32([Math.sqrt(3), NaN])], tol: ARITH },
  // floorDiv(int32, 2.5): float32, 3 // 2.5 = 1, -4 // 2.5 = floor(-1.6) = -2; mod: 3 - 2.5 = 0.5, -4 + 5 = 1
  { name: 'int32 floorDiv/mod by a fractional JS number give float32', inputs: [i32([3, -4])], run: ([a]) => [T.floorDiv(a!, 2.5), T.mod(a!, 2.5)], expected: [f32([1, -2]), f32([0.5, 1])] },
  // bool + integer JS number: int32 (torch: int64), bool * 2.5: float32, bool + true: bool (or)
  { name: 'bool with JS numbers: integer -> int32, fractional -> float32, boolean -> bool', inputs: [bool([1, 0])], run: ([a]) => [T.add(a!, 3), T.mul(a!, 2.5), T.add(a!, true), T.sub(a!, 1)], expected: [i32([4, 3]), f32([2.5, 0]), bool([1, 1]), i32([0, -1])] },
  // a JS number on the left meets a bool tensor: 2 - [true, false] = [1, 2] (int32)
  { name: 'JS integer minus bool tensor gives int32', inputs: [bool([1, 0])], run: ([a]) => T.sub(2, a!), expected: i32([1, 2]) },
  { name: 'sub of a bool tensor and true throws DTypeError (as torch)', inputs: [bool([1, 0])], run: ([a]) => T.sub(a!, true), throws: { error: DTypeError, includes: ['sub', 'bool'] } },
  // uint8 negative JS integer: promoted (Tensile computes small ints in int32): 200 + -1 = 199
  { name: 'uint8 + int8 promote to int32 (torch: int16)', inputs: [{ values: [200, 1], shape: [2], dtype: 'uint8' }, { values: [-100, -1], shape: [2], dtype: 'int8' }], run: ([a, b]) => T.add(a!, b!), expected: i32([100, 0]) },
  { name: 'int8 tensor with fractional JS number gives float32', inputs: [{ values: [-3, 5], shape: [2], dtype: 'int8' }], run: ([a]) => T.mul(a!, 0.5), expected: f32([-1.5, 2.5]) },
  // div is true division for bool operands too: [1,0] / [1,1] = [1, 0] float32
  { name: 'div of two bools is float32', inputs: [bool([1, 0]), bool([1, 1])], run: ([a, b]) => T.div(a!, b!), expected: f32([1, 0]) },
  // where(cond, int32, fractional JS number) -> float32; where(cond, bool, 2) -> int32
  { name: 'where promotes int32 with a fractional JS number and bool with an integer', inputs: [bool([1, 0]), i32([4, 5]), bool([1, 1])], run: ([c, a, b]) => [T.where(c!, a!, 0.5), T.where(c!, b!, 2)], expected: [f32([4, 0.5]), i32([1, 2])] },
  // torch: concat promotes to the widest: bool + int32 -> int32, int32 + bool + float32 -> float32
  { name: 'concat of bool and int32 gives int32; with float32, float32', inputs: [bool([1, 0]), i32([7]), f32([0.5])], run: ([a, b, c]) => [T.concat([a!, b!]), T.concat([b!, a!, c!])], expected: [i32([1, 0, 7]), f32([7, 1, 0, 0.5])] },
  // torch.neg / abs / relu of a bool tensor raise; Tensile must throw a typed error
  { name: 'neg of a bool tensor throws (torch: "Negation ... on a bool tensor is not supported")', inputs: [bool([1, 0])], run: ([a]) => T.neg(a!), throws: { error: TensileError, includes: ['neg', 'bool'] } },
  { name: 'abs of a bool tensor throws (torch: abs has no Bool kernel)', inputs: [bool([1, 0])], run: ([a]) => T.abs(a!), throws: { error: TensileError, includes: ['abs', 'bool'] } },
  { name: 'relu of a bool tensor throws (torch: Boolean inputs not supported for relu)', inputs: [bool([1, 0])], run: ([a]) => T.relu(a!), throws: { error: TensileError, includes: ['relu', 'bool'] } },
  // torch.square(bool) = pow(bool, 2) promotes with the integer 2: an integer tensor [1, 0]
  { name: 'square of a bool tensor is an integer tensor (as torch.square)', inputs: [bool([1, 0])], run: ([a]) => T.square(a!), expected: i32([1, 0]) },
  // One rule for scalar and tensor exponents (a tensor's sign cannot be checked without a
  // device read): the truncated integer 1 / a^n, so 2^-1 = 0, 1^-5 = 1, (-1)^-1 = -1, (-1)^-2 = 1
  { name: 'pow of int32 by a negative JS integer is the truncated reciprocal', inputs: [i32([2, 1, -1, 3])], run: ([a]) => [T.pow(a!, -1), T.pow(a!, -2)], expected: [i32([0, 1, -1, 0]), i32([0, 1, 1, 0])] },
  { name: 'pow of int32 by a negative int32 tensor gives the same as by the JS integer', inputs: [i32([2, 1, -1, 3]), i32([-1, -1, -1, -1]), i32([-2, -2, -2, -2])], run: ([a, m1, m2]) => [T.pow(a!, m1!), T.pow(a!, m2!)], expected: [i32([0, 1, -1, 0]), i32([0, 1, 1, 0])] },
  // int32 pow by a non-negative integer stays exact: (-3)^3 = -27, 2^10 = 1024
  { name: 'pow int32 by a JS integer stays int32 and exact', inputs: [i32([-3, 2, 0])], run: ([a]) => [T.pow(a!, 3), T.pow(a!, 10)], expected: [i32([-27, 8, 0]), i32([59049, 1024, 0])] },

  // ---- cast ----------------------------------------------------------------------------
  // in-range extremes convert exactly: 2147483520 is the largest float32 below 2^31
  { name: 'cast float32 -> int32 at the in-range extremes', inputs: [f32([2147483520, -2147483648, -2147483520, 16777217])], run: ([x]) => T.cast(x!, 'int32'), expected: i32([2147483520, -2147483648, -2147483520, 16777216]) },
  // to bool: != 0, so NaN, +-Inf and denormals are true, -0 false
  { name: 'cast NaN, infinities and a denormal to bool', inputs: [f32([NaN, Infinity, -Infinity, 1e-45, -0])], run: ([x]) => T.cast(x!, 'bool'), expected: bool([1, 1, 1, 1, 0]) },
  // torch float -> uint8 / int8 wrap modulo 256 for these: 300 -> 44, -1 -> 255; 200 -> -56
  { name: 'cast float32 -> uint8 / int8 wraps (as torch)', inputs: [f32([300, -1, 255.9]), f32([200, -1.9, 127])], run: ([x, y]) => [T.cast(x!, 'uint8'), T.cast(y!, 'int8')], expected: [{ values: [44, 255, 255], shape: [3], dtype: 'uint8' }, { values: [-56, -1, 127], shape: [3], dtype: 'int8' }] },
  { name: 'cast bool -> int8 and uint8 is 0/1', inputs: [bool([1, 0])], run: ([x]) => [T.cast(x!, 'int8'), T.cast(x!, 'uint8')], expected: [{ values: [1, 0], shape: [2], dtype: 'int8' }, { values: [1, 0], shape: [2], dtype: 'uint8' }] },
  // gradient of cast float32 -> int32 -> float32 does not flow (torch: integer tensors end the graph)
  { name: 'gradient does not flow through a cast to int32', inputs: [f32([1.5, -2.5])], run: ([x]) => T.add(T.cast(T.cast(x!, 'int32'), 'float32'), T.mul(x!, 2)), composite: true, expected: f32([4, -7]), goldenGrad: { weights: [f32([1, 1])], grads: [f32([2, 2])], tol: EXACT } },

  // ---- reductions ----------------------------------------------------------------------
  // torch: "dim 0 appears multiple times in the list of dims"
  { name: 'sum with duplicate axes [0,-2] throws ShapeError', inputs: [f32([1, 2, 3, 4], [2, 2])], run: ([x]) => T.sum(x!, [0, -2]), throws: { error: ShapeError, includes: ['sum', 'repeated'] } },
  { name: 'variance with duplicate axes throws ShapeError', inputs: [f32([1, 2, 3, 4], [2, 2])], run: ([x]) => T.variance(x!, [1, -1]), throws: { error: ShapeError, includes: ['variance'] } },
  { name: 'max over axis 2 of a rank-2 tensor throws ShapeError', inputs: [f32([1, 2, 3, 4], [2, 2])], run: ([x]) => T.max(x!, 2), throws: { error: ShapeError, includes: ['max', '2'] } },
  // argmax keepDims along a negative axis: [2,3,2] -> [2,1,2]
  // x[0] = [[0,5],[9,1],[3,7]] -> argmax over rows: [1, 2]; x[1] = [[2,2],[8,4],[8,0]] -> [1, 1]
  { name: 'argmax keepDims along axis -2 of [2,3,2]', inputs: [f32([0, 5, 9, 1, 3, 7, 2, 2, 8, 4, 8, 0], [2, 3, 2])], run: ([x]) => T.argmax(x!, -2, true), expected: i32([1, 2, 1, 1], [2, 1, 2]) },
  { name: 'argmin keepDims over everything of [2,1,2]', inputs: [f32([3, 1, -4, 2], [2, 1, 2])], run: ([x]) => T.argmin(x!, undefined, true), expected: i32([2], [1, 1, 1]) },
  // sum over [] of axes is the identity (torch.sum(x, dim=[]) sums everything; Tensile: axes [] reduce nothing)
  // keepDims on every axis: [2,2] -> [1,1]; sum 10
  { name: 'sum keepDims over all axes gives [1,1]', inputs: [f32([1, 2, 3, 4], [2, 2])], run: ([x]) => T.sum(x!, [1, 0], true), expected: f32([10], [1, 1]) },
  // bool sum over an axis with keepDims counts: [[1,0,1],[1,1,1]] -> [[2],[3]]
  { name: 'sum of bool over axis -1 keepDims counts (int32)', inputs: [bool([1, 0, 1, 1, 1, 1], [2, 3])], run: ([x]) => T.sum(x!, -1, true), expected: i32([2, 3], [2, 1]) },
  // variance over [0,1] of [[1,2],[3,6]] correction 0: mean 3, squares 4+1+0+9 = 14, /4 = 3.5
  { name: 'variance correction 0 over two axes keepDims', inputs: [f32([1, 2, 3, 6], [2, 2])], run: ([x]) => T.variance(x!, [0, 1], true, { correction: 0 }), expected: f32([3.5], [1, 1]), tol: ACCUM },
  // mean of int32 over an axis with keepDims: [[1,2],[4,4]] -> [[1.5],[4]]
  { name: 'mean of int32 keepDims gives float32', inputs: [i32([1, 2, 4, 4], [2, 2])], run: ([x]) => T.mean(x!, 1, true), expected: f32([1.5, 4], [2, 1]) },
  // max gradient with ties across two axes: [[1,3],[3,0]] max 3 twice -> 1/2 each
  { name: 'max over all axes shares the gradient between ties', inputs: [f32([1, 3, 3, 0], [2, 2])], run: ([x]) => T.max(x!), goldenGrad: { weights: [f32([1], [])], grads: [f32([0, 0.5, 0.5, 0], [2, 2])], tol: EXACT } },

  // ---- broadcasting gradients ----------------------------------------------------------
  // d/da sum((a*b)*W) with a [1,3,1], b [2,1,4]: un-broadcast over axes 0 and 2
  { name: 'mul gradient [1,3,1] * [2,1,4]', inputs: [f32([0.5, -1, 2], [1, 3, 1]), f32([0.3, -0.7, 1.1, 0.2, -0.4, 0.9, 0.6, -1.3], [2, 1, 4])], run: ([a, b]) => T.mul(a!, b!), grad: { tol: FD } },
  // add(a rank-0, b [2,3]) with W = ones: d/da = 6, d/db = ones
  { name: 'add gradient of a rank-0 operand sums everything', inputs: [f32([2], []), f32([1, 2, 3, 4, 5, 6], [2, 3])], run: ([a, b]) => T.add(a!, b!), goldenGrad: { weights: [f32([1, 1, 1, 1, 1, 1], [2, 3])], grads: [f32([6], []), f32([1, 1, 1, 1, 1, 1], [2, 3])], tol: EXACT } },
  // div(a [2,1], b [1]) with W = [[1,2],[3,4]]? no: out [2,1]; W [[1],[2]]: d/da = W / b = [0.5, 1], d/db = -sum(W a / b^2) = -(1*1 + 2*3)/4 = -1.75
  { name: 'div gradient with a size-1 divisor', inputs: [f32([1, 3], [2, 1]), f32([2])], run: ([a, b]) => T.div(a!, b!), goldenGrad: { weights: [f32([1, 2], [2, 1])], grads: [f32([0.5, 1], [2, 1]), f32([-1.75])], tol: ARITH } },
  // where(cond [2,3], a rank-0, b [3]) with W = [[1,2,3],[4,5,6]], cond [[1,0,1],[0,0,1]]
  // d/da = 1 + 3 + 6 = 10; d/db = [0 + 4, 2 + 5, 0 + 0] = [4, 7, 0]
  { name: 'where gradient with a rank-0 a and a broadcast b', inputs: [bool([1, 0, 1, 0, 0, 1], [2, 3]), f32([5], []), f32([1, 2, 3])], run: ([c, a, b]) => T.where(c!, a!, b!), goldenGrad: { weights: [f32([1, 2, 3, 4, 5, 6], [2, 3])], grads: [null, f32([10], []), f32([4, 7, 0])], tol: EXACT } },
  // maximum with every element tied: both operands get half
  { name: 'maximum of a tensor with itself gives the full gradient', inputs: [f32([1, -2, 3])], run: ([a]) => T.maximum(a!, a!), goldenGrad: { weights: [f32([1, 2, 3])], grads: [f32([1, 2, 3])], tol: EXACT } },
  // sub(JS number, x) * W: d/dx = -W
  { name: 'sub from a JS number: gradient is -W', inputs: [f32([1, 2])], run: ([x]) => T.sub(3, x!), goldenGrad: { weights: [f32([0.5, -2])], grads: [f32([-0.5, 2])], tol: EXACT } },
  // relu at 0: gradient 0; leakyRelu at 0: alpha (torch: x > 0 ? g : g * alpha); elu at 0: alpha * e^0 = alpha
  // torch's relu backward is threshold_backward, where(x <= 0, 0, dy): 0 there even for a NaN or Inf dy
  { name: 'relu gradient is 0 where x <= 0 even for a NaN or Inf cotangent', inputs: [f32([-1, 0, 2, 3])], run: ([x]) => T.relu(x!), goldenGrad: { weights: [f32([NaN, Infinity, 3, NaN])], grads: [f32([0, 0, 3, NaN])], tol: ARITH } },
  { name: 'relu, leakyRelu, elu gradients at exactly 0', inputs: [f32([0, -2])], run: ([x]) => [T.relu(x!), T.leakyRelu(x!, 0.3), T.elu(x!, 0.5)], goldenGrad: { weights: [f32([1, 1]), f32([1, 1]), f32([1, 1])], grads: [f32([0 + 0.3 + 0.5, 0 + 0.3 + 0.5 * Math.exp(-2)])], tol: ARITH } },

  // ---- slice / gather / tile / pad / concat ------------------------------------------
  // arange(10)[-8:-1:3] = [2, 5, 8]
  { name: 'slice with negative begin and end and step 3', inputs: [f32([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])], run: ([x]) => T.slice(x!, -8, -1, 3), expected: f32([2, 5, 8]) },
  // [-100:100:4] = [0, 4, 8]; [9:-100] = []
  { name: 'slice with out-of-range bounds and a step clamps', inputs: [f32([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])], run: ([x]) => [T.slice(x!, -100, 100, 4), T.slice(x!, 9, -100, 2)], expected: [f32([0, 4, 8]), f32([], [0])] },
  // gradient of x[1:, ::2] of [3,3]: W lands at (1,0),(1,2),(2,0),(2,2)
  { name: 'slice gradient with a step places W back', inputs: [f32([1, 2, 3, 4, 5, 6, 7, 8, 9], [3, 3])], run: ([x]) => T.slice(x!, [1, null], [null, null], [1, 2]), goldenGrad: { weights: [f32([1, 2, 3, 4], [2, 2])], grads: [f32([0, 0, 0, 1, 0, 2, 3, 0, 4], [3, 3])], tol: EXACT } },
  // gradient of an empty strided slice is all zeros
  { name: 'slice gradient of an empty strided slice is zeros', inputs: [f32([1, 2, 3, 4], [2, 2])], run: ([x]) => T.slice(x!, [0, 1], [2, 1], [1, 2]), expected: f32([], [2, 0]), goldenGrad: { weights: [f32([], [2, 0])], grads: [f32([0, 0, 0, 0], [2, 2])], tol: EXACT } },
  // gather(x [2,3], [[2,-1],[0,5]], axis -1): out [2,2,2]; 5 is out of range -> 0
  // row 0 = [1,2,3] -> [[3,3],[1,0]]; row 1 = [4,5,6] -> [[6,6],[4,0]]
  { name: 'gather 2-D indices with negative, repeated and out-of-range entries along axis -1', inputs: [f32([1, 2, 3, 4, 5, 6], [2, 3]), i32([2, -1, 0, 5], [2, 2])], run: ([x, i]) => T.gather(x!, i!, -1), expected: f32([3, 3, 1, 0, 6, 6, 4, 0], [2, 2, 2]), goldenGrad: { weights: [f32([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2])], grads: [f32([3, 0, 3, 7, 0, 11], [2, 3]), null], tol: EXACT } },
  // tile([a, b], [2, 2, 1]): shape [2,2,2]; gradient sums the 4 copies: W = 1..8 -> [1+3+5+7, 2+4+6+8]
  { name: 'tile gradient with reps longer than rank', inputs: [f32([0.5, -1])], run: ([x]) => T.tile(x!, [2, 2, 1]), expected: f32([0.5, -1, 0.5, -1, 0.5, -1, 0.5, -1], [2, 2, 2]), goldenGrad: { weights: [f32([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2])], grads: [f32([16, 20])], tol: EXACT } },
  // pad gradient is the interior of W: pad [[1,1]] of [a,b], W = [1,2,3,4] -> [2,3]
  { name: 'pad gradient is the interior of W', inputs: [f32([5, 6])], run: ([x]) => T.pad(x!, [[1, 1]], 7), goldenGrad: { weights: [f32([1, 2, 3, 4])], grads: [f32([2, 3])], tol: EXACT } },
  // concat([x, int32]) : the float part gets its slice of W, int32 none
  { name: 'concat gradient with a mixed-dtype partner', inputs: [f32([1, 2]), i32([3])], run: ([a, b]) => T.concat([a!, b!]), expected: f32([1, 2, 3]), goldenGrad: { weights: [f32([4, 5, 6])], grads: [f32([4, 5]), null], tol: EXACT } },
  // concat([x, x]) : the gradient sums both slices: W = [1,2,3,4] -> [1+3, 2+4]
  { name: 'concat of a tensor with itself accumulates the gradient', inputs: [f32([1, 2])], run: ([a]) => T.concat([a!, a!]), goldenGrad: { weights: [f32([1, 2, 3, 4])], grads: [f32([4, 6])], tol: EXACT } },
  // oneHot of int8 indices with negative entries: off row; 2-D shape
  { name: 'oneHot of int8 indices with negative entries', inputs: [{ values: [-1, 1, 0, -3], shape: [2, 2], dtype: 'int8' }], run: ([i]) => T.oneHot(i!, 2, { dtype: 'int32' }), expected: i32([0, 0, 0, 1, 1, 0, 0, 0], [2, 2, 2]) },

  // ---- conv / pool hand cases --------------------------------------------------------
  // 'same' with stride 2 on width 4, k 3: out 2, total (2-1)*2+3-4 = 1 -> [0, 1] (extra at end)
  // x = [1,2,3,4] (1 row), w = [1,1,1] (1x3): windows [1,2,3] = 6 and [3,4,pad] = 7
  { name: "conv2d 'same' stride 2 on an even width puts the pad at the end", inputs: [f32([1, 2, 3, 4], [1, 1, 1, 4]), f32([1, 1, 1], [1, 1, 1, 3])], run: ([x, w]) => T.conv2d(x!, w!, { padding: 'same', stride: 2 }), expected: f32([6, 7], [1, 1, 1, 2]) },
  // avgPool countIncludePad false, ceilMode, k2 s2 on a 1x3 row [1,2,4] with no padding:
  // windows [1,2] -> 1.5 and the clipped [4] -> 4 (torch divides by the in-bounds cells)
  { name: 'avgPool2d ceilMode clipped last window divides by its in-bounds cells', inputs: [f32([1, 2, 4], [1, 1, 1, 3])], run: ([x]) => [T.avgPool2d(x!, { kernelSize: [1, 2], ceilMode: true }), T.avgPool2d(x!, { kernelSize: [1, 2], ceilMode: true, countIncludePad: false })], expected: [f32([1.5, 4], [1, 1, 1, 2]), f32([1.5, 4], [1, 1, 1, 2])], tol: ACCUM },
  // ceilMode with a 3x3/2 window on a 2x2 map (GoogLeNet's pools on small inputs): PyTorch gives
  // ceil((2 - 3) / 2) + 1 = 1 output whose window, clipped to the input, holds all four cells:
  // max 3, mean (0+1+2+3)/4 = 1.5; a 2x2/2 window on a 1x1 map likewise gives the one cell
  { name: 'maxPool2d/avgPool2d ceilMode window larger than the input gives one clipped output', inputs: [f32([0, 1, 2, 3], [1, 1, 2, 2]), f32([5], [1, 1, 1, 1])], run: ([x, y]) => [T.maxPool2d(x!, { kernelSize: 3, stride: 2, ceilMode: true }), T.avgPool2d(x!, { kernelSize: 3, stride: 2, ceilMode: true }), T.maxPool2d(y!, { kernelSize: 2, stride: 2, ceilMode: true })], expected: [f32([3], [1, 1, 1, 1]), f32([1.5], [1, 1, 1, 1]), f32([5], [1, 1, 1, 1])], tol: ACCUM },
  // maxPool with dilation 2 on a row [5,1,7,2,9], k [1,2], stride 1: taps (0,2),(1,3),(2,4) -> 7 at 2, 2 at 3, 9 at 4
  { name: 'maxPool2d returnIndices with dilation', inputs: [f32([5, 1, 7, 2, 9], [1, 1, 1, 5])], run: ([x]) => T.maxPool2d(x!, { kernelSize: [1, 2], stride: 1, dilation: [1, 2], returnIndices: true }), expected: [f32([7, 2, 9], [1, 1, 1, 3]), i32([2, 3, 4], [1, 1, 1, 3])] },
  // convTranspose2d groups 2, stride 2, outputPadding 1 on 1x1 inputs: each group scales its own 1x1 kernel; out 2x2 with zeros
  { name: 'convTranspose2d groups 2 stride 2 outputPadding 1 on 1x1 inputs', inputs: [f32([2, 3], [1, 2, 1, 1]), f32([1, 10], [2, 1, 1, 1])], run: ([x, w]) => T.convTranspose2d(x!, w!, { groups: 2, stride: 2, outputPadding: 1 }), expected: f32([2, 0, 0, 0, 30, 0, 0, 0], [1, 2, 2, 2]) },

  // ---- softmax -------------------------------------------------------------------------
  // a row of all -Infinity is NaN (torch), other rows unaffected; logSoftmax([-inf, 0]) = [-inf, 0]
  { name: 'logSoftmax of -Infinity entries along axis 0', inputs: [f32([-Infinity, 0, 0, 0], [2, 2])], run: ([x]) => T.logSoftmax(x!, 0), expected: f32([-Infinity, -Math.LN2, 0, -Math.LN2], [2, 2]), tol: SOFTMAX },
  // softmax of +Infinity entries: torch gives NaN for the whole row (inf - inf)
  { name: 'softmax of a row with +Infinity is NaN (as torch)', inputs: [f32([Infinity, 0, 1, 2], [2, 2])], run: ([x]) => T.softmax(x!), expected: f32([NaN, NaN, 1 / (1 + Math.E), Math.E / (1 + Math.E)], [2, 2]), tol: SOFTMAX },

  // ---- dropout statistics ------------------------------------------------------------
  {
    // 10000 draws, rate 0.3: zeros ~ Binomial(10000, 0.3): mean 3000, sd sqrt(10000*0.3*0.7) = 45.8;
    // within 4 sd. Survivors are exactly x / (1 - rate) = 2 / 0.7 in float32.
    name: 'dropout zeroes a fraction ~ rate (4 sigma) and scales survivors by 1/(1-rate)',
    check: async (ctx) => {
      const x = T.full([100, 100], 2);
      const y = T.dropout(x, 0.3, { seed: 7 });
      try {
        const v = await ctx.read(y);
        const zeros = v.filter((a) => a === 0).length;
        expect(Math.abs(zeros - 3000), `zeros ${zeros}`).toBeLessThan(4 * Math.sqrt(10000 * 0.3 * 0.7));
        const kept = Math.fround(2 / 0.7);
        const bad = v.filter((a) => a !== 0 && Math.abs(a - kept) > 1e-6 * kept);
        expect(bad.length, `survivors not ${kept}: ${bad.slice(0, 3)}`).toBe(0);
      } finally {
        T.dispose([x, y]);
      }
    },
  },
  {
    name: 'dropout rate 0.9 keeps ~10% and scales them by 10',
    check: async (ctx) => {
      const x = T.ones([10000]);
      const y = T.dropout(x, 0.9, { seed: 3 });
      try {
        const v = await ctx.read(y);
        const kept = v.filter((a) => a !== 0);
        expect(Math.abs(kept.length - 1000)).toBeLessThan(4 * Math.sqrt(10000 * 0.9 * 0.1));
        for (const a of kept) expect(Math.abs(a - 10)).toBeLessThan(1e-5);
      } finally {
        T.dispose([x, y]);
      }
    },
  },

  // ---- autograd & memory ---------------------------------------------------------------
  {
    // y = sum(h + h), h = x + c: dy/dh = 2, dy/dx = 2. Asking for both an intermediate and
    // the leaf must give two distinct tensors (disposing one must not dispose the other).
    name: 'gradients w.r.t. an intermediate and its input are distinct tensors',
    check: async (ctx) => {
      const x = newVariable([1, 2]);
      const before = T.memory().tensors;
      try {
        const [gh, gx] = T.tidy(() => {
          const h = T.add(x, T.tensor([10, 20]));
          return T.gradients(T.sum(T.add(h, h)), [h, x]);
        });
        try {
          expect(gh, 'gradient of h and of x are the same object').not.toBe(gx);
          gh!.dispose();
          expect(gx!.isDisposed, 'disposing the gradient of h disposed that of x').toBe(false);
          await ctx.expectTensor(gx!, f32([2, 2]), EXACT, 'dy/dx');
        } finally {
          T.dispose([gh!, gx!]);
        }
        expect(T.memory().tensors).toBe(before);
      } finally {
        x.dispose();
      }
    },
  },
  {
    // torch: modifying a leaf that the graph saved, then backward, raises (version counter);
    // Tensile must either throw a TensileError or differentiate the values the graph saw:
    // y = sum(v * v) at v = [1, 2] -> dy/dv = [2, 4] (not 2 * [5, 7])
    name: 'variable.assign after the forward pass: gradient uses the recorded values or throws',
    check: async (ctx) => {
      const v = newVariable([1, 2]);
      const u = T.tensor([5, 7]);
      try {
        let err: unknown;
        let g: T.Tensor | undefined;
        try {
          g = T.tidy(() => {
            const y = T.sum(T.mul(v, v));
            v.assign(u);
            return T.gradients(y, [v])[0]!;
          });
        } catch (e) {
          err = e;
        }
        if (err !== undefined) {
          expect(err).toBeInstanceOf(TensileError);
        } else {
          try {
            await ctx.expectTensor(g!, f32([2, 4]), EXACT, 'dy/dv at the recorded v');
          } finally {
            g!.dispose();
          }
        }
      } finally {
        T.dispose([v, u]);
      }
    },
  },
  {
    // after assign, a fresh forward pass differentiates the new value: d/dv sum(v^2) = 2v = [10, 14]
    name: 'variable.assign then a new forward pass differentiates the new value',
    check: async (ctx) => {
      const v = newVariable([1, 2]);
      const u = T.tensor([5, 7]);
      try {
        v.assign(u);
        const [g] = T.tidy(() => T.gradients(T.sum(T.square(v)), [v]));
        await ctx.expectTensor(g!, f32([10, 14]), EXACT, 'dy/dv');
        g!.dispose();
      } finally {
        T.dispose([v, u]);
      }
    },
  },
  {
    // gradients() called outside tidy: the caller owns the returned gradient only; the seed
    // and the backward pass's intermediates must not stay alive.
    name: 'gradients() outside tidy leaves alive only the gradients it returns',
    check: async (ctx) => {
      const v = newVariable([1, 2, 3]);
      try {
        // the forward pass at top level: the caller holds (and later frees) every tensor it made
        const e = T.exp(v);
        const m = T.mul(e, 2);
        const y = T.sum(m);
        const before = T.memory().tensors;
        const gs = T.gradients(y, [v]);
        const grew = T.memory().tensors - before;
        await ctx.expectTensor(gs[0]!, f32([2 * Math.E, 2 * Math.E ** 2, 2 * Math.E ** 3]), TRANS, 'd/dv');
        T.dispose([...gs, y, m, e]);
        expect(grew, 'tensors alive after gradients() besides its 1 result').toBe(1);
      } finally {
        v.dispose();
      }
    },
  },
  {
    // grad of f(a, b) = sum(a): b unused -> zeros of b's shape and dtype float32, own tensor
    name: 'grad of a function that ignores an input gives zeros of its shape',
    check: async (ctx) => {
      const a = T.tensor([1, 2]);
      const b = T.tensor([[1], [2], [3]]);
      const gs = T.grad((x: T.Tensor, _y: T.Tensor) => T.sum(T.mul(x, x)))(a, b);
      try {
        await ctx.expectTensor(gs[1]!, f32([0, 0, 0], [3, 1]), EXACT, 'd/db');
        await ctx.expectTensor(gs[0]!, f32([2, 4]), EXACT, 'd/da');
      } finally {
        T.dispose([a, b, ...gs]);
      }
    },
  },
  {
    // valueAndGrad of a non-scalar value differentiates value.sum(): f(x) = x * x -> 2x; value kept
    name: 'valueAndGrad of a non-scalar value through broadcasting',
    check: async (ctx) => {
      const x = T.tensor([1, -2]);
      const { value, grads } = T.valueAndGrad((v: T.Tensor) => T.mul(T.reshape(v, [2, 1]), T.tensor([1, 2, 3])))(x);
      try {
        await ctx.expectTensor(value, f32([1, 2, 3, -2, -4, -6], [2, 3]), EXACT, 'value');
        // d/dx_i sum_j x_i * c_j = 1 + 2 + 3 = 6
        await ctx.expectTensor(grads[0]!, f32([6, 6]), EXACT, 'gradient');
      } finally {
        T.dispose([x, value, ...grads]);
      }
    },
  },
  {
    // valueAndGrad of the identity: value is x, gradient ones; both distinct tensors
    name: 'valueAndGrad of the identity function',
    check: async (ctx) => {
      const x = T.tensor([3, 4]);
      const before = T.memory().tensors;
      const { value, grads } = T.valueAndGrad((v: T.Tensor) => v)(x);
      try {
        expect(T.memory().tensors - before).toBe(2);
        expect(value).not.toBe(grads[0]);
        await ctx.expectTensor(value, f32([3, 4]), EXACT, 'value');
        await ctx.expectTensor(grads[0]!, f32([1, 1]), EXACT, 'gradient');
      } finally {
        T.dispose([x, value, ...grads]);
      }
    },
  },
  {
    name: 'nested tidy returning nested objects keeps exactly those tensors',
    check: async (ctx) => {
      const before = T.memory().tensors;
      const out = T.tidy(() => {
        const inner = T.tidy(() => {
          const a = T.tensor([1]);
          return { p: [T.add(a, 1), { q: T.add(a, 2) }], r: 7 };
        });
        T.mul(inner.p[0] as T.Tensor, 10); // freed by the outer tidy
        return { kept: inner.p, s: 'x' };
      });
      try {
        expect(T.memory().tensors - before).toBe(2);
        await ctx.expectTensor((out.kept[1] as { q: T.Tensor }).q, f32([3]), EXACT, 'q');
      } finally {
        T.dispose(out as never);
      }
      expect(T.memory().tensors).toBe(before);
    },
  },
  {
    name: 'valueAndGrad whose function throws midway frees everything',
    check: () => {
      const x = T.tensor([1, 2]);
      const before = T.memory();
      expect(() => T.valueAndGrad((v: T.Tensor) => {
        const y = T.exp(T.mul(v, 2));
        return T.matmul(y, T.ones([3, 3]));
      })(x)).toThrow(ShapeError);
      expect(T.memory().tensors).toBe(before.tensors);
      expect(T.memory().bytes).toBe(before.bytes);
      x.dispose();
    },
  },
  // ops that fail after converting their inputs (a cast or a reshape has already run) leak nothing
  { name: 'matmul int32 x float32 with mismatched batch dims throws after casting, leaking nothing', inputs: [i32(new Array(12).fill(1), [2, 2, 3]), f32(new Array(36).fill(1), [3, 3, 4])], run: ([a, b]) => T.matmul(a!, b!), throws: { error: ShapeError, includes: ['matmul'] } },
  { name: 'where with unbroadcastable b after an int32 a throws, leaking nothing', inputs: [bool([1, 0, 1]), i32([1, 2, 3]), f32([1, 2])], run: ([c, a, b]) => T.where(c!, a!, b!), throws: { error: ShapeError, includes: ['where'] } },
  { name: 'conv2d with int32 x and bad bias throws, leaking nothing', inputs: [i32(new Array(9).fill(1), [1, 1, 3, 3]), f32([1, 1, 1, 1], [1, 1, 2, 2]), f32([1, 2])], run: ([x, w, b]) => T.conv2d(x!, w!, { bias: b! }), throws: { error: ShapeError, includes: ['conv2d', 'bias'] } },
  {
    name: 'an op that throws inside tidy under a variable graph frees everything',
    check: () => {
      const v = newVariable([1, 2, 3]);
      const before = T.memory();
      expect(() => T.tidy(() => {
        const y = T.mul(T.exp(v), 2);
        return T.add(y, T.ones([2]));
      })).toThrow(ShapeError);
      expect(T.memory().tensors).toBe(before.tensors);
      expect(T.memory().bytes).toBe(before.bytes);
      v.dispose();
    },
  },
];

export const edgeCases: Case[] = [...goldenConv, ...goldenPool, ...goldenMisc, ...hand];
