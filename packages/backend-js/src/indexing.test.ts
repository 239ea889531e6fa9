import { describe, expect, it } from 'vitest';
import { dot, rand, run, tensor } from './test_utils.js';

const iota = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('Gather and ScatterAdd', () => {
  it('gather wraps negative indices and zeros out-of-range ones', () => {
    const got = run('Gather', { x: tensor(iota(6), [3, 2]), indices: tensor([2, -1, 0, 5, -4], [5], 'int32') }, { axis: 0 });
    expect(got).toMatchObject({ shape: [5, 2], values: [4, 5, 4, 5, 0, 1, 0, 0, 0, 0] });
  });

  it('gather along a middle axis with 2-D indices', () => {
    const got = run('Gather', { x: tensor(iota(12), [2, 3, 2]), indices: tensor([1, 1, 0, 2], [2, 2], 'int32') }, { axis: 1 });
    expect(got.shape).toEqual([2, 2, 2, 2]);
    expect(got.values).toEqual([2, 3, 2, 3, 0, 1, 4, 5, 8, 9, 8, 9, 6, 7, 10, 11]);
  });

  it.each([
    ['axis 0, repeats and negatives', [5, 3], [4], 0, [0, -1, 4, 0]],
    ['axis 1, 2-D indices, out of range dropped', [2, 4, 3], [2, 3], 1, [3, 0, -2, 1, 7, 1]],
    ['long rows', [3, 40], [2], 0, [2, 2]],
  ] as [string, number[], number[], number, number[]][])('<gather(x), u> = <x, scatterAdd(u)>: %s', (_name, xShape, iShape, axis, idx) => {
    const size = (s: number[]) => s.reduce((p, d) => p * d, 1);
    const x = rand(size(xShape), 1);
    const indices = tensor(idx, iShape, 'int32');
    const g = run('Gather', { x: tensor(x, xShape), indices }, { axis });
    const u = rand(g.values.length, 2);
    const s = run('ScatterAdd', { updates: tensor(u, g.shape), indices }, { axis, size: xShape[axis] });
    expect(s.shape).toEqual(xShape);
    expect(dot(g.values, u)).toBeCloseTo(dot(x, s.values), 5);
  });
});

describe('Transpose, Slice, Concat, Pad, OneHot', () => {
  it.each([
    ['2-D', [3, 4], [1, 0]],
    ['large 2-D (blocked)', [70, 45], [1, 0]],
    ['3-D', [2, 3, 4], [2, 0, 1]],
    ['4-D with a mergeable pair', [2, 3, 4, 5], [0, 3, 1, 2]],
    ['size-1 dims', [1, 3, 1, 2], [3, 2, 1, 0]],
    ['identity', [2, 3], [0, 1]],
  ] as [string, number[], number[]][])('transpose %s', (_name, shape, perm) => {
    const n = shape.reduce((p, d) => p * d, 1);
    const got = run('Transpose', { x: tensor(iota(n), shape, 'int32') }, { perm });
    const outShape = perm.map((p) => shape[p]);
    expect(got.shape).toEqual(outShape);
    // Reference: out[idx] = x[idx permuted back].
    const inStrides = shape.map((_, i) => shape.slice(i + 1).reduce((p, d) => p * d, 1));
    const want = iota(n).map((t) => {
      let rem = t, src = 0;
      for (let d = outShape.length - 1; d >= 0; d--) {
        src += (rem % outShape[d]) * inStrides[perm[d]];
        rem = Math.floor(rem / outShape[d]);
      }
      return src;
    });
    expect(got.values).toEqual(want);
  });

  it('slice with steps, and rank 0', () => {
    const got = run('Slice', { x: tensor(iota(24), [2, 3, 4]) }, { begin: [1, 0, 1], size: [1, 2, 2], step: [1, 2, 2] });
    expect(got).toMatchObject({ shape: [1, 2, 2], values: [13, 15, 21, 23] });
    expect(run('Slice', { x: tensor([7], []) }, { begin: [], size: [], step: [] }).values).toEqual([7]);
  });

  it('concat along a middle axis, with an empty input', () => {
    const got = run('Concat', {
      xs: [tensor(iota(4), [2, 1, 2]), tensor([], [2, 0, 2]), tensor([10, 11, 12, 13, 14, 15, 16, 17], [2, 2, 2])],
    }, { axis: 1 });
    expect(got).toMatchObject({ shape: [2, 3, 2], values: [0, 1, 10, 11, 12, 13, 2, 3, 14, 15, 16, 17] });
  });

  it('pad with a constant', () => {
    const got = run('Pad', { x: tensor([1, 2, 3, 4], [2, 2]) }, { pads: [[1, 0], [0, 2]], value: -1 });
    expect(got).toMatchObject({ shape: [3, 4], values: [-1, -1, -1, -1, 1, 2, -1, -1, 3, 4, -1, -1] });
  });

  it('oneHot ignores out-of-range and negative indices', () => {
    const got = run('OneHot', { indices: tensor([2, -1, 0, 3], [4], 'int32') }, { depth: 3, on: 5, off: 1, dtype: 'int32' });
    expect(got).toMatchObject({ shape: [4, 3], dtype: 'int32', values: [1, 1, 5, 1, 1, 1, 5, 1, 1, 1, 1, 1] });
  });
});

describe('rank-0 and size-0 tensors', () => {
  const s = (v: number) => tensor([v], []);
  it.each([
    ['Unary', () => run('Unary', { x: s(-2) }, { op: 'abs' }), [], [2]],
    ['Binary', () => run('Binary', { a: s(3), b: s(4) }, { op: 'mul', shape: [], dtype: 'float32' }), [], [12]],
    ['Where', () => run('Where', { cond: tensor([0], [], 'bool'), a: s(1), b: s(2) }, { shape: [], dtype: 'float32' }), [], [2]],
    ['Reduce', () => run('Reduce', { x: s(5) }, { op: 'mean', axes: [], keepDims: false }), [], [5]],
    ['ArgReduce', () => run('ArgReduce', { x: s(5) }, { op: 'max', axis: 0, keepDims: false }), [], [0]],
    ['Softmax', () => run('Softmax', { x: s(5) }, { axis: 0, log: false }), [], [1]],
    ['Transpose', () => run('Transpose', { x: s(5) }, { perm: [] }), [], [5]],
    ['Pad', () => run('Pad', { x: s(5) }, { pads: [], value: 0 }), [], [5]],
    ['Gather', () => run('Gather', { x: tensor([7, 8, 9], [3]), indices: tensor([-1], [], 'int32') }, { axis: 0 }), [], [9]],
    ['OneHot', () => run('OneHot', { indices: tensor([1], [], 'int32') }, { depth: 2, on: 1, off: 0, dtype: 'float32' }), [2], [0, 1]],
    ['Random', () => run('Random', {}, { dist: 'uniform', shape: [], seed: 1, offset: 0 }), [], undefined],
    ['MatMul with a 0 dim', () => run('MatMul', { a: tensor([], [0, 3]), b: tensor(iota(6), [3, 2]) }, { transposeA: false, transposeB: false }), [0, 2], []],
    ['Softmax of [0, 3]', () => run('Softmax', { x: tensor([], [0, 3]) }, { axis: 1, log: true }), [0, 3], []],
    ['ArgReduce over an empty axis', () => run('ArgReduce', { x: tensor([], [2, 0]) }, { op: 'min', axis: 1, keepDims: false }), [2], [0, 0]],
    ['Transpose of [0, 3]', () => run('Transpose', { x: tensor([], [0, 3]) }, { perm: [1, 0] }), [3, 0], []],
    ['Pool2D of an empty batch', () => run('Pool2D', { x: tensor([], [0, 2, 4, 4]) }, {
      op: 'avg', kernel: [2, 2], stride: [2, 2], pad: [0, 0, 0, 0], dilation: [1, 1], outSize: [2, 2], countIncludePad: true, indices: false,
    }), [0, 2, 2, 2], []],
  ] as [string, () => { shape: number[]; values: number[] }, number[], number[] | undefined][])('%s', (_name, f, shape, values) => {
    const got = f();
    expect(got.shape).toEqual(shape);
    if (values) expect(got.values).toEqual(values);
    else expect(got.values.length).toBe(1);
  });
});
