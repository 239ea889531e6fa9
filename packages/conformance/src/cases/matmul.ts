// matmul with numpy/PyTorch semantics: 1-D operands, batch broadcasting, transposes.
import * as T from '@tensile/core';
import { goldenCases } from '../golden.js';
import { ACCUM, EXACT, FD } from '../tol.js';
import type { Case } from '../types.js';
import { f32, i32 } from '../util.js';

const golden = goldenCases('matmul', {
  matmul: ([a, b], attrs) => T.matmul(a!, b!, attrs),
}, { tol: (g) => (g.inputs[0]!.dtype === 'int32' ? EXACT : ACCUM) });

const hand: Case[] = [
  // [[1,2],[3,4]] [[5,6],[7,8]] = [[1*5+2*7, 1*6+2*8], [3*5+4*7, 3*6+4*8]] = [[19,22],[43,50]]
  { name: 'matmul 2x2', inputs: [f32([1, 2, 3, 4], [2, 2]), f32([5, 6, 7, 8], [2, 2])], run: ([a, b]) => T.matmul(a!, b!), expected: f32([19, 22, 43, 50], [2, 2]) },
  // 1*4 + 2*5 + 3*6 = 32, a rank-0 result
  { name: 'matmul vector . vector is rank-0', inputs: [f32([1, 2, 3]), f32([4, 5, 6])], run: ([a, b]) => T.matmul(a!, b!), expected: f32([32], []) },
  // [1,2] [[1,2,3],[4,5,6]] = [9, 12, 15]
  { name: 'matmul vector x matrix drops the row dim', inputs: [f32([1, 2]), f32([1, 2, 3, 4, 5, 6], [2, 3])], run: ([a, b]) => T.matmul(a!, b!), expected: f32([9, 12, 15]) },
  // [[1,2,3],[4,5,6]] [1,0,-1] = [-2, -2]
  { name: 'matmul matrix x vector drops the column dim', inputs: [f32([1, 2, 3, 4, 5, 6], [2, 3]), f32([1, 0, -1])], run: ([a, b]) => T.matmul(a!, b!), expected: f32([-2, -2]) },
  // batch [2] broadcast against [1]: each batch of a times the same b
  { name: 'matmul batch [2,1,2] x [1,2,1]', inputs: [f32([1, 2, 3, 4], [2, 1, 2]), f32([10, 1], [1, 2, 1])], run: ([a, b]) => T.matmul(a!, b!), expected: f32([12, 34], [2, 1, 1]) },
  { name: 'matmul int32 x float32 -> float32', inputs: [i32([1, 2], [1, 2]), f32([0.5, 0.25], [2, 1])], run: ([a, b]) => T.matmul(a!, b!), expected: f32([1], [1, 1]) },
  { name: 'matmul transposeA and transposeB', inputs: [f32([1, 3, 2, 4], [2, 2]), f32([5, 7, 6, 8], [2, 2])], run: ([a, b]) => T.matmul(a!, b!, { transposeA: true, transposeB: true }), expected: f32([19, 22, 43, 50], [2, 2]) },
  // inner dim 0: the empty sum is 0
  { name: 'matmul with inner dim 0 gives zeros', inputs: [f32([], [2, 0]), f32([], [0, 3])], run: ([a, b]) => T.matmul(a!, b!), expected: f32([0, 0, 0, 0, 0, 0], [2, 3]) },
  { name: 'matmul with an empty batch', inputs: [f32([], [0, 2, 2]), f32([1, 0, 0, 1], [2, 2])], run: ([a, b]) => T.matmul(a!, b!), expected: f32([], [0, 2, 2]) },
  { name: 'matmul method form', inputs: [f32([1, 2, 3, 4], [2, 2]), f32([1, 0, 0, 1], [2, 2])], run: ([a, b]) => a!.matmul(b!), expected: f32([1, 2, 3, 4], [2, 2]) },
  { name: 'matmul propagates NaN and Inf', inputs: [f32([NaN, 1, Infinity, 1], [2, 2]), f32([1, 0, 0, 1], [2, 2])], run: ([a, b]) => T.matmul(a!, b!), expected: f32([NaN, NaN, Infinity, NaN], [2, 2]) },
  { name: 'matmul gradient with transposeB and batch broadcast', inputs: [f32([1, -1, 0.5, 2, 0.3, -0.7, 1.1, 0.2, -0.4, 0.9, 1.3, -1.2], [2, 2, 3]), f32([0.5, -0.2, 0.1, 0.7, 0.3, -0.6], [2, 3])], run: ([a, b]) => T.matmul(a!, b!, { transposeB: true }), grad: { tol: FD } },
];

export const matmul: Case[] = [...golden, ...hand];
