import { describe, expect, it } from 'vitest';
import { promoteTypes, scalarDType, type DType } from '../src/dtype.js';
import { broadcastShapes, coalescePermutation, normalizeAxes, windowOutSize } from '../src/util/shape.js';
import { ShapeError } from '../src/errors.js';

describe('dtype promotion (PyTorch categories)', () => {
  const cases: [DType, DType, DType][] = [
    ['int32', 'float32', 'float32'], ['bool', 'int32', 'int32'], ['bool', 'float32', 'float32'],
    ['int8', 'uint8', 'int32'], ['uint8', 'float32', 'float32'], ['bool', 'bool', 'bool'],
  ];
  it.each(cases)('%s + %s -> %s', (a, b, out) => {
    expect(promoteTypes(a, b)).toBe(out);
    expect(promoteTypes(b, a)).toBe(out);
  });
  it('JS scalars are weakly typed', () => {
    expect(scalarDType(2, 'int32')).toBe('int32');
    expect(scalarDType(2.5, 'int32')).toBe('float32');
    expect(scalarDType(2, 'bool')).toBe('int32');
    expect(scalarDType(true, 'float32')).toBe('float32');
  });
});

describe('shape arithmetic', () => {
  it('broadcasts like numpy', () => {
    expect(broadcastShapes('add', [2, 1, 3], [4, 1])).toEqual([2, 4, 3]);
    expect(broadcastShapes('add', [], [5])).toEqual([5]);
    expect(broadcastShapes('add', [0, 1], [1, 3])).toEqual([0, 3]);
    expect(() => broadcastShapes('add', [2, 3], [4])).toThrow(ShapeError);
    expect(() => broadcastShapes('add', [2, 3], [4])).toThrow(/add: a \[2,3\] and b \[4\] cannot be broadcast/);
  });
  it('normalizes Python-style axes', () => {
    expect(normalizeAxes('sum', [-1, 0], 3)).toEqual([0, 2]);
    expect(() => normalizeAxes('sum', [3], 3)).toThrow(/sum: axes 3 is out of range/);
    expect(() => normalizeAxes('sum', [1, -1], 2)).toThrow(/repeated/);
  });
  it('computes window output sizes (floor and ceil modes)', () => {
    expect(windowOutSize(28, 5, 1, 4, 1)).toBe(28);
    expect(windowOutSize(5, 2, 2, 0, 1)).toBe(2);
    expect(windowOutSize(5, 2, 2, 0, 1, true)).toBe(3);
    expect(windowOutSize(7, 3, 1, 0, 2)).toBe(3);
  });
});

describe('coalescePermutation (worked by hand)', () => {
  it.each([
    ['identity collapses to one dim', [2, 3, 4], [0, 1, 2], { shape: [24], perm: [0] }],
    ['a 2-D transpose stays', [2, 3], [1, 0], { shape: [2, 3], perm: [1, 0] }],
    ['dims 1, 2 move together: [2, 12] transposed', [2, 3, 4], [1, 2, 0], { shape: [2, 12], perm: [1, 0] }],
    ['NCHW -> NHWC is a batch of [C, HW] transposes', [5, 3, 4, 4], [0, 2, 3, 1], { shape: [5, 3, 16], perm: [0, 2, 1] }],
    ['size-1 dims drop out', [1, 3, 1, 4], [3, 2, 1, 0], { shape: [3, 4], perm: [1, 0] }],
    ['all size 1: a scalar problem', [1, 1], [1, 0], { shape: [], perm: [] }],
    ['dims 0, 1 move together: [6, 4] transposed', [2, 3, 4], [2, 0, 1], { shape: [6, 4], perm: [1, 0] }],
  ] as const)('%s', (_name, shape, perm, want) => {
    expect(coalescePermutation(shape, perm)).toEqual(want);
  });
});
