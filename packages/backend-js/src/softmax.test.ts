import { describe, expect, it } from 'vitest';
import { rand, run, tensor } from './test_utils.js';

/** float64 softmax with Math.exp, the reference for the kernel's table-driven exp. */
function reference(x: ArrayLike<number>, rows: number, len: number, log: boolean): number[] {
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    const row = Array.from({ length: len }, (_, j) => x[r * len + j]!);
    const max = Math.max(...row);
    const lse = max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
    for (const v of row) out.push(log ? v - lse : Math.exp(v - lse));
  }
  return out;
}

describe('Softmax', () => {
  // Magnitudes from 1e-3 to 5000: every row is shifted by its max, so e^(x - max) never overflows.
  it.each([0.001, 1, 30, 650, 800, 5000])('matches a float64 reference within 4e-7 relative (scale %d)', (scale) => {
    const x = Float32Array.from(rand(64 * 37, 5), (v) => v * scale);
    for (const log of [false, true]) {
      const got = run('Softmax', { x: tensor(x, [64, 37]) }, { axis: 1, log }).values;
      const want = reference(x, 64, 37, log);
      got.forEach((g, i) => {
        const w = want[i]!;
        // float32 output: relative error of the exp (< 2e-7) plus one rounding of the result
        expect(Math.abs(g - w)).toBeLessThanOrEqual(4e-7 * Math.abs(w) + (log ? 1e-6 * Math.abs(w) + 1e-7 : 1e-30));
      });
    }
  });

  it('shifts rows inside [-700, 700] too: 20000 values of 700 would sum e^x past float64', () => {
    // e^700 = 1.01e304, times 20000 = 2.0e308 > Number.MAX_VALUE
    for (const [v, len] of [[700, 20000], [-700, 20000], [700, 18000]] as const) {
      const x = new Float32Array(len).fill(v);
      expect(new Set(run('Softmax', { x: tensor(x, [1, len]) }, { axis: 1, log: false }).values)).toEqual(new Set([Math.fround(1 / len)]));
      const lse = run('Softmax', { x: tensor(x, [1, len]) }, { axis: 1, log: true }).values;
      lse.forEach((g) => expect(g).toBeCloseTo(-Math.log(len), 5));
    }
  });

  it('gives NaN rows for NaN or +Inf, and 0 for -Inf entries', () => {
    const got = run('Softmax', { x: tensor([NaN, 1, Infinity, 1, -Infinity, 0], [3, 2]) }, { axis: 1, log: false }).values;
    expect(got.slice(0, 4).every(Number.isNaN)).toBe(true);
    expect(got.slice(4)).toEqual([0, 1]);
  });
});
