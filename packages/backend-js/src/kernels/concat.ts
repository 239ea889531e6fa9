// Concat: joins tensors along one axis.
import { allocate, shapeUtil } from '@tensile/core';
import type { DType, KernelImpl, TypedArray } from '@tensile/core';
import type { JsBackend } from '../backend.js';
import type { Computed } from './types.js';

/** Concatenates xs (same dtype, equal dims except `axis`) along `axis`. */
export function concatImpl(dtype: DType, xs: readonly TypedArray[], shapes: readonly (readonly number[])[], axis: number): Computed {
  const shape = shapes[0].slice();
  shape[axis] = shapes.reduce((s, sh) => s + sh[axis], 0);
  const out = allocate(dtype, shapeUtil.sizeOf(shape));
  const outer = shapeUtil.sizeOf(shape.slice(0, axis));
  // Each input contributes one contiguous chunk per outer index.
  const chunks = shapes.map((sh) => shapeUtil.sizeOf(sh.slice(axis)));
  let o = 0;
  for (let i = 0; i < outer; i++) {
    xs.forEach((x, k) => {
      const len = chunks[k];
      const src = i * len;
      if (len > 16) out.set(x.subarray(src, src + len), o);
      else for (let j = 0; j < len; j++) out[o + j] = x[src + j];
      o += len;
    });
  }
  return { values: out, shape };
}

/** The Concat kernel: `concatImpl` on the backend's buffers. */
export const concat: KernelImpl<'Concat', JsBackend> = ({ xs }, { axis }, backend) => {
  const { values, shape } = concatImpl(xs[0].dtype, xs.map((x) => backend.values(x)), xs.map((x) => x.shape), axis);
  return backend.output(values, shape, xs[0].dtype);
};
