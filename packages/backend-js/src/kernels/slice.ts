// Slice: strided windows, out[i] = x[begin + i * step] per axis.
import { allocate, shapeUtil } from '@tensile/core';
import type { DType, KernelImpl, TypedArray } from '@tensile/core';
import type { JsBackend } from '../backend.js';

/** Extracts the `size` window starting at `begin` with `step` along each axis. */
export function sliceImpl(
  dtype: DType, x: TypedArray, shape: readonly number[], begin: readonly number[], size: readonly number[], step: readonly number[],
): TypedArray {
  const out = allocate(dtype, shapeUtil.sizeOf(size));
  const r = shape.length;
  if (out.length === 0) return out;
  if (r === 0) {
    out[0] = x[0];
    return out;
  }
  const strides = shapeUtil.stridesOf(shape);
  const inner = size[r - 1];
  const innerStep = step[r - 1] * strides[r - 1];
  const idx = new Array<number>(r).fill(0);
  let src = 0;
  for (let d = 0; d < r; d++) src += begin[d] * strides[d];
  for (let o = 0; o < out.length; o += inner) {
    if (innerStep === 1) out.set(x.subarray(src, src + inner), o);
    else {
      for (let i = 0, s = src; i < inner; i++) {
        out[o + i] = x[s];
        s += innerStep;
      }
    }
    for (let d = r - 2; d >= 0; d--) {
      src += step[d] * strides[d];
      if (++idx[d] < size[d]) break;
      src -= step[d] * strides[d] * size[d];
      idx[d] = 0;
    }
  }
  return out;
}

/** The Slice kernel: `sliceImpl` on the backend's buffers. */
export const slice: KernelImpl<'Slice', JsBackend> = ({ x }, { begin, size, step }, backend) =>
  backend.output(sliceImpl(x.dtype, backend.values(x), x.shape, begin, size, step), size.slice(), x.dtype);
