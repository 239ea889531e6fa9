import { describe, expect, it } from 'vitest';
import { maxDiff, rand, run, tensor } from './test_utils.js';

/** Naive batched matmul over already-broadcast batch indices: the oracle. */
function naive(
  a: Float32Array, aShape: number[], b: Float32Array, bShape: number[], ta: boolean, tb: boolean,
): { values: number[]; shape: number[] } {
  const ra = aShape.length, rb = bShape.length;
  const m = ta ? aShape[ra - 1] : aShape[ra - 2], k = ta ? aShape[ra - 2] : aShape[ra - 1];
  const n = tb ? bShape[rb - 2] : bShape[rb - 1];
  const batchA = aShape.slice(0, -2), batchB = bShape.slice(0, -2);
  const rank = Math.max(batchA.length, batchB.length);
  const pa = [...Array(rank - batchA.length).fill(1), ...batchA], pb = [...Array(rank - batchB.length).fill(1), ...batchB];
  const batch = pa.map((d, i) => (d === 1 ? pb[i] : d));
  const total = batch.reduce((s, d) => s * d, 1);
  const values: number[] = [];
  for (let t = 0; t < total; t++) {
    let ia = 0, ib = 0, rem = t;
    const idx = batch.map(() => 0);
    for (let d = rank - 1; d >= 0; d--) { idx[d] = rem % batch[d]; rem = Math.floor(rem / batch[d]); }
    for (let d = 0; d < rank; d++) { ia = ia * pa[d] + (pa[d] === 1 ? 0 : idx[d]); ib = ib * pb[d] + (pb[d] === 1 ? 0 : idx[d]); }
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) {
          s += a[ia * m * k + (ta ? p * m + i : i * k + p)] * b[ib * k * n + (tb ? j * k + p : p * n + j)];
        }
        values.push(s);
      }
    }
  }
  return { values, shape: [...batch, m, n] };
}

const cases: [string, number[], number[], boolean, boolean][] = [
  ['2x3 · 3x2', [2, 3], [3, 2], false, false],
  ['aᵀ', [3, 5], [3, 4], true, false],
  ['bᵀ', [5, 3], [4, 3], false, true],
  ['aᵀ bᵀ', [3, 5], [4, 3], true, true],
  ['odd sizes past the 8x8 tile and the 256 K block', [37, 300], [300, 29], false, false],
  ['one row (dot-product path)', [1, 70], [13, 70], false, true],
  ['two rows, strided B (row-update path)', [2, 70], [70, 13], false, false],
  ['batch broadcast [2,1] x [3]', [2, 1, 9, 10], [3, 10, 11], false, false],
  ['batched a, shared b: folded rows', [4, 5, 6], [6, 7], false, false],
  ['shared a, batched b with transposes', [6, 5], [3, 7, 6], true, true],
  ['empty K gives zeros', [3, 0], [0, 4], false, false],
  ['empty batch', [0, 3, 4], [4, 2], false, false],
];

describe('MatMul', () => {
  it.each(cases)('%s', (_name, aShape, bShape, ta, tb) => {
    const a = rand(aShape.reduce((s, d) => s * d, 1), 3);
    const b = rand(bShape.reduce((s, d) => s * d, 1), 7);
    const want = naive(a, aShape, b, bShape, ta, tb);
    const got = run('MatMul', { a: tensor(a, aShape), b: tensor(b, bShape) }, { transposeA: ta, transposeB: tb });
    expect(got.shape).toEqual(want.shape);
    expect(maxDiff(got.values, want.values)).toBeLessThan(1e-4);
  });

  it('large square product matches the naive loop', () => {
    const n = 130;
    const a = rand(n * n, 11), b = rand(n * n, 12);
    const got = run('MatMul', { a: tensor(a, [n, n]), b: tensor(b, [n, n]) }, { transposeA: false, transposeB: false });
    expect(maxDiff(got.values, naive(a, [n, n], b, [n, n], false, false).values)).toBeLessThan(1e-4);
  });

  it('int32 wraps like int32', () => {
    const big = 2 ** 30;
    const got = run('MatMul', { a: tensor([big, 3], [1, 2], 'int32'), b: tensor([4, 5], [2, 1], 'int32') }, { transposeA: false, transposeB: false });
    expect(got.values).toEqual([(Math.imul(big, 4) + 15) | 0]);
    expect(got.dtype).toBe('int32');
  });
});
