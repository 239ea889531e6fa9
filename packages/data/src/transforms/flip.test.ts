import { describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError, philoxWords, tensor, zeros } from '@tensile/core';
import { hflip, randomHorizontalFlip } from './flip.js';
import { iota, take, useBackend } from '../test_utils.js';

useBackend();

describe('hflip', () => {
  it.each([
    ['one sample [1, 2, 3]', [1, 2, 3], [1, 2, 3, 4, 5, 6], [3, 2, 1, 6, 5, 4]],
    ['a batch [2, 2, 1, 2]', [2, 2, 1, 2], iota(8), [1, 0, 3, 2, 5, 4, 7, 6]],
    ['width 1', [1, 3, 1], [7, 8, 9], [7, 8, 9]],
  ] as [string, number[], number[], number[]][])('mirrors the last axis: %s', (_name, shape, values, want) => {
    const x = tensor(values, shape);
    expect(take(hflip(x))).toEqual({ shape, values: want });
    x.dispose();
  });

  it('rejects what is not an image', () => {
    const x = zeros([2, 3]);
    expect(() => hflip(x)).toThrow(ShapeError);
    expect(() => hflip(x)).toThrow(/hflip: argument 'x' must be an image \[C, H, W\] or a batch \[N, C, H, W\], got shape \[2,3\]/);
    expect(() => hflip(5 as never)).toThrow(/hflip: argument 'x' must be a Tensor, got 5/);
    x.dispose();
  });
});

describe('randomHorizontalFlip', () => {
  // 200 samples [1, 1, 2] holding [k, 1000 + k]: flipped ones read [1000 + k, k].
  const n = 200;
  const batch = () => tensor(iota(n).flatMap((k) => [k, 1000 + k]), [n, 1, 1, 2]);
  const flipsOf = (values: number[]) => iota(n).map((k) => {
    const [a, b] = [values[2 * k], values[2 * k + 1]];
    if (a === k && b === 1000 + k) return 0;
    if (a === 1000 + k && b === k) return 1;
    throw new Error(`sample ${k} is neither itself nor its mirror: ${a}, ${b}`);
  });

  it('p = 1 flips every sample, p = 0 none', () => {
    const x = batch();
    expect(flipsOf(take(randomHorizontalFlip({ p: 1, seed: 0 })(x)).values)).toEqual(Array(n).fill(1));
    expect(flipsOf(take(randomHorizontalFlip({ p: 0, seed: 0 })(x)).values)).toEqual(Array(n).fill(0));
    x.dispose();
  });

  it('flips sample k when its Philox draw u_k = word_k / 2^32 < p (seed = key, counter from 0)', () => {
    const x = batch();
    const flip = randomHorizontalFlip({ p: 0.3, seed: 11 });
    const words = philoxWords(11, 0, 2 * n); // two calls of n draws: blocks [0, n/4) then [n/4, n/2)
    const want = (call: number) => iota(n).map((k) => (words[call * n + k]! / 2 ** 32 < 0.3 ? 1 : 0));
    const first = flipsOf(take(flip(x)).values);
    const second = flipsOf(take(flip(x)).values);
    expect(first).toEqual(want(0));
    expect(second).toEqual(want(1));
    const rate = first.reduce((a: number, b) => a + b, 0) / n;
    expect(rate).toBeGreaterThan(0.15);
    expect(rate).toBeLessThan(0.45);
    x.dispose();
  });

  it('is reproducible from its seed; another seed draws differently', () => {
    const x = batch();
    const run = (seed: number) => {
      const t = randomHorizontalFlip({ seed });
      return [take(t(x)).values, take(t(x)).values];
    };
    const a = run(5);
    expect(run(5)).toEqual(a);
    expect(a[1]).not.toEqual(a[0]); // a new draw every call
    expect(run(6)).not.toEqual(a);
    x.dispose();
  });

  it('takes one sample [C, H, W] too', () => {
    const x = tensor([1, 2, 3], [1, 1, 3]);
    expect(take(randomHorizontalFlip({ p: 1 })(x))).toEqual({ shape: [1, 1, 3], values: [3, 2, 1] });
    x.dispose();
  });

  it.each([
    [{ p: 1.5 }, /randomHorizontalFlip: p must be a number in \[0, 1\], got 1.5/],
    [{ p: '0.5' }, /randomHorizontalFlip: p must be a number in \[0, 1\], got "0.5"/],
    [{ seed: -3 }, /randomHorizontalFlip: seed must be an integer >= 0, got -3/],
  ])('rejects %j with ArgumentError', (options, message) => {
    expect(() => randomHorizontalFlip(options as never)).toThrow(ArgumentError);
    expect(() => randomHorizontalFlip(options as never)).toThrow(message);
  });
});
