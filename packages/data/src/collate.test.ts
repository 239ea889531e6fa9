import { describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError, memory, tensor, type Tensor } from '@tensile/core';
import { defaultCollate } from './collate.js';
import { take, useBackend } from './test_utils.js';

useBackend();

describe('defaultCollate', () => {
  it('stacks tensors along a new first axis', () => {
    const samples = [tensor([1, 2]), tensor([3, 4]), tensor([5, 6])];
    expect(take(defaultCollate(samples))).toEqual({ shape: [3, 2], values: [1, 2, 3, 4, 5, 6] });
    samples.forEach((t) => t.dispose());
  });

  it.each([
    ['integers -> int32', [3, 0, 7], 'int32', [3, 0, 7]],
    ['any fraction -> float32', [1, 0.5], 'float32', [1, 0.5]],
    ['booleans -> bool', [true, false], 'bool', [1, 0]],
  ] as [string, (number | boolean)[], string, number[]][])('JS scalars: %s', (_name, samples, dtype, values) => {
    const t = defaultCollate(samples);
    expect(t.dtype).toBe(dtype);
    expect(take(t)).toEqual({ shape: [samples.length], values });
  });

  it('collates tuples and plain objects field by field', () => {
    const a = tensor([1, 2]), b = tensor([3, 4]);
    const [x, y] = defaultCollate([[a, 0], [b, 1]] as [Tensor, number][]);
    expect(take(x)).toEqual({ shape: [2, 2], values: [1, 2, 3, 4] });
    expect(y.dtype).toBe('int32');
    expect(take(y)).toEqual({ shape: [2], values: [0, 1] });
    const batch = defaultCollate([{ image: a, meta: { id: 4 } }, { image: b, meta: { id: 5 } }]);
    expect(take(batch.image).shape).toEqual([2, 2]);
    expect(take(batch.meta.id)).toEqual({ shape: [2], values: [4, 5] });
    [a, b].forEach((t) => t.dispose());
  });

  it.each([
    ['shapes that differ', () => [[tensor([1, 2]), 0], [tensor([1, 2, 3]), 1]], ShapeError,
      /defaultCollate: sample 1\[0\] has shape \[3\] but sample 0\[0\] has \[2\]; all must match/],
    ['a tensor and a number', () => [[tensor([1]), 0], [2, 1]], ArgumentError, /defaultCollate: sample 1\[0\] is 2 but sample 0\[0\] is a Tensor/],
    ['tuples of different lengths', () => [[1, 2], [1]], ArgumentError, /defaultCollate: sample 1 is \[1\] but sample 0 is an array of 2/],
    ['objects with different keys', () => [{ a: 1 }, { b: 1 }], ArgumentError, /defaultCollate: sample 1 does not have the keys of sample 0 \(a\)/],
    ['strings', () => [['a'], ['b']], ArgumentError, /defaultCollate: cannot collate sample 0\[0\] = "a"/],
    ['no samples', () => [], ArgumentError, /defaultCollate: samples must be a non-empty array, got \[\]/],
  ] as [string, () => unknown[], typeof ArgumentError, RegExp][])('rejects %s, freeing what it stacked', (_name, make, type, message) => {
    const samples = make();
    const before = memory().tensors;
    let err: unknown;
    try { defaultCollate(samples); } catch (e) { err = e; }
    expect(memory().tensors).toBe(before);
    expect(err).toBeInstanceOf(type);
    expect((err as Error).message).toMatch(message);
    for (const s of samples) for (const v of Array.isArray(s) ? s : [s]) if (v && typeof v === 'object' && 'dispose' in v) (v as Tensor).dispose();
  });
});
