// The default collate function: a list of samples becomes one batch (torch's default_collate).
import { ArgumentError, ShapeError, Tensor, fmt, stack, tensor, tidy, type TensorContainer } from '@tensile/core';
import { describe } from './check.js';

/**
 * The batch type `defaultCollate` makes from samples of type T: tensors are stacked along a
 * new first axis, JS numbers and booleans become 1-D tensors, and tuples, arrays and plain
 * objects are collated field by field.
 */
export type Collated<T> = T extends Tensor ? Tensor
  : T extends number | boolean ? Tensor
    : T extends readonly unknown[] ? { -readonly [K in keyof T]: Collated<T[K]> }
      : T extends object ? { [K in keyof T]: Collated<T[K]> }
        : never;

/**
 * Collates samples into a batch: tensors of one shape are stacked into [N, ...shape]; numbers
 * become an int32 tensor when all are integers, else float32; booleans a bool tensor; arrays and
 * plain objects are collated per position or key (their structure must match).
 * @example defaultCollate([[tensor([1, 2]), 0], [tensor([3, 4]), 1]]) // [float32 [2,2], int32 [2]]
 */
export function defaultCollate<T>(samples: readonly T[]): Collated<T> {
  if (!Array.isArray(samples) || samples.length === 0) {
    throw new ArgumentError(`defaultCollate: samples must be a non-empty array, got ${describe(samples)}`);
  }
  // Under tidy, a sample that fails half-way frees the fields already stacked.
  return tidy(() => collateAt(samples, '') as TensorContainer) as Collated<T>;
}

/** `sample 3`, or `sample 3[0].image` for a field inside it. */
function at(path: string, i: number): string {
  return `sample ${i}${path}`;
}

function collateAt(values: readonly unknown[], path: string): unknown {
  const first = values[0];
  if (first instanceof Tensor) {
    values.forEach((v, i) => {
      if (!(v instanceof Tensor)) {
        throw new ArgumentError(`defaultCollate: ${at(path, i)} is ${describe(v)} but ${at(path, 0)} is a Tensor`);
      }
      if (v.shape.length !== first.shape.length || v.shape.some((d, j) => d !== first.shape[j])) {
        throw new ShapeError(`defaultCollate: ${at(path, i)} has shape ${fmt(v.shape)} but ${at(path, 0)} has ${fmt(first.shape)}; all must match`);
      }
    });
    return stack(values as Tensor[], 0);
  }
  if (typeof first === 'number' || typeof first === 'boolean') {
    values.forEach((v, i) => {
      if (typeof v !== typeof first) {
        throw new ArgumentError(`defaultCollate: ${at(path, i)} is ${describe(v)} but ${at(path, 0)} is a ${typeof first}`);
      }
    });
    if (typeof first === 'boolean') return tensor(values as boolean[], [values.length], 'bool');
    const nums = values as number[];
    return tensor(nums, [nums.length], nums.every(Number.isInteger) ? 'int32' : 'float32');
  }
  if (Array.isArray(first)) {
    values.forEach((v, i) => {
      if (!Array.isArray(v) || v.length !== first.length) {
        throw new ArgumentError(`defaultCollate: ${at(path, i)} is ${describe(v)} but ${at(path, 0)} is an array of ${first.length}`);
      }
    });
    return first.map((_, j) => collateAt(values.map((v) => (v as unknown[])[j]), `${path}[${j}]`));
  }
  if (first !== null && typeof first === 'object' && Object.getPrototypeOf(first) === Object.prototype) {
    const keys = Object.keys(first);
    values.forEach((v, i) => {
      if (v === null || typeof v !== 'object' || Object.keys(v).length !== keys.length || keys.some((k) => !(k in v))) {
        throw new ArgumentError(`defaultCollate: ${at(path, i)} does not have the keys of ${at(path, 0)} (${keys.join(', ')})`);
      }
    });
    return Object.fromEntries(keys.map((k) => [k, collateAt(values.map((v) => (v as Record<string, unknown>)[k]), `${path}.${k}`)]));
  }
  throw new ArgumentError(`defaultCollate: cannot collate ${at(path, 0)} = ${describe(first)} (expected a Tensor, number, boolean, array or plain object)`);
}
