// ScatterAdd: the adjoint of Gather.
import { allocate, shapeUtil } from '@tensile/core';
import type { DType, KernelImpl, TypedArray } from '@tensile/core';
import type { JsBackend } from '../backend.js';
import type { Computed } from './types.js';

/**
 * Zeros of shape updates.shape[:axis] + [size] + rest, with each update slice added at its
 * index (negative indices wrap; out-of-range ones are dropped), where rest is what follows
 * indices' dims in updates.
 */
export function scatterAddImpl(
  dtype: DType, updates: TypedArray, updatesShape: readonly number[], indices: TypedArray, indicesShape: readonly number[],
  axis: number, size: number,
): Computed {
  const rest = updatesShape.slice(axis + indicesShape.length);
  const outShape = [...updatesShape.slice(0, axis), size, ...rest];
  const out = allocate(dtype, shapeUtil.sizeOf(outShape));
  const outer = shapeUtil.sizeOf(updatesShape.slice(0, axis));
  const inner = shapeUtil.sizeOf(rest);
  const m = indices.length;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      let k = indices[j];
      if (k < 0) k += size;
      if (!(k >= 0 && k < size)) continue;
      const src = (o * m + j) * inner;
      const dst = (o * size + k) * inner;
      for (let i = 0; i < inner; i++) out[dst + i] += updates[src + i];
    }
  }
  return { values: out, shape: outShape };
}

/** The ScatterAdd kernel: `scatterAddImpl` on the backend's buffers. */
export const scatterAdd: KernelImpl<'ScatterAdd', JsBackend> = ({ updates, indices }, { axis, size }, backend) => {
  const { values, shape } = scatterAddImpl(
    updates.dtype, backend.values(updates), updates.shape, backend.values(indices), indices.shape, axis, size,
  );
  return backend.output(values, shape, updates.dtype);
};
