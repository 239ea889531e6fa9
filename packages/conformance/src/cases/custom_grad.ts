// customGrad (a function with its own gradient) and the seeded random stream with an explicit
// offset (rand/randn/dropout `offset`, RandomStream).
import * as T from '@tensile/core';
import { expect } from 'vitest';
import { EXACT, TRANS } from '../tol.js';
import type { Case } from '../types.js';
import { f32 } from '../util.js';

export const customGrad: Case[] = [
  {
    name: 'customGrad: the value of f, the gradient of gradFunc (not of the ops inside f)',
    check: async (ctx) => {
      // value x^2, declared gradient 3 dy (the true one would be 2x)
      const f = T.customGrad((x: T.Tensor) => ({ value: T.square(x), gradFunc: (dy) => [T.mul(dy, 3)] }));
      const x = T.tensor([1, -2, 4]);
      const { value, grads } = T.valueAndGrad((v: T.Tensor) => T.sum(f(v)))(x);
      try {
        await ctx.expectTensor(value, f32([21], []), EXACT, 'value');
        await ctx.expectTensor(grads[0]!, f32([3, 3, 3]), EXACT, 'grad');
      } finally {
        T.dispose([x, value, ...grads]);
      }
    },
  },
  {
    name: 'customGrad: a saved intermediate stays readable after its scope freed it; null stops a gradient',
    check: async (ctx) => {
      // y = 2 sigmoid(a) * b with dy/da = 2 s (1 - s) b written by hand; b gets no gradient.
      const f = T.customGrad((a: T.Tensor, b: T.Tensor) => {
        const s = T.sigmoid(a);
        return { value: T.mul(T.mul(s, 2), b), gradFunc: (dy) => [T.mul(dy, T.mul(T.mul(T.mul(s, T.sub(1, s)), 2), b)), null], save: [s] };
      });
      // sigmoid(0) = 0.5, sigmoid(ln 3) = 0.75: 2 s (1 - s) = 0.5 and 0.375
      const a = T.tensor([0, Math.log(3)]), b = T.tensor([1, 2]);
      const gs = T.grad((u: T.Tensor, v: T.Tensor) => T.tidy(() => T.sum(f(u, v))))(a, b);
      try {
        await ctx.expectTensor(gs[0]!, f32([0.5, 0.75]), TRANS, 'd/da');
        await ctx.expectTensor(gs[1]!, f32([0, 0]), EXACT, 'd/db (null: none flows)');
      } finally {
        T.dispose([a, b, ...gs]);
      }
    },
  },
  {
    name: 'customGrad: a gradient of the wrong shape is a ShapeError naming customGrad',
    check: () => {
      const f = T.customGrad((x: T.Tensor) => ({ value: T.mul(x, 2), gradFunc: () => [T.ones([5])] }));
      const x = T.tensor([1, 2]);
      try {
        expect(() => T.grad((v: T.Tensor) => T.sum(f(v)))(x)).toThrow(/customGrad: gradient 0 has shape \[5\] but input 0 has \[2\]/);
      } finally {
        x.dispose();
      }
    },
  },
];

export const randomStream: Case[] = [
  {
    name: 'rand with an offset continues the same seed\'s stream (4 uniforms per block)',
    check: async (ctx) => {
      const whole = T.rand([12], { seed: 9 });
      const tail = T.rand([8], { seed: 9, offset: 1 });
      try {
        expect(await ctx.read(tail)).toEqual((await ctx.read(whole)).slice(4));
      } finally {
        T.dispose([whole, tail]);
      }
    },
  },
  {
    name: 'RandomStream: consecutive draws tile one stream, and a new stream at the saved offset resumes it',
    check: async (ctx) => {
      const g = new T.RandomStream(5);
      const a = g.rand([6]), b = g.rand([2]);
      expect(g.offset).toBe(3); // ceil(6 / 4) + ceil(2 / 4)
      const resumed = new T.RandomStream(5, g.offset).rand([4]);
      const whole = T.rand([16], { seed: 5 });
      const n1 = g.randn([4]), n2 = new T.RandomStream(5, 3).randn([4]);
      try {
        const w = await ctx.read(whole);
        expect(await ctx.read(a)).toEqual(w.slice(0, 6));
        expect(await ctx.read(b)).toEqual(w.slice(8, 10));
        expect(await ctx.read(resumed)).toEqual(w.slice(12, 16));
        expect(await ctx.read(n1)).toEqual(await ctx.read(n2));
        expect(g.offset).toBe(4);
      } finally {
        T.dispose([a, b, resumed, whole, n1, n2]);
      }
    },
  },
  {
    name: 'dropout with a seed and offset uses the mask of that stream position',
    check: async (ctx) => {
      const x = T.ones([8]);
      const u = T.rand([8], { seed: 2, offset: 5 });
      const y = T.dropout(x, 0.5, { seed: 2, offset: 5 });
      try {
        const us = await ctx.read(u);
        expect(await ctx.read(y)).toEqual(us.map((v) => (v >= 0.5 ? 2 : 0)));
      } finally {
        T.dispose([x, u, y]);
      }
    },
  },
  {
    name: 'an offset without a seed is an ArgumentError',
    run: () => T.rand([2], { offset: 3 }),
    throws: { error: T.ArgumentError, includes: ['rand', 'offset', 'seed'] },
  },
];
