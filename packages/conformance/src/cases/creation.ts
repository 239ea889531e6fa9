// Creation ops: tensor (nested arrays, typed arrays, scalars), zeros, ones, full, arange, eye.
import * as T from '@tensile/core';
import { expect } from 'vitest';
import { ARITH } from '../tol.js';
import type { Case } from '../types.js';
import { bool, f32, i32 } from '../util.js';

export const creation: Case[] = [
  { name: 'tensor from nested arrays is float32', inputs: [], run: () => T.tensor([[1, 2], [3, 4]]), expected: f32([1, 2, 3, 4], [2, 2]) },
  { name: 'tensor from booleans is bool', inputs: [], run: () => T.tensor([[true, false, true]]), expected: bool([1, 0, 1], [1, 3]) },
  { name: 'tensor from flat values and a shape', inputs: [], run: () => T.tensor([1, 2, 3, 4, 5, 6], [2, 3]), expected: f32([1, 2, 3, 4, 5, 6], [2, 3]) },
  { name: 'tensor from an Int32Array is int32', inputs: [], run: () => T.tensor(new Int32Array([3, -1])), expected: i32([3, -1]) },
  { name: 'tensor from a Float32Array is float32', inputs: [], run: () => T.tensor(new Float32Array([0.5, -2])), expected: f32([0.5, -2]) },
  { name: 'tensor from an Int8Array / Uint8Array', inputs: [], run: () => [T.tensor(new Int8Array([-3, 4])), T.tensor(new Uint8Array([200, 1]))], expected: [{ values: [-3, 4], shape: [2], dtype: 'int8' }, { values: [200, 1], shape: [2], dtype: 'uint8' }] },
  // int32 storage truncates toward zero
  { name: 'tensor with dtype int32 truncates fractions', inputs: [], run: () => T.tensor([1.7, -1.7], [2], 'int32'), expected: i32([1, -1]) },
  { name: 'tensor with dtype bool is != 0', inputs: [], run: () => T.tensor([0, 2, -1], [3], 'bool'), expected: bool([0, 1, 1]) },
  { name: 'tensor of a number is rank-0', inputs: [], run: () => [T.tensor(3.5), T.scalar(true), T.scalar(2, 'int32')], expected: [f32([3.5], []), bool([1], []), i32([2], [])] },
  { name: 'tensor of [] is size-0 float32', inputs: [], run: () => T.tensor([]), expected: f32([], [0]) },
  { name: 'tensor of [] with shape [0,3]', inputs: [], run: () => T.tensor([], [0, 3]), expected: f32([], [0, 3]) },
  { name: 'tensor keeps NaN, Inf and -0', inputs: [], run: () => T.tensor([NaN, Infinity, -Infinity, -0]), expected: f32([NaN, Infinity, -Infinity, 0]) },
  // values outside float32 round to the nearest float32 (0.1 -> 0.100000001490116...)
  { name: 'tensor rounds doubles to float32', inputs: [], run: () => T.tensor([0.1, 1e40]), expected: f32([Math.fround(0.1), Infinity]) },
  { name: 'zeros', inputs: [], run: () => [T.zeros([2, 3]), T.zeros([2], 'int32'), T.zeros([]), T.zeros([0, 3])], expected: [f32([0, 0, 0, 0, 0, 0], [2, 3]), i32([0, 0]), f32([0], []), f32([], [0, 3])] },
  { name: 'ones', inputs: [], run: () => [T.ones([2]), T.ones([3], 'int32'), T.ones([2], 'bool')], expected: [f32([1, 1]), i32([1, 1, 1]), bool([1, 1])] },
  { name: 'full', inputs: [], run: () => [T.full([2, 2], 7), T.full([2], true), T.full([3], -2, 'int32'), T.full([2], 5, 'bool')], expected: [f32([7, 7, 7, 7], [2, 2]), bool([1, 1]), i32([-2, -2, -2]), bool([1, 1])] },
  { name: 'zerosLike and onesLike keep shape and dtype', inputs: [i32([5, 6, 7, 8], [2, 2])], run: ([x]) => [T.zerosLike(x!), T.onesLike(x!)], expected: [i32([0, 0, 0, 0], [2, 2]), i32([1, 1, 1, 1], [2, 2])] },
  // arange(start, stop, step): [start, stop); int32 when all are integers
  { name: 'arange(5)', inputs: [], run: () => T.arange(5), expected: i32([0, 1, 2, 3, 4]) },
  { name: 'arange(2, 8, 2)', inputs: [], run: () => T.arange(2, 8, 2), expected: i32([2, 4, 6]) },
  { name: 'arange(0, 1, 0.25) is float32', inputs: [], run: () => T.arange(0, 1, 0.25), expected: f32([0, 0.25, 0.5, 0.75]) },
  // ceil((2 - 1) / 0.3) = 4 values: 1, 1.3, 1.6, 1.9
  { name: 'arange(1, 2, 0.3)', inputs: [], run: () => T.arange(1, 2, 0.3), expected: f32([1, 1.3, 1.6, 1.9]), tol: ARITH },
  { name: 'arange with a negative step', inputs: [], run: () => T.arange(5, 0, -2), expected: i32([5, 3, 1]) },
  { name: 'arange that is empty', inputs: [], run: () => [T.arange(3, 3), T.arange(3, 1)], expected: [i32([], [0]), i32([], [0])] },
  { name: 'arange with an explicit dtype', inputs: [], run: () => T.arange(0, 3, 1, 'float32'), expected: f32([0, 1, 2]) },
  { name: 'eye(3)', inputs: [], run: () => T.eye(3), expected: f32([1, 0, 0, 0, 1, 0, 0, 0, 1], [3, 3]) },
  { name: 'eye(2, 3)', inputs: [], run: () => T.eye(2, 3), expected: f32([1, 0, 0, 0, 1, 0], [2, 3]) },
  { name: 'eye(3, 2, int32)', inputs: [], run: () => T.eye(3, 2, 'int32'), expected: i32([1, 0, 0, 1, 0, 0], [3, 2]) },
  { name: 'eye(0) is [0,0]', inputs: [], run: () => T.eye(0), expected: f32([], [0, 0]) },
  {
    name: 'tensor metadata: shape, dtype, size, rank',
    check: () => {
      const t = T.tensor([[1, 2, 3], [4, 5, 6]]);
      try {
        expect(t.shape).toEqual([2, 3]);
        expect(t.dtype).toBe('float32');
        expect(t.size).toBe(6);
        expect(t.rank).toBe(2);
        expect(t.isDisposed).toBe(false);
      } finally {
        t.dispose();
      }
      expect(t.isDisposed).toBe(true);
    },
  },
  {
    name: 'array() and arraySync() nest values (booleans for bool)',
    check: async (ctx) => {
      const a = T.tensor([[1, 2], [3, 4]]);
      const b = T.tensor([true, false]);
      const s = T.scalar(5);
      const e = T.zeros([2, 0]);
      try {
        expect(await a.array()).toEqual([[1, 2], [3, 4]]);
        expect(await b.array()).toEqual([true, false]);
        expect(await s.array()).toBe(5);
        expect(await e.array()).toEqual([[], []]);
        if (ctx.caps.readSync) expect(a.arraySync()).toEqual([[1, 2], [3, 4]]);
      } finally {
        T.dispose([a, b, s, e]);
      }
    },
  },
  {
    name: 'data() returns a copy of the values in the dtype\'s typed array',
    check: async (ctx) => {
      const t = T.tensor([1, 2, 3]);
      const i = T.tensor(new Int32Array([4]));
      const b = T.tensor([true]);
      try {
        const v = await t.data();
        expect(v).toBeInstanceOf(Float32Array);
        expect(await i.data()).toBeInstanceOf(Int32Array);
        expect(await b.data()).toBeInstanceOf(Uint8Array);
        v[0] = 100;
        expect(Array.from(await t.data())).toEqual([1, 2, 3]);
        if (ctx.caps.readSync) {
          const w = t.dataSync();
          expect(Array.from(w)).toEqual([1, 2, 3]);
          w[1] = 100;
          expect(Array.from(t.dataSync())).toEqual([1, 2, 3]);
        }
      } finally {
        T.dispose([t, i, b]);
      }
    },
  },
  {
    name: 'tensor() copies its input array',
    check: async () => {
      const src = new Float32Array([1, 2]);
      const t = T.tensor(src);
      try {
        src[0] = 9;
        expect(Array.from(await t.data())).toEqual([1, 2]);
      } finally {
        t.dispose();
      }
    },
  },
];
