import { describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError, liveTensors, scalar, tensor, zeros, type Tensor } from '@tensile/core';
import { TensorDataset } from './tensor_dataset.js';
import { iota, take, useBackend } from './test_utils.js';

useBackend();

describe('TensorDataset', () => {
  it('get(i) returns the i-th row of every tensor, new tensors the caller frees', () => {
    const x = tensor(iota(12), [3, 2, 2]);
    const y = tensor([7, 8, 9], [3], 'int32');
    const ds = new TensorDataset(x, y);
    expect(ds.length).toBe(3);
    const [xi, yi] = ds.get(1);
    expect(take(xi)).toEqual({ shape: [2, 2], values: [4, 5, 6, 7] });
    expect(yi.dtype).toBe('int32');
    expect(take(yi)).toEqual({ shape: [], values: [8] });
    ds.dispose();
    expect(x.isDisposed && y.isDisposed).toBe(true);
  });

  it('getItems(indices) gathers a collated batch, in the order given, repeats allowed', () => {
    const ds = new TensorDataset(tensor(iota(8), [4, 2]), tensor([10, 11, 12, 13], [4], 'int32'));
    const [xb, yb] = ds.getItems(Int32Array.of(3, 0, 3));
    expect(take(xb)).toEqual({ shape: [3, 2], values: [6, 7, 0, 1, 6, 7] });
    expect(take(yb)).toEqual({ shape: [3], values: [13, 10, 13] });
    ds.dispose();
  });

  it.each([
    ['no tensors', () => new TensorDataset(), ArgumentError, /TensorDataset: needs at least one tensor, got none/],
    ['a non-tensor', () => new TensorDataset([1, 2] as unknown as Tensor), ArgumentError, /TensorDataset: tensors\[0\] must be a Tensor, got \[1, 2\]/],
    ['a rank-0 tensor', () => new TensorDataset(scalar(1)), ShapeError, /TensorDataset: tensors\[0\] must have rank >= 1 .*got shape \[\]/],
    ['mismatched lengths', () => new TensorDataset(zeros([4, 2]), zeros([3])), ShapeError,
      /TensorDataset: tensors\[1\] has shape \[3\] but tensors\[0\] has \[4,2\]; all must have the same size along axis 0/],
  ])('rejects %s', (_name, make, type, message) => {
    const before = new Set(liveTensors());
    let err: unknown;
    try { make(); } catch (e) { err = e; }
    liveTensors().filter((t) => !before.has(t)).forEach((t) => t.dispose()); // the inputs the case made
    expect(err).toBeInstanceOf(type);
    expect((err as Error).message).toMatch(message);
  });

  it('rejects out-of-range or non-integer indices', () => {
    const t = zeros([3, 1]);
    const ds = new TensorDataset(t);
    expect(() => ds.get(3)).toThrow(ArgumentError);
    expect(() => ds.get(3)).toThrow(/TensorDataset.get: index must be an integer in \[0, 3\), got 3/);
    expect(() => ds.get(-1)).toThrow(/got -1/);
    expect(() => ds.get(0.5)).toThrow(/got 0.5/);
    expect(() => ds.getItems(Int32Array.of(0, 5))).toThrow(/TensorDataset.getItems: index must be an integer in \[0, 3\), got 5/);
    expect(() => ds.getItems([0] as unknown as Int32Array)).toThrow(/TensorDataset.getItems: indices must be an Int32Array, got \[0\]/);
    ds.dispose();
  });
});
