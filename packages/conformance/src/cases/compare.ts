// Comparisons and logical ops: bool outputs, broadcasting, NaN semantics (IEEE).
import * as T from '@tensile/core';
import type { Case } from '../types.js';
import { bool, f32, i32 } from '../util.js';

const A = f32([1, 2, 3], [3, 1]);
const B = f32([1, 2, 3]);

export const compare: Case[] = [
  // a [3,1] against b [3] -> [3,3]; row i compares a[i] with each of 1, 2, 3
  { name: 'less broadcasts [3,1] < [3]', inputs: [A, B], run: ([a, b]) => T.less(a!, b!), expected: bool([0, 1, 1, 0, 0, 1, 0, 0, 0], [3, 3]) },
  { name: 'lessEqual broadcasts', inputs: [A, B], run: ([a, b]) => T.lessEqual(a!, b!), expected: bool([1, 1, 1, 0, 1, 1, 0, 0, 1], [3, 3]) },
  { name: 'greater broadcasts', inputs: [A, B], run: ([a, b]) => T.greater(a!, b!), expected: bool([0, 0, 0, 1, 0, 0, 1, 1, 0], [3, 3]) },
  { name: 'greaterEqual broadcasts', inputs: [A, B], run: ([a, b]) => T.greaterEqual(a!, b!), expected: bool([1, 0, 0, 1, 1, 0, 1, 1, 1], [3, 3]) },
  { name: 'equal broadcasts', inputs: [A, B], run: ([a, b]) => T.equal(a!, b!), expected: bool([1, 0, 0, 0, 1, 0, 0, 0, 1], [3, 3]) },
  { name: 'notEqual broadcasts', inputs: [A, B], run: ([a, b]) => T.notEqual(a!, b!), expected: bool([0, 1, 1, 1, 0, 1, 1, 1, 0], [3, 3]) },
  // IEEE: NaN compares false with everything (itself included), except !=
  {
    name: 'NaN compares false except notEqual', inputs: [f32([NaN, NaN, 1]), f32([NaN, 1, NaN])],
    run: ([a, b]) => [T.equal(a!, b!), T.notEqual(a!, b!), T.less(a!, b!), T.lessEqual(a!, b!), T.greater(a!, b!), T.greaterEqual(a!, b!)],
    expected: [bool([0, 0, 0]), bool([1, 1, 1]), bool([0, 0, 0]), bool([0, 0, 0]), bool([0, 0, 0]), bool([0, 0, 0])],
  },
  { name: 'infinities compare beyond the largest floats', inputs: [f32([Infinity, -Infinity]), f32([3e38, -3e38])], run: ([a, b]) => [T.greater(a!, b!), T.less(a!, b!)], expected: [bool([1, 0]), bool([0, 1])] },
  { name: 'int32 compared with float32 promotes', inputs: [i32([1, 2]), f32([1, 2.5])], run: ([a, b]) => [T.equal(a!, b!), T.less(a!, b!)], expected: [bool([1, 0]), bool([0, 1])] },
  { name: 'compare with a JS number', inputs: [f32([-1, 0, 2])], run: ([a]) => T.greater(a!, 0), expected: bool([0, 0, 1]) },
  { name: 'int32 compared with a fractional JS number', inputs: [i32([1, 2])], run: ([a]) => T.less(a!, 1.5), expected: bool([1, 0]) },
  { name: 'equal of bools', inputs: [bool([1, 0, 1]), bool([1, 1, 0])], run: ([a, b]) => T.equal(a!, b!), expected: bool([1, 0, 0]) },
  { name: 'compare rank-0 with rank-0', inputs: [f32([1], []), f32([2], [])], run: ([a, b]) => T.less(a!, b!), expected: bool([1], []) },
  { name: 'compare size-0 with rank-0', inputs: [f32([], [0, 2]), f32([2], [])], run: ([a, b]) => T.equal(a!, b!), expected: bool([], [0, 2]) },
  { name: 'method form a.greaterEqual(b)', inputs: [f32([1, 2]), f32([2, 2])], run: ([a, b]) => a!.greaterEqual(b!), expected: bool([0, 1]) },
  // truth tables
  { name: 'logicalAnd of bools', inputs: [bool([1, 1, 0, 0]), bool([1, 0, 1, 0])], run: ([a, b]) => T.logicalAnd(a!, b!), expected: bool([1, 0, 0, 0]) },
  { name: 'logicalOr of bools', inputs: [bool([1, 1, 0, 0]), bool([1, 0, 1, 0])], run: ([a, b]) => T.logicalOr(a!, b!), expected: bool([1, 1, 1, 0]) },
  { name: 'logicalXor of bools', inputs: [bool([1, 1, 0, 0]), bool([1, 0, 1, 0])], run: ([a, b]) => T.logicalXor(a!, b!), expected: bool([0, 1, 1, 0]) },
  // numbers are read as bool: non-zero (NaN included) is true
  { name: 'logicalAnd reads float32 as bool (NaN is true)', inputs: [f32([2, 0, -1, NaN]), f32([1, 1, 0, 3])], run: ([a, b]) => T.logicalAnd(a!, b!), expected: bool([1, 0, 0, 1]) },
  { name: 'logicalOr reads int32 as bool', inputs: [i32([0, 0, 5]), i32([0, 3, 0])], run: ([a, b]) => T.logicalOr(a!, b!), expected: bool([0, 1, 1]) },
  { name: 'logicalXor broadcasts [2,1] with [2]', inputs: [bool([1, 0], [2, 1]), bool([1, 0])], run: ([a, b]) => T.logicalXor(a!, b!), expected: bool([0, 1, 1, 0], [2, 2]) },
  { name: 'logical ops on rank-0 and size-0', inputs: [bool([1], []), bool([], [0])], run: ([a, b]) => [T.logicalOr(a!, a!), T.logicalAnd(a!, b!)], expected: [bool([1], []), bool([], [0])] },
];
