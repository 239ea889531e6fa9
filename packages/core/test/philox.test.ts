import { describe, expect, it } from 'vitest';
import { philox4x32, philoxFill, philoxWords } from '../src/random/philox.js';

// Known-answer vectors from the Random123 distribution (kat_vectors, philox4x32_10).
const KAT: { ctr: number[]; key: number[]; out: number[] }[] = [
  { ctr: [0, 0, 0, 0], key: [0, 0], out: [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8] },
  { ctr: [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], key: [0xffffffff, 0xffffffff], out: [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd] },
  { ctr: [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], key: [0xa4093822, 0x299f31d0], out: [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1] },
];

describe('philox4x32-10', () => {
  it.each(KAT)('matches the Random123 known answer for counter $ctr', ({ ctr, key, out }) => {
    const got = new Uint32Array(4);
    philox4x32(ctr[0]!, ctr[1]!, ctr[2]!, ctr[3]!, key[0]!, key[1]!, got);
    expect([...got]).toEqual(out);
  });

  it('streams are a pure function of (seed, offset, index)', () => {
    const all = philoxWords(7, 0, 12);
    expect([...philoxWords(7, 1, 8)]).toEqual([...all.subarray(4)]);
  });

  it('uniform draws have the moments of U[0,1)', () => {
    const u = new Float32Array(100000);
    philoxFill('uniform', 3, 0, u);
    const mean = u.reduce((a, b) => a + b, 0) / u.length;
    const v = u.reduce((a, b) => a + (b - mean) ** 2, 0) / u.length;
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expect(mean).toBeCloseTo(0.5, 2); // std error 0.0009
    expect(v).toBeCloseTo(1 / 12, 2);
  });

  it('normal draws have mean 0 and variance 1', () => {
    const z = new Float32Array(100001);
    philoxFill('normal', 11, 5, z);
    const mean = z.reduce((a, b) => a + b, 0) / z.length;
    const v = z.reduce((a, b) => a + (b - mean) ** 2, 0) / z.length;
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(v - 1)).toBeLessThan(0.02);
  });
});
