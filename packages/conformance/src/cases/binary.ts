// Elementwise binary ops with numpy broadcasting and PyTorch dtype promotion.
import * as T from '@tensile/core';
import { goldenCases, type GoldenRun } from '../golden.js';
import { ARITH, EXACT, FD, FD_STEEP, TRANS } from '../tol.js';
import type { Case } from '../types.js';
import { bool, f32, i32 } from '../util.js';

const bin = (f: (a: T.Tensor, b: T.Tensor) => T.Tensor): GoldenRun => ([a, b]) => f(a!, b!);

const golden = goldenCases('binary', {
  add: bin(T.add), sub: bin(T.sub), mul: bin(T.mul), div: bin(T.div), pow: bin(T.pow), maximum: bin(T.maximum),
  minimum: bin(T.minimum), atan2: bin(T.atan2), mod: bin(T.mod), floorDiv: bin(T.floorDiv),
}, {
  tol: (g) => {
    if (g.inputs[0]!.dtype === 'int32' && g.op !== 'div') return EXACT;
    if (['add', 'sub', 'mul', 'maximum', 'minimum', 'floorDiv'].includes(g.op)) return EXACT;
    if (g.op === 'div') return ARITH;
    // mod: a - floor(a / b) * b; the product and difference round in float32
    if (g.op === 'mod') return { rtol: 1e-6, atol: 1e-6, why: 'a - floor(a/b) * b rounds twice in float32' };
    return TRANS;
  },
  fd: (g) => (['div', 'pow'].includes(g.op) ? { tol: FD_STEEP, eps: 1e-3 } : { tol: FD, eps: 1e-3 }),
});

const hand: Case[] = [
  // [[1,2,3],[4,5,6]] + [10,20,30]: the row is added to each row
  { name: 'add [2,3] + [3] broadcasts', inputs: [f32([1, 2, 3, 4, 5, 6], [2, 3]), f32([10, 20, 30])], run: ([a, b]) => T.add(a!, b!), expected: f32([11, 22, 33, 14, 25, 36], [2, 3]) },
  // [[1],[2]] + [[10,20,30]]: the outer sum
  { name: 'add [2,1] + [1,3] broadcasts both', inputs: [f32([1, 2], [2, 1]), f32([10, 20, 30], [1, 3])], run: ([a, b]) => T.add(a!, b!), expected: f32([11, 21, 31, 12, 22, 32], [2, 3]) },
  // out[i][j][k] = a[i][0][k] - b[j][0]
  { name: 'sub [2,1,2] - [3,1] broadcasts across ranks', inputs: [f32([1, 2, 3, 4], [2, 1, 2]), f32([10, 20, 30], [3, 1])], run: ([a, b]) => T.sub(a!, b!), expected: f32([-9, -8, -19, -18, -29, -28, -7, -6, -17, -16, -27, -26], [2, 3, 2]) },
  { name: 'mul rank-0 * [2,2]', inputs: [f32([3], []), f32([1, 2, 3, 4], [2, 2])], run: ([a, b]) => T.mul(a!, b!), expected: f32([3, 6, 9, 12], [2, 2]) },
  { name: 'mul rank-0 * rank-0', inputs: [f32([3], []), f32([-2], [])], run: ([a, b]) => T.mul(a!, b!), expected: f32([-6], []) },
  { name: 'add size-0 [0,3] + [3]', inputs: [f32([], [0, 3]), f32([1, 2, 3])], run: ([a, b]) => T.add(a!, b!), expected: f32([], [0, 3]) },
  { name: 'add [2,1] + [2,0] gives [2,0]', inputs: [f32([1, 2], [2, 1]), f32([], [2, 0])], run: ([a, b]) => T.add(a!, b!), expected: f32([], [2, 0]) },
  { name: 'mul size-0 [0] * rank-0', inputs: [f32([], [0]), f32([2], [])], run: ([a, b]) => T.mul(a!, b!), expected: f32([], [0]) },
  { name: 'add a JS number on the right', inputs: [f32([1, 2])], run: ([a]) => T.add(a!, 10), expected: f32([11, 12]) },
  { name: 'sub a tensor from a JS number on the left', inputs: [f32([1, 2])], run: ([a]) => T.sub(10, a!), expected: f32([9, 8]) },
  { name: 'method form a.mul(b)', inputs: [f32([1, 2]), f32([3, 4])], run: ([a, b]) => a!.mul(b!), expected: f32([3, 8]) },
  // dtype promotion (PyTorch): int32 op float32 -> float32
  { name: 'int32 + float32 -> float32', inputs: [i32([1, 2]), f32([0.5, 0.25])], run: ([a, b]) => T.add(a!, b!), expected: f32([1.5, 2.25]) },
  { name: 'float32 * int32 -> float32', inputs: [f32([0.5, 3]), i32([4, -2])], run: ([a, b]) => T.mul(a!, b!), expected: f32([2, -6]) },
  { name: 'int32 + int32 -> int32', inputs: [i32([1, 2]), i32([3, -4])], run: ([a, b]) => T.add(a!, b!), expected: i32([4, -2]) },
  { name: 'int32 + integer JS number stays int32', inputs: [i32([1, 2])], run: ([a]) => T.add(a!, 2), expected: i32([3, 4]) },
  { name: 'int32 + fractional JS number -> float32', inputs: [i32([1, 2])], run: ([a]) => T.add(a!, 1.5), expected: f32([2.5, 3.5]) },
  { name: 'float32 + integer JS number stays float32', inputs: [f32([1.5])], run: ([a]) => T.add(a!, 2), expected: f32([3.5]) },
  // PyTorch on two bool tensors: add is logical or, mul logical and, maximum/minimum stay bool
  { name: 'bool + bool is logical or, bool * bool logical and', inputs: [bool([1, 1, 0, 0]), bool([1, 0, 1, 0])], run: ([a, b]) => [T.add(a!, b!), T.mul(a!, b!), T.maximum(a!, b!), T.minimum(a!, b!)], expected: [bool([1, 1, 1, 0]), bool([1, 0, 0, 0]), bool([1, 1, 1, 0]), bool([1, 0, 0, 0])] },
  { name: 'bool + int32 -> int32', inputs: [bool([1, 0]), i32([5, 5])], run: ([a, b]) => T.add(a!, b!), expected: i32([6, 5]) },
  { name: 'int32 * bool -> int32', inputs: [i32([5, 5]), bool([1, 0])], run: ([a, b]) => T.mul(a!, b!), expected: i32([5, 0]) },
  // div is true division on integers: 7/2 = 3.5, -7/2 = -3.5, 1/3 = 0.33333334f
  { name: 'div int32 / int32 is true division (float32)', inputs: [i32([7, -7, 1]), i32([2, 2, 3])], run: ([a, b]) => T.div(a!, b!), expected: f32([3.5, -3.5, 1 / 3]), tol: ARITH },
  { name: 'div int32 / JS number is true division', inputs: [i32([1, -3])], run: ([a]) => T.div(a!, 2), expected: f32([0.5, -1.5]) },
  // floorDiv rounds toward -Inf: -7 // 2 = -4, 7 // 2 = 3
  { name: 'floorDiv int32 by a JS number rounds toward -Inf', inputs: [i32([-7, 7])], run: ([a]) => T.floorDiv(a!, 2), expected: i32([-4, 3]) },
  { name: 'mod int32 by a JS number has the sign of the divisor', inputs: [i32([-7, 7])], run: ([a]) => T.mod(a!, 3), expected: i32([2, 1]) },
  { name: 'pow by a JS number', inputs: [f32([-3, 0.5]), i32([2, 3])], run: ([a, b]) => [T.pow(a!, 2), T.pow(b!, 2)], expected: [f32([9, 0.25]), i32([4, 9])], tol: ARITH },
  // IEEE: 1/0 = Inf, -1/0 = -Inf, 0/0 = NaN
  { name: 'div by zero gives Inf, -Inf, NaN', inputs: [f32([1, -1, 0]), f32([0, 0, 0])], run: ([a, b]) => T.div(a!, b!), expected: f32([Infinity, -Infinity, NaN]) },
  { name: 'add and sub propagate NaN; Inf - Inf is NaN', inputs: [f32([NaN, 1, Infinity, Infinity]), f32([1, NaN, -Infinity, Infinity])], run: ([a, b]) => [T.add(a!, b!), T.sub(a!, b!)], expected: [f32([NaN, NaN, NaN, Infinity]), f32([NaN, NaN, Infinity, NaN])] },
  { name: 'mul: Inf * 0 is NaN, NaN propagates, Inf keeps its sign', inputs: [f32([Infinity, 0, NaN, -Infinity]), f32([0, Infinity, 2, 2])], run: ([a, b]) => T.mul(a!, b!), expected: f32([NaN, NaN, NaN, -Infinity]) },
  { name: 'maximum and minimum propagate NaN', inputs: [f32([NaN, 1, 2, -Infinity]), f32([1, NaN, 3, 5])], run: ([a, b]) => [T.maximum(a!, b!), T.minimum(a!, b!)], expected: [f32([NaN, NaN, 3, 5]), f32([NaN, NaN, 2, -Infinity])] },
  { name: 'maximum of bool stays bool', inputs: [bool([1, 0, 0]), bool([0, 0, 1])], run: ([a, b]) => T.maximum(a!, b!), expected: bool([1, 0, 1]) },
  // gradients of broadcast operands are summed back to their shapes
  { name: 'mul gradient un-broadcasts [2,3] * [3]', inputs: [f32([1, -2, 3, 0.5, 4, -1], [2, 3]), f32([2, -1, 0.5])], run: ([a, b]) => T.mul(a!, b!), grad: { tol: FD } },
  { name: 'sub gradient with a rank-0 operand', inputs: [f32([1, 2, 3, 4], [2, 2]), f32([0.5], [])], run: ([a, b]) => T.sub(a!, b!), grad: { tol: FD } },
  { name: 'div gradient with a JS number', inputs: [f32([1, -2, 3])], run: ([a]) => T.div(a!, 4), expected: f32([0.25, -0.5, 0.75]), grad: { tol: FD } },
  { name: 'int32 operand gets no gradient, float32 operand does', inputs: [f32([1, 2, 3]), i32([2, -1, 4])], run: ([a, b]) => T.mul(a!, b!), expected: f32([2, -2, 12]), goldenGrad: { weights: [f32([1, 1, 1])], grads: [f32([2, -1, 4]), null], tol: EXACT } },
];

export const binary: Case[] = [...golden, ...hand];
