// The Dataset interface (PyTorch's map-style dataset): a length and an indexed getter.
import { ArgumentError } from '@tensile/core';
import type { Collated } from './collate.js';
import { describe } from './check.js';

/**
 * A map-style dataset: `length` samples, `get(i)` returns sample i (or a promise of it, for
 * datasets that read files or decode lazily). Tensors in a sample are new and belong to the
 * caller (the DataLoader frees them once collated into a batch).
 *
 * `getItems(indices)`, when present, returns the already-collated batch of those samples in
 * one go (PyTorch's `__getitems__`); the DataLoader uses it when no custom `collate` is given.
 * @example const squares: Dataset<number> = { length: 10, get: (i) => i * i };
 */
export interface Dataset<T> {
  readonly length: number;
  get(index: number): T | Promise<T>;
  getItems?(indices: Int32Array): Collated<T>;
}

/** Checks that `dataset` looks like a Dataset (an integer length and a get method). */
export function checkDataset(fn: string, dataset: unknown): void {
  const d = dataset as Partial<Dataset<unknown>> | null;
  if (d === null || typeof d !== 'object' || typeof d.get !== 'function') {
    throw new ArgumentError(`${fn}: dataset must be an object with a length and a get(index) method, got ${describe(dataset)}`);
  }
  if (typeof d.length !== 'number' || !Number.isInteger(d.length) || d.length < 0) {
    throw new ArgumentError(`${fn}: dataset.length must be a non-negative integer, got ${describe(d.length)}`);
  }
}
