// Small shared types of the kernel implementations.
import type { TypedArray } from '@tensile/core';

/** A kernel's result before it becomes a tensor: values and their shape. */
export interface Computed<T extends TypedArray = TypedArray> {
  values: T;
  shape: number[];
}
