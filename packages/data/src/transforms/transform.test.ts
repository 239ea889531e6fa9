import { describe, expect, it } from 'vitest';
import { ArgumentError, memory, tensor } from '@tensile/core';
import { compose } from './transform.js';
import { normalise } from './normalise.js';
import { hflip, randomHorizontalFlip } from './flip.js';
import { randomCrop } from './crop.js';
import { iota, take, useBackend } from '../test_utils.js';

useBackend();

describe('compose', () => {
  it('applies transforms left to right and frees the intermediates', () => {
    const x = tensor([1, 3, 5], [1, 1, 3]);
    const before = memory().tensors;
    const y = compose([normalise(1, 2), hflip])(x); // [0, 1, 2], then mirrored
    expect(memory().tensors).toBe(before + 1);
    expect(take(y)).toEqual({ shape: [1, 1, 3], values: [2, 1, 0] });
    x.dispose();
  });

  it('of nothing is the identity', () => {
    const x = tensor([1], [1, 1, 1]);
    expect(compose([])(x)).toBe(x);
    x.dispose();
  });

  it('is reproducible when its random transforms are seeded', () => {
    const x = tensor(iota(64 * 9), [64, 1, 3, 3]);
    const pipeline = () => compose([randomCrop(3, { padding: 1, seed: 1 }), randomHorizontalFlip({ seed: 2 }), normalise(0.5, 2)]);
    const a = pipeline(), b = pipeline();
    expect(take(a(x)).values).toEqual(take(b(x)).values);
    expect(take(a(x)).values).toEqual(take(b(x)).values);
    x.dispose();
  });

  it('rejects what is not a list of functions', () => {
    expect(() => compose(hflip as never)).toThrow(ArgumentError);
    expect(() => compose(hflip as never)).toThrow(/compose: transforms must be an array of functions, got a function/);
    expect(() => compose([hflip, 3 as never])).toThrow(/compose: transforms\[1\] must be a function, got 3/);
  });
});
