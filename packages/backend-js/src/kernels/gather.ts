// Gather: picks slices along one axis by index.
import { allocate, shapeUtil } from '@tensile/core';
import type { DType, KernelImpl, TypedArray } from '@tensile/core';
import type { JsBackend } from '../backend.js';
import type { Computed } from './types.js';

/**
 * out = x.shape[:axis] + indices.shape + x.shape[axis+1:]; negative indices count from the
 * end and indices still out of range give zeros.
 */
export function gatherImpl(
  dtype: DType, x: TypedArray, shape: readonly number[], indices: TypedArray, indicesShape: readonly number[], axis: number,
): Computed {
  const outShape = [...shape.slice(0, axis), ...indicesShape, ...shape.slice(axis + 1)];
  const out = allocate(dtype, shapeUtil.sizeOf(outShape));
  const outer = shapeUtil.sizeOf(shape.slice(0, axis));
  const len = shape[axis];
  const inner = shapeUtil.sizeOf(shape.slice(axis + 1));
  const m = indices.length;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      let k = indices[j];
      if (k < 0) k += len;
      if (!(k >= 0 && k < len)) continue; // stays zero
      const src = (o * len + k) * inner;
      const dst = (o * m + j) * inner;
      if (inner > 16) out.set(x.subarray(src, src + inner), dst);
      else for (let i = 0; i < inner; i++) out[dst + i] = x[src + i];
    }
  }
  return { values: out, shape: outShape };
}

/** The Gather kernel: `gatherImpl` on the backend's buffers. */
export const gather: KernelImpl<'Gather', JsBackend> = ({ x, indices }, { axis }, backend) => {
  const { values, shape } = gatherImpl(x.dtype, backend.values(x), x.shape, backend.values(indices), indices.shape, axis);
  return backend.output(values, shape, x.dtype);
};
