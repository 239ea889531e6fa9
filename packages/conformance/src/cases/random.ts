// Philox-4x32-10: core's generator against the published known-answer vectors, the Random
// kernel against core's JS philoxFill, and dropout's mask, scaling and identity modes.
// What is identical across backends: for the same seed and offset, uniform draws (rand,
// dropout masks) bit for bit (EXACT); normals (randn) are Box-Muller on the same uniform words
// and agree within NORMAL, since log, sqrt, cos and sin differ by a few ulp between backends.
import * as T from '@tensile/core';
import { expect } from 'vitest';
import { ARITH, EXACT, FD } from '../tol.js';
import type { Case, Tol } from '../types.js';
import { f32 } from '../util.js';

/** Box-Muller evaluated in float32 on devices vs float64 in JS. */
const NORMAL: Tol = {
  rtol: 1e-5, atol: 1e-5,
  why: "Box-Muller's log, sqrt, cos and sin: float32 device math vs the float64 reference (r <= ~5.6, so ~1e-6 absolute)",
};

// (counter, key) -> output, from Salmon et al.'s Random123 kat_vectors
const KAT: [number[], number[], number[]][] = [
  [[0, 0, 0, 0], [0, 0], [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]],
  [[0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd]],
  [[0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0], [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1]],
];

function philoxRef(dist: 'uniform' | 'normal', seed: number, offset: number, n: number): number[] {
  const out = new Float32Array(n);
  T.philoxFill(dist, seed, offset, out);
  return Array.from(out);
}

const SEEDS = [0, 1, 42, 0xdeadbeef, 2 ** 32 + 5, 2 ** 40 + 123];
const SHAPES = [[7], [2, 3], [4, 4], [1], [3, 1, 5]];

const bitsCases: Case[] = SEEDS.flatMap((seed, k) => {
  const shape = SHAPES[k % SHAPES.length]!;
  const n = shape.reduce((a, b) => a * b, 1);
  return [
    { name: `rand seed ${seed} shape [${shape}] equals philoxFill bit for bit`, inputs: [], run: () => T.rand(shape, { seed }), expected: f32(philoxRef('uniform', seed, 0, n), shape), tol: EXACT },
    { name: `randn seed ${seed} shape [${shape}] equals philoxFill`, inputs: [], run: () => T.randn(shape, { seed }), expected: f32(philoxRef('normal', seed, 0, n), shape), tol: NORMAL },
  ] satisfies Case[];
});

const X = f32(Array.from({ length: 40 }, (_, i) => (i % 7) - 3 + 0.5), [5, 8]);

export const random: Case[] = [
  {
    name: 'philox4x32 matches the Philox-4x32-10 known-answer vectors',
    check: () => {
      const out = new Uint32Array(4);
      for (const [c, k, want] of KAT) {
        T.philox4x32(c[0]!, c[1]!, c[2]!, c[3]!, k[0]!, k[1]!, out);
        expect(Array.from(out).map((v) => v.toString(16)), `counter ${c.map((v) => v.toString(16))} key ${k.map((v) => v.toString(16))}`)
          .toEqual(want.map((v) => v.toString(16)));
      }
    },
  },
  {
    name: 'philoxWords: block b of (seed, offset) is philox(counter offset + b, key seed)',
    check: () => {
      const out = new Uint32Array(4);
      // seed 2^32 + 7 -> key [7, 1]; offset 2^32 + 3 -> counter [3, 1, 0, 0] for block 0
      T.philox4x32(3, 1, 0, 0, 7, 1, out);
      const w = T.philoxWords(2 ** 32 + 7, 2 ** 32 + 3, 6);
      expect(Array.from(w.subarray(0, 4))).toEqual(Array.from(out));
      T.philox4x32(4, 1, 0, 0, 7, 1, out);
      expect(Array.from(w.subarray(4, 6))).toEqual(Array.from(out.subarray(0, 2)));
      // uniform = (word >>> 8) * 2^-24
      const u = new Float32Array(6);
      T.philoxFill('uniform', 2 ** 32 + 7, 2 ** 32 + 3, u);
      expect(Array.from(u)).toEqual(Array.from(w, (v) => (v >>> 8) / 16777216));
    },
  },
  ...bitsCases,
  {
    name: 'randn is Box-Muller on the uniform words of rand (same seed): within NORMAL, not bit for bit',
    check: async (ctx) => {
      // rand's u = (w >>> 8) 2^-24 is exact, so u1 = u(2k) + 2^-24 and u2 = u(2k+1) are randn's inputs
      const u = T.rand([10], { seed: 31 });
      const z = T.randn([10], { seed: 31 });
      try {
        const v = await ctx.read(u);
        const want = v.map((_, i) => {
          const k = i - (i % 2);
          const r = Math.sqrt(-2 * Math.log(v[k]! + 2 ** -24));
          return (i % 2 === 0 ? Math.cos : Math.sin)(2 * Math.PI * v[k + 1]!) * r;
        });
        await ctx.expectTensor(z, f32(want, [10]), NORMAL, 'Box-Muller of the uniform words');
      } finally {
        T.dispose([u, z]);
      }
    },
  },
  {
    name: 'rand values lie in [0, 1) with mean near 1/2',
    check: async (ctx) => {
      const t = T.rand([4000], { seed: 3 });
      try {
        const v = await ctx.read(t);
        expect(v.every((x) => x >= 0 && x < 1)).toBe(true);
        const mean = v.reduce((a, b) => a + b, 0) / v.length;
        expect(Math.abs(mean - 0.5)).toBeLessThan(0.02);
      } finally {
        t.dispose();
      }
    },
  },
  {
    name: 'randn has mean near 0 and std near 1; mean/std options scale it',
    check: async (ctx) => {
      const z = T.randn([4000], { seed: 5 });
      const s = T.randn([6], { seed: 5, mean: 2, std: 3 });
      const z6 = T.randn([6], { seed: 5 });
      try {
        const v = await ctx.read(z);
        const mean = v.reduce((a, b) => a + b, 0) / v.length;
        const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
        expect(Math.abs(mean)).toBeLessThan(0.06);
        expect(Math.abs(std - 1)).toBeLessThan(0.05);
        await ctx.expectTensor(s, f32((await ctx.read(z6)).map((x) => 2 + 3 * x)), ARITH, 'mean + std * z');
      } finally {
        T.dispose([z, s, z6]);
      }
    },
  },
  {
    name: 'the global stream advances by philoxBlocks per draw; manualSeed restarts it',
    check: async (ctx) => {
      T.manualSeed(77);
      const a = T.rand([5]);
      const b = T.rand([6]);
      const c = T.randn([3]);
      T.manualSeed(77);
      const a2 = T.rand([5]);
      try {
        await ctx.expectTensor(a, f32(philoxRef('uniform', 77, 0, 5)), EXACT, 'first draw');
        const off = T.philoxBlocks('uniform', 5);
        expect(off).toBe(2);
        await ctx.expectTensor(b, f32(philoxRef('uniform', 77, off, 6)), EXACT, 'second draw');
        await ctx.expectTensor(c, f32(philoxRef('normal', 77, off + T.philoxBlocks('uniform', 6), 3)), NORMAL, 'third draw');
        await ctx.expectTensor(a2, f32(philoxRef('uniform', 77, 0, 5)), EXACT, 'after manualSeed again');
      } finally {
        T.dispose([a, b, c, a2]);
      }
    },
  },
  { name: 'rand of size-0 and rank-0 shapes', inputs: [], run: () => [T.rand([0, 3], { seed: 1 }), T.rand([], { seed: 1 })], expected: [f32([], [0, 3]), f32(philoxRef('uniform', 1, 0, 1), [])] },

  // dropout: keep where u >= rate (u = the uniform stream for the seed), scale by 1 / (1 - rate)
  {
    name: 'dropout mask is the Philox uniform stream >= rate, survivors scaled by 1/(1-rate)', inputs: [X],
    run: ([x]) => T.dropout(x!, 0.25, { seed: 9 }),
    expected: f32(philoxRef('uniform', 9, 0, 40).map((u, i) => (u >= 0.25 ? Math.fround(Number(X.values[i]) / 0.75) : 0)), [5, 8]),
    tol: ARITH,
  },
  {
    name: 'dropout with the same seed gives the same mask',
    check: async (ctx) => {
      const x = T.ones([64]);
      const a = T.dropout(x, 0.5, { seed: 11 });
      const b = T.dropout(x, 0.5, { seed: 11 });
      const c = T.dropout(x, 0.5, { seed: 12 });
      try {
        const va = await ctx.read(a);
        expect(await ctx.read(b)).toEqual(va);
        expect(await ctx.read(c)).not.toEqual(va);
        expect(va.every((v) => v === 0 || v === 2)).toBe(true);
      } finally {
        T.dispose([x, a, b, c]);
      }
    },
  },
  {
    name: 'dropout preserves the mean in expectation',
    check: async (ctx) => {
      const x = T.ones([8000]);
      const y = T.dropout(x, 0.3, { seed: 2 });
      try {
        const v = await ctx.read(y);
        const kept = v.filter((z) => z !== 0);
        expect(kept.every((z) => Math.abs(z - 1 / 0.7) < 1e-6)).toBe(true);
        expect(Math.abs(v.reduce((a, b) => a + b, 0) / v.length - 1)).toBeLessThan(0.03);
      } finally {
        T.dispose([x, y]);
      }
    },
  },
  { name: 'dropout with training: false is the identity', inputs: [X], run: ([x]) => T.dropout(x!, 0.5, { training: false }), expected: X },
  { name: 'dropout rate 0 is the identity', inputs: [X], run: ([x]) => T.dropout(x!, 0, { seed: 1 }), expected: X },
  { name: 'dropout rate 1 gives zeros', inputs: [f32([1, -2, 3])], run: ([x]) => T.dropout(x!, 1, { seed: 1 }), expected: f32([0, 0, 0]) },
  { name: 'dropout of size-0 and rank-0', inputs: [f32([], [0, 2]), f32([3], [])], run: ([x, y]) => [T.dropout(x!, 0.5, { seed: 1 }), T.dropout(y!, 0.5, { training: false })], expected: [f32([], [0, 2]), f32([3], [])] },
  {
    name: 'unseeded dropout draws from the global stream',
    check: async (ctx) => {
      T.manualSeed(123);
      const x = T.ones([16]);
      const a = T.dropout(x, 0.5);
      const b = T.dropout(x, 0.5);
      try {
        const want = (off: number) => philoxRef('uniform', 123, off, 16).map((u) => (u >= 0.5 ? 2 : 0));
        expect(await ctx.read(a)).toEqual(want(0));
        expect(await ctx.read(b)).toEqual(want(T.philoxBlocks('uniform', 16)));
      } finally {
        T.dispose([x, a, b]);
      }
    },
  },
  { name: 'dropout method form', inputs: [f32([1, 2])], run: ([x]) => x!.dropout(0.5, { training: false }), expected: f32([1, 2]) },
  // with a fixed seed dropout is a fixed linear map: the gradient is mask / (1 - rate)
  { name: 'dropout gradient', inputs: [f32(Array.from({ length: 12 }, (_, i) => i / 4 - 1.3), [3, 4])], run: ([x]) => T.dropout(x!, 0.4, { seed: 21 }), grad: { tol: FD } },
];
