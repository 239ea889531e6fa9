// Initializers: PyTorch's gains and fans, the bounds and spreads of each distribution,
// bit-identical reproducibility from a seed, in-place filling, and every layer's default.
import { ArgumentError, ShapeError, Variable, dispose, manualSeed, ones, type Tensor } from '@tensile/core';
import { describe, expect, it } from 'vitest';
import { BatchNorm1d, Conv2d, ConvTranspose2d, Embedding, LayerNorm, Linear, deriveSeed, init } from '../src/index.js';
import { golden } from './fixtures/golden.js';
import { useJs, values } from './helpers.js';

useJs();

function stats(t: Tensor): { min: number; max: number; mean: number; std: number } {
  const v = values(t);
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
  return { min: Math.min(...v), max: Math.max(...v), mean, std };
}

describe('gains and fans (torch.nn.init)', () => {
  it('calculateGain matches PyTorch', () => {
    for (const [n, g] of Object.entries(golden.init.gains as Record<string, number>)) {
      expect(init.calculateGain(n as init.Nonlinearity), n).toBeCloseTo(g, 6);
    }
    expect(init.calculateGain('leaky_relu', Math.sqrt(5))).toBeCloseTo(golden.init.leakyReluSqrt5, 6);
    expect(() => init.calculateGain('swish' as init.Nonlinearity)).toThrow(ArgumentError);
  });

  it('computeFans matches PyTorch', () => {
    for (const [s, [fi, fo]] of Object.entries(golden.init.fans as Record<string, [number, number]>)) {
      const shape = JSON.parse(s.replace(/\(/g, '[').replace(/\)/g, ']').replace(/,\s*]/, ']')) as number[];
      expect(init.computeFans(shape)).toEqual({ fanIn: fi, fanOut: fo });
    }
    expect(() => init.computeFans([5])).toThrow(ShapeError);
  });
});

describe('distributions', () => {
  const shape = [200, 100];
  it('uniform, normal, constant, zeros, ones', () => {
    const u = init.uniform(shape, { a: -2, b: 3, seed: 1 });
    const s = stats(u);
    expect(s.min).toBeGreaterThanOrEqual(-2);
    expect(s.max).toBeLessThan(3);
    expect(s.mean).toBeCloseTo(0.5, 1);
    const n = init.normal(shape, { mean: 1, std: 0.5, seed: 2 });
    expect(stats(n).mean).toBeCloseTo(1, 1);
    expect(stats(n).std).toBeCloseTo(0.5, 1);
    const c = init.constant([3], 0.25);
    expect(values(c)).toEqual([0.25, 0.25, 0.25]);
    expect(values(init.zeros([2]))).toEqual([0, 0]);
    expect(values(init.ones([2]))).toEqual([1, 1]);
    expect(() => init.uniform([2], { a: 1, b: 0 })).toThrow(ArgumentError);
    expect(() => init.normal([2], { std: -1 })).toThrow(ArgumentError);
    expect(() => init.constant([2], undefined as unknown as number)).toThrow(ArgumentError);
    expect(() => init.zeros([-1])).toThrow(ArgumentError);
    dispose([u, n, c]);
  });

  it('xavier and kaiming bounds and spreads follow fan_in / fan_out and the gain', () => {
    const [fanOut, fanIn] = shape as [number, number];
    const xu = init.xavierUniform(shape, { seed: 3 });
    const a = Math.sqrt(6 / (fanIn + fanOut));
    expect(stats(xu).max).toBeLessThanOrEqual(a);
    expect(stats(xu).max).toBeGreaterThan(0.98 * a);
    const xn = init.xavierNormal(shape, { gain: 2, seed: 4 });
    expect(stats(xn).std).toBeCloseTo(2 * Math.sqrt(2 / (fanIn + fanOut)), 2);
    const ku = init.kaimingUniform(shape, { nonlinearity: 'relu', seed: 5 });
    const b = Math.sqrt(2) * Math.sqrt(3 / fanIn);
    expect(stats(ku).max).toBeLessThanOrEqual(b);
    expect(stats(ku).min).toBeGreaterThanOrEqual(-b);
    expect(stats(ku).std).toBeCloseTo(Math.sqrt(2 / fanIn), 2);
    const kn = init.kaimingNormal(shape, { mode: 'fan_out', nonlinearity: 'relu', seed: 6 });
    expect(stats(kn).std).toBeCloseTo(Math.sqrt(2 / fanOut), 2);
    const tanh = init.kaimingNormal(shape, { nonlinearity: 'tanh', seed: 7 });
    expect(stats(tanh).std).toBeCloseTo(5 / 3 / Math.sqrt(fanIn), 2);
    expect(() => init.kaimingNormal(shape, { mode: 'fan_avg' as 'fan_in' })).toThrow(ArgumentError);
    expect(() => init.xavierUniform([7])).toThrow(ShapeError);
    dispose([xu, xn, ku, kn, tanh]);
  });

  it('fills a Variable in place and returns it', () => {
    const lin = new Linear(4, 3);
    const w = init.xavierUniform(lin.weight, { seed: 0 });
    expect(w).toBe(lin.weight);
    const fresh = init.xavierUniform([3, 4], { seed: 0 });
    expect(values(lin.weight)).toEqual(values(fresh));
    init.zeros(lin.bias!);
    expect(values(lin.bias!)).toEqual([0, 0, 0]);
    expect(lin.weight.requiresGrad).toBe(true);
    fresh.dispose();
    lin.dispose();
  });
});

describe('reproducibility', () => {
  it('the same seed gives bit-identical initial weights; another seed does not', () => {
    const a = new Conv2d(3, 8, 3, { seed: 42 }), b = new Conv2d(3, 8, 3, { seed: 42 }), c = new Conv2d(3, 8, 3, { seed: 43 });
    expect(values(a.weight)).toEqual(values(b.weight));
    expect(values(a.bias!)).toEqual(values(b.bias!));
    expect(values(a.weight)).not.toEqual(values(c.weight));
    // The bias draws from another stream than the weight.
    expect(values(a.bias!)).not.toEqual(values(a.weight).slice(0, 8));
    for (const m of [a, b, c]) m.dispose();
    const f32 = (t: Tensor): number[] => Array.from(new Uint32Array(new Float32Array(values(t)).buffer));
    const e1 = new Embedding(20, 4, { seed: 9 }), e2 = new Embedding(20, 4, { seed: 9 });
    expect(f32(e1.weight)).toEqual(f32(e2.weight));
    e1.dispose();
    e2.dispose();
  });

  it('without a seed, manualSeed makes the global stream reproducible', () => {
    manualSeed(7);
    const a = new Linear(5, 5);
    manualSeed(7);
    const b = new Linear(5, 5);
    const c = new Linear(5, 5);
    expect(values(a.weight)).toEqual(values(b.weight));
    expect(values(a.bias!)).toEqual(values(b.bias!));
    expect(values(c.weight)).not.toEqual(values(b.weight));
    for (const m of [a, b, c]) m.dispose();
  });

  it('deriveSeed gives distinct safe-integer seeds per stream', () => {
    const seeds = new Set([0, 1, 2, 3].map((k) => deriveSeed(123, k)));
    expect(seeds.size).toBe(4);
    expect(deriveSeed(123, 0)).toBe(123);
    for (const s of seeds) expect(Number.isSafeInteger(s) && s >= 0).toBe(true);
  });
});

describe("PyTorch's default initialisation per layer", () => {
  it('Linear: weight and bias U(-1/sqrt(in), 1/sqrt(in))', () => {
    const m = new Linear(400, 300, { seed: 1 });
    const bound = 1 / Math.sqrt(400);
    const w = stats(m.weight), b = stats(m.bias!);
    expect(w.min).toBeGreaterThanOrEqual(-bound);
    expect(w.max).toBeLessThanOrEqual(bound);
    expect(w.max).toBeGreaterThan(0.99 * bound);
    expect(w.std).toBeCloseTo(bound / Math.sqrt(3), 3);
    expect(b.max).toBeLessThanOrEqual(bound);
    expect(b.min).toBeGreaterThanOrEqual(-bound);
    expect(b.max).toBeGreaterThan(0.9 * bound);
    m.dispose();
  });

  it('Conv2d: bound 1/sqrt(in/groups kH kW); ConvTranspose2d: 1/sqrt(out/groups kH kW)', () => {
    const c = new Conv2d(16, 32, 3, { groups: 2, seed: 2 });
    const bound = 1 / Math.sqrt(8 * 9);
    expect(stats(c.weight).max).toBeLessThanOrEqual(bound);
    expect(stats(c.weight).max).toBeGreaterThan(0.98 * bound);
    expect(stats(c.bias!).max).toBeLessThanOrEqual(bound);
    const t = new ConvTranspose2d(16, 32, 3, { seed: 3 });
    const tb = 1 / Math.sqrt(32 * 9);
    expect(stats(t.weight).max).toBeLessThanOrEqual(tb);
    expect(stats(t.weight).max).toBeGreaterThan(0.98 * tb);
    c.dispose();
    t.dispose();
  });

  it('Embedding N(0, 1); BatchNorm and LayerNorm weight 1, bias 0', () => {
    const e = new Embedding(300, 50, { seed: 4 });
    expect(stats(e.weight).mean).toBeCloseTo(0, 1);
    expect(stats(e.weight).std).toBeCloseTo(1, 1);
    const bn = new BatchNorm1d(3), ln = new LayerNorm(3);
    const one = ones([3]);
    expect(values(bn.weight!)).toEqual(values(one));
    expect(values(ln.weight!)).toEqual(values(one));
    expect(values(bn.bias!)).toEqual([0, 0, 0]);
    expect(values(ln.bias!)).toEqual([0, 0, 0]);
    expect(bn.weight).toBeInstanceOf(Variable);
    one.dispose();
    for (const m of [e, bn, ln]) m.dispose();
  });
});
