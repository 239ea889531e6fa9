// Turning decoded image and label arrays into the tensors the loaders return.
import { ArgumentError, Tensor, cast, tensor, tidy } from '@tensile/core';
import { checkInt, describe } from './check.js';
import type { TensorDataset } from './tensor_dataset.js';

export interface ImageDatasetOptions {
  /** Keep only the first `trainSize` training samples (default: all). */
  trainSize?: number;
  /** Keep only the first `testSize` test samples (default: all). */
  testSize?: number;
}

/** A training and a test set of images (float32 [N, 1, 28, 28] in [0, 1]) and labels (int32 [N]). */
export interface ImageSplits {
  train: TensorDataset<[Tensor, Tensor]>;
  test: TensorDataset<[Tensor, Tensor]>;
}

/**
 * uint8 pixels -> float32 [n, 1, h, w] in [0, 1] (x / 255, as torchvision's ToTensor). The
 * upload is the uint8 bytes; the conversion runs on the active backend.
 */
export function imagesToTensor(pixels: Uint8Array, n: number, h: number, w: number): Tensor {
  return tidy(() => cast(tensor(pixels.subarray(0, n * h * w), [n, 1, h, w], 'uint8'), 'float32').div(255));
}

/** Integer labels -> int32 [n]. */
export function labelsToTensor(labels: ArrayLike<number>, n: number): Tensor {
  return tensor(Int32Array.from({ length: n }, (_, i) => labels[i]!), [n], 'int32');
}

/** How many samples to keep: `size` (the first N) checked against `available`, or all. */
export function subsetSize(fn: string, arg: string, size: unknown, available: number): number {
  if (size === undefined) return available;
  const n = checkInt(fn, arg, size, 0);
  if (n > available) throw new ArgumentError(`${fn}: ${arg} must be at most ${available} (the samples there are), got ${describe(size)}`);
  return n;
}
