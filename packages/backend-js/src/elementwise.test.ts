import { shapeUtil, type BinaryOp, type DType, type UnaryOp } from '@tensile/core';
import { describe, expect, it } from 'vitest';
import { binaryOutDType } from './kernels/binary.js';
import { run, tensor } from './test_utils.js';

// Core passes the output's shape and dtype; the tests compute them the way core does.
const binary = (op: BinaryOp, a: number[], b: number[], dtype: DType = 'float32', aShape = [a.length], bShape = [b.length]) =>
  run('Binary', { a: tensor(a, aShape, dtype), b: tensor(b, bShape, dtype) },
    { op, shape: shapeUtil.broadcastShapes(op, aShape, bShape), dtype: binaryOutDType(op, dtype) });
const unary = (op: UnaryOp, x: number[], dtype: DType = 'float32', alpha?: number) =>
  run('Unary', { x: tensor(x, [x.length], dtype) }, { op, alpha });

describe('Binary', () => {
  const table: [BinaryOp, DType, number[], number[], number[]][] = [
    // Python semantics: floor division rounds toward -inf, mod takes the divisor's sign.
    ['floorDiv', 'int32', [7, -7, 7, -7, 5], [2, 2, -2, -2, 0], [3, -4, -4, 3, 0]],
    ['mod', 'int32', [7, -7, 7, -7, 5], [2, 2, -2, -2, 0], [1, 1, -1, -1, 0]],
    ['floorDiv', 'float32', [7, -7, 7, -7, 1], [2, 2, -2, -2, 0], [3, -4, -4, 3, Infinity]],
    ['mod', 'float32', [7.5, -7.5, 7.5, -7.5, 5], [2, 2, -2, -2, Infinity], [1.5, 0.5, -0.5, -1.5, 5]],
    ['mul', 'int32', [65536, -3], [65536, 5], [0, -15]],
    ['add', 'int32', [2147483647], [1], [-2147483648]],
    ['pow', 'int32', [2, 3, -1, 1, 2, 0], [10, 0, -3, -5, -1, 3], [1024, 1, -1, 1, 0, 0]],
    ['pow', 'float32', [1, 2, -1, 4], [NaN, -1, Infinity, 0.5], [1, 0.5, 1, 2]],
    ['maximum', 'float32', [1, NaN, 3], [2, 0, NaN], [2, NaN, NaN]],
    ['minimum', 'float32', [1, NaN, 3], [2, 0, NaN], [1, NaN, NaN]],
    ['less', 'float32', [1, 2, NaN], [2, 2, 0], [1, 0, 0]],
    ['notEqual', 'float32', [1, NaN], [1, NaN], [0, 1]],
    ['logicalXor', 'bool', [1, 1, 0, 0], [1, 0, 1, 0], [0, 1, 1, 0]],
    ['add', 'bool', [1, 1, 0], [1, 0, 0], [1, 1, 0]],
  ];
  it.each(table)('%s (%s)', (op, dtype, a, b, want) => {
    const got = binary(op, a, b, dtype);
    expect(got.values).toEqual(want);
  });

  it('comparisons give bool', () => {
    expect(binary('greaterEqual', [1, 2], [2, 2]).dtype).toBe('bool');
  });

  it.each([
    ['equal shapes', [2, 3], [2, 3]],
    ['scalar b', [2, 3], []],
    ['scalar a', [], [2, 3]],
    ['row', [2, 3], [3]],
    ['column', [2, 1], [1, 3]],
    ['channel bias', [2, 3, 2, 2], [1, 3, 1, 1]],
    ['size 0', [0, 3], [3]],
  ])('broadcasts %s', (_name, aShape, bShape) => {
    const size = (s: number[]) => s.reduce((p, d) => p * d, 1);
    const a = Array.from({ length: size(aShape) }, (_, i) => i);
    const b = Array.from({ length: size(bShape) }, (_, i) => 100 * (i + 1));
    const got = binary('add', a, b, 'float32', aShape, bShape);
    // Reference: index arithmetic from the broadcast output shape.
    const rank = Math.max(aShape.length, bShape.length);
    const pad = (s: number[]) => [...Array(rank - s.length).fill(1), ...s];
    const pa = pad(aShape), pb = pad(bShape);
    const out = pa.map((d, i) => (d === 1 ? pb[i] : d));
    const want: number[] = [];
    for (let t = 0; t < size(out); t++) {
      let rem = t, ia = 0, ib = 0, sa = 1, sb = 1;
      for (let d = rank - 1; d >= 0; d--) {
        const i = rem % out[d];
        rem = Math.floor(rem / out[d]);
        if (pa[d] !== 1) ia += i * sa;
        if (pb[d] !== 1) ib += i * sb;
        sa *= pa[d];
        sb *= pb[d];
      }
      want.push(a[ia] + b[ib]);
    }
    expect(got.shape).toEqual(out);
    expect(got.values).toEqual(want);
  });
});

describe('Unary', () => {
  it('round is half to even', () => {
    expect(unary('round', [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, -2.6]).values).toEqual([0, 2, 2, -0, -2, -2, 2, -3]);
  });

  it('erf matches known values', () => {
    const x = [0.5, 1, 2, -3, 0, 1e-4, 7];
    const want = [0.5204998778130465, 0.8427007929497149, 0.9953222650189527, -0.9999779095030014, 0, 1.1283791633342519e-4, 1];
    unary('erf', x).values.forEach((v, i) => expect(v).toBeCloseTo(want[i], 7));
  });

  it('sigmoid and softplus stay finite for large |x|', () => {
    expect(unary('sigmoid', [-1000, 0, 1000]).values).toEqual([0, 0.5, 1]);
    const sp = unary('softplus', [-1000, 0, 1000]).values;
    expect(sp[0]).toBe(0);
    expect(sp[1]).toBeCloseTo(Math.LN2, 6);
    expect(sp[2]).toBe(1000);
  });

  it.each([
    ['relu', [-1, 2, NaN, -Infinity, Infinity, -0], [0, 2, NaN, 0, Infinity, 0]],
    ['leakyRelu', [-1, 2], [-0.01, 2]],
    ['elu', [-1, 2], [Math.expm1(-1), 2]],
    ['sign (NaN -> 0, as PyTorch)', [-3, 0, 2, NaN], [-1, 0, 1, 0]],
    ['isNaN', [1, NaN, Infinity], [0, 1, 0]],
    ['isInf', [1, NaN, -Infinity], [0, 0, 1]],
    ['logicalNot', [0, 2, NaN], [1, 0, 0]],
  ] as [string, number[], number[]][])('%s', (name, x, want) => {
    const op = name.split(' ')[0] as UnaryOp;
    const round6 = (v: number) => Math.round(v * 1e6) / 1e6; // keeps NaN, which toEqual matches
    expect(unary(op, x).values.map(round6)).toEqual(want.map(round6));
  });

  it('int32 square wraps', () => {
    expect(unary('square', [65536, -3], 'int32').values).toEqual([0, 9]);
  });
});

describe('scalar operands, Fill and BroadcastTo', () => {
  it('a scalar operand acts as a rank-0 tensor of the operands\' dtype', () => {
    const x = tensor([1, -7, 9], [3], 'int32');
    expect(run('Binary', { a: x, b: 2 }, { op: 'floorDiv', shape: [3], dtype: 'int32' }).values).toEqual([0, -4, 4]);
    expect(run('Binary', { a: 10, b: x }, { op: 'sub', shape: [3], dtype: 'int32' }).values).toEqual([9, 17, 1]);
    expect(run('Binary', { a: x, b: 1 }, { op: 'greater', shape: [3], dtype: 'bool' })).toMatchObject({ dtype: 'bool', values: [0, 0, 1] });
  });

  it('where takes scalars for either branch', () => {
    const cond = tensor([1, 0, 1], [3], 'bool');
    expect(run('Where', { cond, a: 5, b: tensor([1, 2, 3], [3]) }, { shape: [3], dtype: 'float32' }).values).toEqual([5, 2, 5]);
    expect(run('Where', { cond, a: 1, b: 0 }, { shape: [3], dtype: 'int32' })).toMatchObject({ dtype: 'int32', values: [1, 0, 1] });
  });

  it('fill makes a constant of any dtype and shape', () => {
    expect(run('Fill', {}, { shape: [2, 2], dtype: 'float32', value: 1.5 })).toMatchObject({ shape: [2, 2], values: [1.5, 1.5, 1.5, 1.5] });
    expect(run('Fill', {}, { shape: [0, 3], dtype: 'int32', value: 4 })).toMatchObject({ shape: [0, 3], values: [] });
    expect(run('Fill', {}, { shape: [], dtype: 'bool', value: 1 })).toMatchObject({ shape: [], dtype: 'bool', values: [1] });
  });

  it('broadcastTo repeats rows, columns and scalars', () => {
    expect(run('BroadcastTo', { x: tensor([1, 2, 3], [3]) }, { shape: [2, 3] }).values).toEqual([1, 2, 3, 1, 2, 3]);
    expect(run('BroadcastTo', { x: tensor([1, 2], [2, 1]) }, { shape: [2, 3] }).values).toEqual([1, 1, 1, 2, 2, 2]);
    expect(run('BroadcastTo', { x: tensor([7], []) }, { shape: [2, 2] }).values).toEqual([7, 7, 7, 7]);
    expect(run('BroadcastTo', { x: tensor([1, 2], [1, 2, 1]) }, { shape: [2, 2, 2] }).values).toEqual([1, 1, 2, 2, 1, 1, 2, 2]);
  });
});

describe('Where and Cast', () => {
  it('where broadcasts cond, a and b', () => {
    const got = run('Where', {
      cond: tensor([1, 0], [2, 1], 'bool'), a: tensor([1, 2, 3], [3]), b: tensor([-1], []),
    }, { shape: [2, 3], dtype: 'float32' });
    expect(got.shape).toEqual([2, 3]);
    expect(got.values).toEqual([1, 2, 3, -1, -1, -1]);
  });

  it('cast truncates toward zero and treats NaN as true', () => {
    const x = tensor([1.7, -1.7, NaN, 0, -0.2], [5]);
    expect(run('Cast', { x }, { dtype: 'int32' }).values).toEqual([1, -1, 0, 0, 0]);
    expect(run('Cast', { x }, { dtype: 'bool' }).values).toEqual([1, 1, 1, 0, 1]);
  });
});
