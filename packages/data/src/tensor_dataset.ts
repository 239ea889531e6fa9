// TensorDataset: samples are the rows (index along axis 0) of one or more tensors.
import { ArgumentError, ShapeError, Tensor, dispose, fmt, gather, reshape, slice, tensor, tidy } from '@tensile/core';
import type { Dataset } from './dataset.js';
import type { Collated } from './collate.js';
import { describe } from './check.js';

/**
 * Wraps tensors that share their first dimension (torch.utils.data.TensorDataset): sample i
 * is the tuple of their i-th rows. The tensors stay the caller's; `dispose()` frees them.
 * @example const ds = new TensorDataset(images, labels); const [x, y] = ds.get(0);
 */
export class TensorDataset<T extends Tensor[] = Tensor[]> implements Dataset<T> {
  readonly tensors: T;
  readonly length: number;

  constructor(...tensors: T) {
    if (tensors.length === 0) throw new ArgumentError('TensorDataset: needs at least one tensor, got none');
    tensors.forEach((t, i) => {
      if (!(t instanceof Tensor)) throw new ArgumentError(`TensorDataset: tensors[${i}] must be a Tensor, got ${describe(t)}`);
      if (t.isDisposed) throw new ArgumentError(`TensorDataset: tensors[${i}] is disposed`);
      if (t.rank === 0) throw new ShapeError(`TensorDataset: tensors[${i}] must have rank >= 1 (samples along axis 0), got shape ${fmt(t.shape)}`);
    });
    const n = tensors[0]!.shape[0]!;
    tensors.forEach((t, i) => {
      if (t.shape[0] !== n) {
        throw new ShapeError(`TensorDataset: tensors[${i}] has shape ${fmt(t.shape)} but tensors[0] has ${fmt(tensors[0]!.shape)}; all must have the same size along axis 0`);
      }
    });
    this.tensors = tensors;
    this.length = n;
  }

  /**
   * Sample `index`: the index-th row of every tensor (new tensors, the caller's to free).
   * @example const [x, y] = ds.get(3); // x: [1, 28, 28], y: []
   */
  get(index: number): T {
    this.checkIndex('TensorDataset.get', index);
    return tidy(() => this.tensors.map((t) => reshape(slice(t, index, index + 1), t.shape.slice(1)))) as T;
  }

  /**
   * The batch of samples `indices`, already collated: each tensor gathered along axis 0.
   * @example const [x, y] = ds.getItems(Int32Array.of(0, 5, 7)); // x: [3, ...], y: [3]
   */
  getItems(indices: Int32Array): Collated<T> {
    if (!(indices instanceof Int32Array)) throw new ArgumentError(`TensorDataset.getItems: indices must be an Int32Array, got ${describe(indices)}`);
    for (const i of indices) this.checkIndex('TensorDataset.getItems', i);
    return tidy(() => {
      const idx = tensor(indices, [indices.length], 'int32');
      return this.tensors.map((t) => gather(t, idx, 0));
    }) as Collated<T>;
  }

  /**
   * Frees the tensors this dataset holds.
   * @example const { train, test } = await loadFashionMnist(); ...; train.dispose(); test.dispose();
   */
  dispose(): void {
    dispose(this.tensors);
  }

  private checkIndex(fn: string, index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) {
      throw new ArgumentError(`${fn}: index must be an integer in [0, ${this.length}), got ${describe(index)}`);
    }
  }
}
