// OneHot: indices -> indices.shape + [depth].
import { allocate } from '@tensile/core';
import type { DType, KernelImpl, TypedArray } from '@tensile/core';
import type { JsBackend } from '../backend.js';

/** `on` at each index's position and `off` elsewhere; out-of-range (and negative) indices give all `off`. */
export function oneHotImpl(indices: TypedArray, depth: number, on: number, off: number, dtype: DType): TypedArray {
  const out = allocate(dtype, indices.length * depth);
  out.fill(off);
  for (let j = 0; j < indices.length; j++) {
    const k = indices[j];
    if (k >= 0 && k < depth) out[j * depth + k] = on;
  }
  return out;
}

/** The OneHot kernel: `oneHotImpl` on the backend's buffers. */
export const oneHot: KernelImpl<'OneHot', JsBackend> = ({ indices }, { depth, on, off, dtype }, backend) =>
  backend.output(oneHotImpl(backend.values(indices), depth, on, off, dtype), [...indices.shape, depth], dtype);
