// weightInit / biasInit: a layer's initial values made by the caller (a model's own scheme,
// drawn once instead of on top of PyTorch's default), checked for shape and dtype.
import { ArgumentError, ShapeError, full, tensor, zeros } from '@tensile/core';
import { describe, expect, it } from 'vitest';
import { Conv2d, ConvTranspose2d, Linear, init, type AnyModule, type ParamInit } from '../src/index.js';
import { expectNoLeak, useJs, values } from './helpers.js';

useJs();

type Build = (w?: ParamInit, b?: ParamInit) => AnyModule;
const LAYERS: [string, Build, number[], number[]][] = [
  ['Linear', (w, b) => new Linear(3, 2, { weightInit: w, biasInit: b }), [2, 3], [2]],
  ['Conv2d', (w, b) => new Conv2d(4, 2, 3, { groups: 2, weightInit: w, biasInit: b }), [2, 2, 3, 3], [2]],
  ['ConvTranspose2d', (w, b) => new ConvTranspose2d(2, 3, 2, { weightInit: w, biasInit: b }), [2, 3, 2, 2], [3]],
];

describe('weightInit and biasInit', () => {
  it.each(LAYERS)('%s: each is called once with the parameter\'s shape and its tensor becomes the parameter', (_name, build, wShape, bShape) => {
    expectNoLeak(() => {
      const seen: number[][] = [];
      const m = build((s) => { seen.push(s); return full(s, 0.5); }, (s) => { seen.push(s); return init.constant(s, -2); });
      expect(seen).toEqual([wShape, bShape]);
      expect(values(m.getParameter('weight')).every((v) => v === 0.5)).toBe(true);
      expect(values(m.getParameter('bias'))).toEqual(Array(bShape[0]).fill(-2));
      m.dispose();
    });
  });

  it.each(LAYERS)('%s: without them the default draw is kept (only the weight given: the bias is PyTorch\'s default)', (_name, build, _w, bShape) => {
    expectNoLeak(() => {
      const m = build((s) => zeros(s));
      expect(values(m.getParameter('weight')).every((v) => v === 0)).toBe(true);
      const b = values(m.getParameter('bias'));
      expect(b.length).toBe(bShape[0]);
      expect(b.some((v) => v !== 0)).toBe(true);
      m.dispose();
    });
  });

  it.each(LAYERS)('%s: a wrong shape, a non-float tensor or a non-function is a clear error', (name, build, wShape) => {
    expectNoLeak(() => {
      expect(() => build(() => zeros([1]))).toThrow(ShapeError);
      expect(() => build(() => zeros([1]))).toThrow(`${name}: weightInit returned a float32 tensor of shape [1]; the parameter is float32 of shape [${wShape.join(',')}]`);
      expect(() => build(undefined, (s) => tensor(new Int32Array(s[0]!), s))).toThrow(/biasInit returned a int32 tensor/);
      expect(() => build(42 as unknown as ParamInit)).toThrow(ArgumentError);
      expect(() => build(42 as unknown as ParamInit)).toThrow(`${name}: weightInit must be a function from a shape to a Tensor, got 42`);
    });
  });
});
