import type { ReduceOp } from '@tensile/core';
import { describe, expect, it } from 'vitest';
import { maxDiff, rand, run, tensor } from './test_utils.js';

/** Naive reduction: every element folded into the output cell its kept indices name. */
function naive(op: ReduceOp, x: ArrayLike<number>, shape: number[], axes: number[]): number[] {
  const keptDims = shape.filter((_, i) => !axes.includes(i));
  const outSize = keptDims.reduce((p, d) => p * d, 1);
  const cells: number[][] = Array.from({ length: outSize }, () => []);
  for (let t = 0; t < x.length; t++) {
    let rem = t, o = 0, scale = 1;
    for (let d = shape.length - 1; d >= 0; d--) {
      const i = rem % shape[d];
      rem = Math.floor(rem / shape[d]);
      if (!axes.includes(d)) { o += i * scale; scale *= shape[d]; }
    }
    cells[o].push(x[t]);
  }
  const fold: Record<ReduceOp, (v: number[]) => number> = {
    sum: (v) => v.reduce((s, a) => s + a, 0),
    mean: (v) => v.reduce((s, a) => s + a, 0) / v.length,
    prod: (v) => v.reduce((s, a) => s * a, 1),
    max: (v) => v.reduce((s, a) => Math.max(s, a), -Infinity),
    min: (v) => v.reduce((s, a) => Math.min(s, a), Infinity),
    any: (v) => (v.some((a) => a !== 0) ? 1 : 0),
    all: (v) => (v.every((a) => a !== 0) ? 1 : 0),
  };
  return cells.map(fold[op]);
}

describe('Reduce', () => {
  const shape = [2, 3, 4, 5];
  const x = rand(120, 9);
  const axesCases = [[], [0], [3], [2, 3], [0, 1], [1, 3], [0, 2], [0, 1, 2, 3]];
  const ops: ReduceOp[] = ['sum', 'mean', 'prod', 'max', 'min'];
  it.each(ops.flatMap((op) => axesCases.map((axes) => [op, axes] as [ReduceOp, number[]])))('%s over %j', (op, axes) => {
    const got = run('Reduce', { x: tensor(x, shape) }, { op, axes, keepDims: false });
    expect(maxDiff(got.values, naive(op, x, shape, axes))).toBeLessThan(1e-5);
    expect(got.shape).toEqual(shape.filter((_, i) => !axes.includes(i)));
  });

  it('keepDims keeps reduced axes as 1', () => {
    expect(run('Reduce', { x: tensor(x, shape) }, { op: 'sum', axes: [1, 3], keepDims: true }).shape).toEqual([2, 1, 4, 1]);
  });

  it('max/min propagate NaN; any/all give bool', () => {
    const t = tensor([1, NaN, 3, 4, 0, 6], [2, 3]);
    expect(run('Reduce', { x: t }, { op: 'max', axes: [1], keepDims: false }).values).toEqual([NaN, 6]);
    expect(run('Reduce', { x: t }, { op: 'min', axes: [0], keepDims: false }).values).toEqual([1, NaN, 3]);
    const all = run('Reduce', { x: t }, { op: 'all', axes: [1], keepDims: false });
    expect(all).toMatchObject({ values: [1, 0], dtype: 'bool' });
    expect(run('Reduce', { x: tensor([0, 0, 1, 0], [2, 2], 'bool') }, { op: 'any', axes: [1], keepDims: false }).values).toEqual([0, 1]);
  });

  it('empty reductions give the identity (mean NaN), int32 prod wraps, mean is float32', () => {
    const e = tensor([], [2, 0]);
    expect(run('Reduce', { x: e }, { op: 'sum', axes: [1], keepDims: false }).values).toEqual([0, 0]);
    expect(run('Reduce', { x: e }, { op: 'prod', axes: [1], keepDims: false }).values).toEqual([1, 1]);
    expect(run('Reduce', { x: e }, { op: 'mean', axes: [1], keepDims: false }).values).toEqual([NaN, NaN]);
    expect(run('Reduce', { x: tensor([65536, 65536, 3], [3], 'int32') }, { op: 'prod', axes: [0], keepDims: false }).values).toEqual([0]);
    const mean = run('Reduce', { x: tensor([1, 2], [2], 'int32') }, { op: 'mean', axes: [0], keepDims: false });
    expect(mean).toMatchObject({ values: [1.5], dtype: 'float32', shape: [] });
  });
});

describe('ArgReduce', () => {
  it.each([
    ['max', 1, [3, 1, 3, 2, NaN, NaN], [2, 3], [0, 1]],
    ['min', 1, [3, 1, 1, 2, 5, 0], [2, 3], [1, 2]],
    ['max', 0, [3, 1, 3, 2, 5, 0], [2, 3], [0, 1, 0]],
  ] as ['max' | 'min', number, number[], number[], number[]][])('%s along %i', (op, axis, x, shape, want) => {
    const got = run('ArgReduce', { x: tensor(x, shape) }, { op, axis, keepDims: false });
    expect(got).toMatchObject({ values: want, dtype: 'int32' });
  });
});

describe('Softmax', () => {
  const e = Math.exp(1), e2 = Math.exp(2);
  it.each([
    ['plain row', [0, 1, 2], [1 / (1 + e + e2), e / (1 + e + e2), e2 / (1 + e + e2)]],
    ['-Inf entries get 0', [-Infinity, 0, 0], [0, 0.5, 0.5]],
    ['all -Inf is NaN (PyTorch)', [-Infinity, -Infinity, -Infinity], [NaN, NaN, NaN]],
    ['a NaN poisons the row', [1, NaN, 2], [NaN, NaN, NaN]],
    ['large values stay finite', [1000, 1000, 1000], [1 / 3, 1 / 3, 1 / 3]],
  ])('%s', (_name, x, want) => {
    const got = run('Softmax', { x: tensor(x, [1, 3]) }, { axis: 1, log: false }).values;
    const round = (v: number) => Math.round(v * 1e6) / 1e6;
    expect(got.map(round)).toEqual(want.map(round));
    const logGot = run('Softmax', { x: tensor(x, [1, 3]) }, { axis: 1, log: true }).values;
    expect(logGot.map(round)).toEqual(want.map((v) => round(Math.log(v))));
  });

  it('works along a middle axis', () => {
    const got = run('Softmax', { x: tensor([0, 0, 1, Math.log(3)], [1, 2, 2]) }, { axis: 1, log: false }).values;
    const round = (v: number) => Math.round(v * 1e6) / 1e6;
    expect(got.map(round)).toEqual([1 / (1 + e), 0.25, e / (1 + e), 0.75].map(round));
  });
});
