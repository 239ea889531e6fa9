// where (select with broadcasting over three operands) and cast (dtype conversion).
import * as T from '@tensile/core';
import { FD } from '../tol.js';
import type { Case } from '../types.js';
import { bool, f32, i32 } from '../util.js';

export const whereCast: Case[] = [
  { name: 'where picks a where cond is true', inputs: [bool([1, 0, 1]), f32([1, 2, 3]), f32([10, 20, 30])], run: ([c, a, b]) => T.where(c!, a!, b!), expected: f32([1, 20, 3]) },
  // cond [2,1], a [3], b rank-0 -> [2,3]: row 0 takes a, row 1 takes b
  { name: 'where broadcasts cond [2,1], a [3], b rank-0', inputs: [bool([1, 0], [2, 1]), f32([1, 2, 3]), f32([0], [])], run: ([c, a, b]) => T.where(c!, a!, b!), expected: f32([1, 2, 3, 0, 0, 0], [2, 3]) },
  { name: 'where with JS numbers', inputs: [bool([1, 0, 1])], run: ([c]) => T.where(c!, 1, 0), expected: f32([1, 0, 1]) },
  // torch.where: "where expected condition to be a boolean tensor"
  { name: 'where with a float32 cond is a DTypeError naming cond (as torch)', inputs: [f32([0, 2, NaN]), f32([1, 2, 3]), f32([10, 20, 30])], run: ([c, a, b]) => T.where(c!, a!, b!), throws: { error: T.DTypeError, includes: ['where', 'cond', 'float32', '[3]'] } },
  { name: 'where with a JS number cond is a DTypeError', inputs: [f32([1, 2])], run: ([a]) => T.where(1, a!, 0), throws: { error: T.DTypeError, includes: ['where', 'cond'] } },
  { name: 'where promotes int32 and float32 to float32', inputs: [bool([1, 0]), i32([1, 2]), f32([0.5, 0.5])], run: ([c, a, b]) => T.where(c!, a!, b!), expected: f32([1, 0.5]) },
  { name: 'where of int32 stays int32', inputs: [bool([0, 1]), i32([1, 2]), i32([7, 8])], run: ([c, a, b]) => T.where(c!, a!, b!), expected: i32([7, 2]) },
  { name: 'where keeps NaN from the chosen side only', inputs: [bool([1, 0]), f32([NaN, NaN]), f32([5, 6])], run: ([c, a, b]) => T.where(c!, a!, b!), expected: f32([NaN, 6]) },
  { name: 'where rank-0 and size-0', inputs: [bool([1], []), f32([], [0, 2]), f32([3], [])], run: ([c, a, b]) => [T.where(c!, b!, b!), T.where(c!, a!, b!)], expected: [f32([3], []), f32([], [0, 2])] },
  { name: 'where method form a.where(cond, b)', inputs: [bool([1, 0]), f32([1, 2]), f32([3, 4])], run: ([c, a, b]) => a!.where(c!, b!), expected: f32([1, 4]) },
  // the gradient flows to a where cond holds and to b elsewhere, summed over broadcast dims
  { name: 'where gradient', inputs: [bool([1, 0, 0, 1, 1, 0], [2, 3]), f32([1, 2, 3, 4, 5, 6], [2, 3]), f32([0.5, -1, 2])], run: ([c, a, b]) => T.where(c!, a!, b!), grad: { tol: FD } },

  // float -> int truncates toward zero
  { name: 'cast float32 -> int32 truncates toward zero', inputs: [f32([1.7, -1.7, 0.5, -0.5, 2.5, -0])], run: ([x]) => T.cast(x!, 'int32'), expected: i32([1, -1, 0, 0, 2, 0]) },
  // anything -> bool is != 0, so NaN -> true and -0 -> false
  { name: 'cast float32 -> bool is != 0 (NaN true)', inputs: [f32([0, -0, 0.1, NaN, -Infinity])], run: ([x]) => T.cast(x!, 'bool'), expected: bool([0, 0, 1, 1, 1]) },
  // 16777217 = 2^24 + 1 is not a float32; it rounds to even, 16777216
  { name: 'cast int32 -> float32 rounds to nearest', inputs: [i32([3, -4, 16777217])], run: ([x]) => T.cast(x!, 'float32'), expected: f32([3, -4, 16777216]) },
  { name: 'cast int32 -> bool', inputs: [i32([0, 5, -1])], run: ([x]) => T.cast(x!, 'bool'), expected: bool([0, 1, 1]) },
  { name: 'cast bool -> float32 and int32', inputs: [bool([1, 0])], run: ([x]) => [T.cast(x!, 'float32'), T.cast(x!, 'int32')], expected: [f32([1, 0]), i32([1, 0])] },
  { name: 'cast to the same dtype copies', inputs: [f32([1.5, -2])], run: ([x]) => T.cast(x!, 'float32'), expected: f32([1.5, -2]) },
  { name: 'cast rank-0 and size-0', inputs: [f32([2.9], []), f32([], [0, 3])], run: ([x, y]) => [T.cast(x!, 'int32'), T.cast(y!, 'bool')], expected: [i32([2], []), bool([], [0, 3])] },
  { name: 'cast method form', inputs: [f32([-2.5])], run: ([x]) => x!.cast('int32'), expected: i32([-2]) },
  { name: 'cast float32 -> int8 and uint8 (in range)', inputs: [f32([1.9, -3.9, 100])], run: ([x]) => [T.cast(x!, 'int8'), T.cast(T.abs(x!), 'uint8')], expected: [{ values: [1, -3, 100], shape: [3], dtype: 'int8' }, { values: [1, 3, 100], shape: [3], dtype: 'uint8' }], composite: true },
  { name: 'cast float32 -> float32 passes the gradient', inputs: [f32([1, -2, 3])], run: ([x]) => T.cast(x!, 'float32'), grad: { tol: FD } },
];
