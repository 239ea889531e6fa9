import { describe, expect, it } from 'vitest';
import { ArgumentError, DTypeError, ShapeError, tensor, zeros } from '@tensile/core';
import { normalise, normalize } from './normalise.js';
import { take, useBackend } from '../test_utils.js';

useBackend();

describe('normalise', () => {
  // Expected values worked out by hand: (x - mean) / std per channel.
  it.each([
    ['one sample, scalar mean/std', 0.5, 0.25, [0, 0.5, 1], [1, 1, 3], [-2, 0, 2]],
    ['one sample, per channel', [1, 10], [2, 5], [1, 3, 10, 20], [2, 1, 2], [0, 1, 0, 2]],
    ['a batch, per channel', [1, 10], [2, 5], [1, 10, 3, 20], [2, 2, 1, 1], [0, 0, 1, 2]],
    ['per channel mean, one std', [1, 2], 4, [1, 5, 2, 10], [2, 1, 2], [0, 1, 0, 2]],
  ] as [string, number | number[], number | number[], number[], number[], number[]][])('%s', (_name, mean, std, values, shape, want) => {
    const x = tensor(values, shape);
    expect(take(normalise(mean, std)(x))).toEqual({ shape, values: want });
    x.dispose();
  });

  it('is also spelled normalize', () => {
    expect(normalize).toBe(normalise);
  });

  it.each([
    ['std 0', () => normalise(0, 0), ArgumentError, /normalise: std must be a number or a non-empty array of positive numbers \(one per channel\), got 0/],
    ['a zero std channel', () => normalise([0, 0], [1, 0]), ArgumentError, /normalise: std must be .* got \[1, 0\]/],
    ['a string mean', () => normalise('0.5' as never, 1), ArgumentError, /normalise: mean must be a number or a non-empty array of finite numbers .* got "0.5"/],
    ['an empty mean', () => normalise([], 1), ArgumentError, /normalise: mean must be .* got \[\]/],
    ['mean and std of different lengths', () => normalise([0, 0], [1, 1, 1]), ShapeError, /normalise: mean has 2 channels but std has 3/],
  ] as [string, () => unknown, typeof ArgumentError, RegExp][])('rejects %s', (_name, make, type, message) => {
    expect(make).toThrow(type);
    expect(make).toThrow(message);
  });

  it.each([
    ['channels that do not match x', normalise([0, 0, 0], 1), () => zeros([2, 4, 4]), ShapeError, /normalise: mean has 3 values but x has 2 channels \(shape \[2,4,4\]\)/],
    ['an int32 x', normalise(0, 1), () => zeros([1, 2, 2], 'int32'), DTypeError, /normalise: argument 'x' has dtype int32 \(shape \[1,2,2\]\); expected float32/],
    ['a rank-2 x', normalise(0, 1), () => zeros([4, 4]), ShapeError, /normalise: argument 'x' must be an image \[C, H, W\] or a batch \[N, C, H, W\], got shape \[4,4\]/],
    ['a non-tensor', normalise(0, 1), () => [1, 2], ArgumentError, /normalise: argument 'x' must be a Tensor, got \[1, 2\]/],
  ] as [string, (x: never) => unknown, () => unknown, typeof ArgumentError, RegExp][])('rejects %s at call time', (_name, t, make, type, message) => {
    const x = make();
    expect(() => t(x as never)).toThrow(type);
    expect(() => t(x as never)).toThrow(message);
    (x as { dispose?: () => void }).dispose?.();
  });
});
