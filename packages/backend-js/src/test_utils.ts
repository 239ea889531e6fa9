// Test helpers: tensors in and plain arrays out, through a real backend object.
import type { DType, KernelAttrs, KernelInputs, KernelName, TensorInfo } from '@tensile/core';
import { allocate } from '@tensile/core';
import { createJsBackend } from './backend.js';

export const backend = createJsBackend();

/** Uploads values as a tensor of `shape` and `dtype`. */
export function tensor(values: ArrayLike<number>, shape: number[], dtype: DType = 'float32'): TensorInfo {
  const v = allocate(dtype, values.length);
  v.set(values);
  return { id: backend.write(v, shape, dtype), shape, dtype };
}

/** Runs kernel `name` and returns its output's values, shape and dtype. */
export function run<K extends KernelName>(name: K, inputs: KernelInputs<K>, attrs: KernelAttrs<K>) {
  const out = (backend.kernels[name] as (i: KernelInputs<K>, a: KernelAttrs<K>, b: typeof backend) => TensorInfo)(inputs, attrs, backend);
  const values = Array.from(backend.readSync(out.id));
  backend.dispose(out.id);
  return { values, shape: out.shape, dtype: out.dtype };
}

/** Deterministic pseudo-random floats in [-1, 1). */
export function rand(n: number, seed = 1): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** Sum of a[i] * b[i] in double. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Largest |a[i] - b[i]|. */
export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return a.length === b.length ? m : Infinity;
}
