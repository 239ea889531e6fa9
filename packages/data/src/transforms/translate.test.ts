import { describe, expect, it } from 'vitest';
import { ArgumentError, tensor } from '@tensile/core';
import { randomTranslate, translate } from './translate.js';
import { iota, take, useBackend } from '../test_utils.js';

useBackend();

// The 3x3 image 1..9:  1 2 3 / 4 5 6 / 7 8 9
const image = () => tensor(iota(9).map((v) => v + 1), [1, 3, 3]);

describe('translate', () => {
  it.each([
    ['right by 1', [1, 0, 0], [0, 1, 2, 0, 4, 5, 0, 7, 8]],
    ['left by 1, down by 1', [-1, 1, 0], [0, 0, 0, 2, 3, 0, 5, 6, 0]],
    ['up by 2, fill 9', [0, -2, 9], [7, 8, 9, 9, 9, 9, 9, 9, 9]],
    ['not at all', [0, 0, 0], iota(9).map((v) => v + 1)],
    ['off the image', [5, 0, -1], Array(9).fill(-1)],
  ] as [string, [number, number, number], number[]][])('%s (worked out by hand)', (_name, [dx, dy, fill], want) => {
    const x = image();
    expect(take(translate(x, dx, dy, fill))).toEqual({ shape: [1, 3, 3], values: want });
    x.dispose();
  });

  it('rejects non-integer shifts', () => {
    const x = image();
    expect(() => translate(x, 0.5, 0)).toThrow(ArgumentError);
    expect(() => translate(x, 0.5, 0)).toThrow(/translate: dx must be an integer/);
    x.dispose();
  });
});

describe('randomTranslate', () => {
  // Rows [1, 2, 3, 4] (W = 4) with translate [0.5, 0]: dx = round(uniform(-2, 2)), so each
  // output is one of these five shifts:
  const shifts: Record<string, number[]> = {
    '-2': [3, 4, 0, 0], '-1': [2, 3, 4, 0], '0': [1, 2, 3, 4], '1': [0, 1, 2, 3], '2': [0, 0, 1, 2],
  };
  const n = 300;
  const batch = () => tensor(iota(n).flatMap(() => [1, 2, 3, 4]), [n, 1, 1, 4]);

  it('shifts each sample by a rounded uniform draw within the bounds', () => {
    const x = batch();
    const values = take(randomTranslate([0.5, 0], { seed: 3 })(x)).values;
    const dxs = iota(n).map((k) => {
      const got = values.slice(4 * k, 4 * k + 4).join(',');
      const dx = Object.keys(shifts).find((s) => shifts[s]!.join(',') === got);
      if (dx === undefined) throw new Error(`sample ${k} is not a shift of the row: ${got}`);
      return Number(dx);
    });
    const counts = [-2, -1, 0, 1, 2].map((d) => dxs.filter((v) => v === d).length);
    // round(uniform(-2, 2)): +-2 have probability 1/8, the others 1/4.
    expect(counts.every((c) => c > 15)).toBe(true);
    expect(counts[2]).toBeGreaterThan(counts[0]!);
    x.dispose();
  });

  it('is reproducible from its seed and moves vertically by the second fraction', () => {
    const x = tensor([1, 2, 3, 4], [1, 4, 1]); // a column: only dy can move it
    const run = (seed: number) => { const t = randomTranslate([0, 0.5], { seed, fill: -1 }); return iota(20).map(() => take(t(x)).values.join(',')); };
    const a = run(2);
    expect(run(2)).toEqual(a);
    expect(new Set(a).size).toBeGreaterThan(2);
    for (const v of a) expect(['3,4,-1,-1', '2,3,4,-1', '1,2,3,4', '-1,1,2,3', '-1,-1,1,2']).toContain(v);
    x.dispose();
  });

  it.each([
    [[1.5, 0], /randomTranslate: fraction must be \[a, b\] with 0 <= a, b <= 1 .*got \[1.5, 0\]/],
    [[0.1], /randomTranslate: fraction must be \[a, b\] .*got \[0.1\]/],
    [0.1, /randomTranslate: fraction must be \[a, b\] .*got 0.1/],
  ])('rejects fraction %j with ArgumentError', (fraction, message) => {
    expect(() => randomTranslate(fraction as never)).toThrow(ArgumentError);
    expect(() => randomTranslate(fraction as never)).toThrow(message);
  });
});
