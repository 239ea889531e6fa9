import { describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError, tensor } from '@tensile/core';
import { crop, randomCrop } from './crop.js';
import { iota, take, useBackend } from '../test_utils.js';

useBackend();

// The 3x3 image 1..9:  1 2 3 / 4 5 6 / 7 8 9
const image = () => tensor(iota(9).map((v) => v + 1), [1, 3, 3]);

describe('crop', () => {
  it.each([
    ['inside', [1, 1, 2, 2, 0], [5, 6, 8, 9]],
    ['the whole image', [0, 0, 3, 3, 0], iota(9).map((v) => v + 1)],
    ['a negative top pads with 0', [-1, 0, 2, 3, 0], [0, 0, 0, 1, 2, 3]],
    ['past the corner, with fill -1', [2, 2, 2, 2, -1], [9, -1, -1, -1]],
    ['entirely outside', [5, 5, 1, 2, 7], [7, 7]],
  ] as [string, [number, number, number, number, number], number[]][])('%s', (_name, [top, left, h, w, fill], want) => {
    const x = image();
    expect(take(crop(x, top, left, h, w, fill))).toEqual({ shape: [1, h, w], values: want });
    x.dispose();
  });

  it('crops every sample of a batch at the same place', () => {
    const x = tensor(iota(18), [2, 1, 3, 3]);
    expect(take(crop(x, 0, 1, 1, 2))).toEqual({ shape: [2, 1, 1, 2], values: [1, 2, 10, 11] });
    x.dispose();
  });

  it.each([
    [[0.5, 0, 1, 1], ArgumentError, /crop: top must be an integer/],
    [[0, 0, 0, 1], ArgumentError, /crop: size must be a positive integer or \[height, width\] of positive integers, got \[0, 1\]/],
  ] as [number[], typeof ArgumentError, RegExp][])('rejects crop(x, %j)', (args, type, message) => {
    const x = image();
    const [t, l, h, w] = args as [number, number, number, number];
    expect(() => crop(x, t, l, h, w)).toThrow(type);
    expect(() => crop(x, t, l, h, w)).toThrow(message);
    x.dispose();
  });
});

describe('randomCrop', () => {
  // The 2x2 image 1 2 / 3 4 padded by 1 is 0 0 0 0 / 0 1 2 0 / 0 3 4 0 / 0 0 0 0; its nine
  // 2x2 crops by corner (top, left), worked out by hand:
  const crops: Record<string, number[]> = {
    '0,0': [0, 0, 0, 1], '0,1': [0, 0, 1, 2], '0,2': [0, 0, 2, 0],
    '1,0': [0, 1, 0, 3], '1,1': [1, 2, 3, 4], '1,2': [2, 0, 4, 0],
    '2,0': [0, 3, 0, 0], '2,1': [3, 4, 0, 0], '2,2': [4, 0, 0, 0],
  };
  const n = 300;
  const batch = () => tensor(iota(n).flatMap(() => [1, 2, 3, 4]), [n, 1, 2, 2]);
  const cornersOf = (values: number[]) => iota(n).map((k) => {
    const got = values.slice(4 * k, 4 * k + 4).join(',');
    const corner = Object.keys(crops).find((c) => crops[c]!.join(',') === got);
    if (!corner) throw new Error(`sample ${k} is not a 2x2 crop of the padded image: ${got}`);
    return corner;
  });

  it('picks each sample\'s corner uniformly among the positions that fit', () => {
    const x = batch();
    const corners = cornersOf(take(randomCrop(2, { padding: 1, seed: 4 })(x)).values);
    const counts = Object.keys(crops).map((c) => corners.filter((v) => v === c).length);
    expect(Math.min(...counts)).toBeGreaterThan(10); // every corner shows up, ~33 each
    x.dispose();
  });

  it('pads with fill', () => {
    const x = tensor([1, 2, 3, 4], [1, 1, 2, 2]);
    const seen = new Set<string>();
    const t = randomCrop([2, 2], { padding: 1, fill: 5, seed: 0 });
    for (let k = 0; k < 40; k++) seen.add(take(t(x)).values.join(','));
    expect(seen.has('1,2,3,4')).toBe(true);
    expect(seen.has('5,5,5,1')).toBe(true);
    expect([...seen].every((v) => v.split(',').every((d) => '12345'.includes(d)))).toBe(true);
    x.dispose();
  });

  it('is reproducible from its seed, a new draw per call; one sample [C, H, W] works too', () => {
    const x = batch();
    const run = (seed: number) => { const t = randomCrop(2, { padding: 1, seed }); return [take(t(x)).values, take(t(x)).values]; };
    const a = run(9);
    expect(run(9)).toEqual(a);
    expect(a[1]).not.toEqual(a[0]);
    expect(run(10)).not.toEqual(a);
    const one = tensor([1, 2, 3, 4], [1, 2, 2]);
    expect(take(randomCrop(2, { padding: 0 })(one))).toEqual({ shape: [1, 2, 2], values: [1, 2, 3, 4] });
    const small = take(randomCrop([1, 2], { padding: 0, seed: 1 })(one));
    expect(small.shape).toEqual([1, 1, 2]);
    expect([[1, 2], [3, 4]]).toContainEqual(small.values);
    [x, one].forEach((t) => t.dispose());
  });

  it('rejects bad sizes and padding', () => {
    expect(() => randomCrop(0)).toThrow(/randomCrop: size must be a positive integer or \[height, width\] of positive integers, got 0/);
    expect(() => randomCrop([2, 2, 2] as never)).toThrow(ArgumentError);
    expect(() => randomCrop(2, { padding: -1 })).toThrow(/randomCrop: padding must be an integer >= 0, got -1/);
    expect(() => randomCrop(2, { fill: NaN })).toThrow(/randomCrop: fill must be a finite number, got NaN/);
    const x = tensor([1, 2, 3, 4], [1, 1, 2, 2]);
    expect(() => randomCrop(5, { padding: 1 })(x)).toThrow(ShapeError);
    expect(() => randomCrop(5, { padding: 1 })(x)).toThrow(/randomCrop: size \[5,5\] does not fit in x of shape \[1,1,2,2\] padded by 1/);
    x.dispose();
  });
});
