// McNemar's exact test against binomial tails worked by hand.
import { describe, expect, it } from 'vitest';
import { mcnemar } from './mcnemar.js';

/** Correctness arrays with `b` images only A got right, `c` only B, and `both` both. */
function pairs(b: number, c: number, both = 3, neither = 2): [number[], number[]] {
  const a = [...Array(b).fill(1), ...Array(c).fill(0), ...Array(both).fill(1), ...Array(neither).fill(0)];
  const bb = [...Array(b).fill(0), ...Array(c).fill(1), ...Array(both).fill(1), ...Array(neither).fill(0)];
  return [a, bb];
}

describe('mcnemar', () => {
  it.each([
    // b = 5, c = 0: P = 2 · (½)^5 = 1/16.
    [5, 0, 1 / 16, 5 / Math.sqrt(5)],
    // b = 3, c = 1: P(X <= 1) = (1 + 4)/16, two-sided 10/16.
    [3, 1, 10 / 16, 2 / 2],
    // b = 1, c = 3: symmetric, negative z.
    [1, 3, 10 / 16, -2 / 2],
    // b = c = 2: P(X <= 2) = (1 + 4 + 6)/16 = 11/16, doubled capped at 1.
    [2, 2, 1, 0],
    // b = 10, c = 0: 2 / 1024.
    [10, 0, 2 / 1024, 10 / Math.sqrt(10)],
    // nothing discordant.
    [0, 0, 1, 0],
  ])('b = %i, c = %i: p = %f, z = %f', (b, c, p, z) => {
    const [x, y] = pairs(b, c);
    const r = mcnemar(x, y);
    expect([r.onlyA, r.onlyB]).toEqual([b, c]);
    expect(r.p).toBeCloseTo(p, 12);
    expect(r.z).toBeCloseTo(z, 12);
  });

  it('a 3-point gap over 10,000 images (b 700, c 400) is far beyond chance', () => {
    const [x, y] = pairs(700, 400, 6000, 2900);
    const r = mcnemar(x, y);
    expect(r.z).toBeCloseTo(300 / Math.sqrt(1100), 10); // 9.05σ
    expect(r.p).toBeLessThan(1e-15);
    expect(r.p).toBeGreaterThan(0);
  });

  it('rejects arrays of different lengths, naming both', () => {
    expect(() => mcnemar([1, 0], [1])).toThrow(/mcnemar: the two correctness arrays must have one length, got 2 and 1/);
  });
});
