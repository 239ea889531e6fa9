// Pad: constant padding, [before, after] per axis.
import { allocate, shapeUtil } from '@tensile/core';
import type { DType, KernelImpl, TypedArray } from '@tensile/core';
import type { JsBackend } from '../backend.js';
import type { Computed } from './types.js';

/** Surrounds x with `value` (a bool fill is `value != 0`). */
export function padImpl(dtype: DType, x: TypedArray, shape: readonly number[], pads: readonly (readonly [number, number])[], value: number): Computed {
  const outShape = shape.map((d, i) => pads[i][0] + d + pads[i][1]);
  const out = allocate(dtype, shapeUtil.sizeOf(outShape));
  out.fill(dtype === 'bool' ? (value !== 0 ? 1 : 0) : value);
  const r = shape.length;
  if (x.length === 0) return { values: out, shape: outShape };
  if (r === 0) {
    out[0] = x[0];
    return { values: out, shape: outShape };
  }
  // Copy x row by row (its last dim) to where it lands in the output.
  const outStrides = shapeUtil.stridesOf(outShape);
  const inner = shape[r - 1];
  const idx = new Array<number>(r).fill(0);
  let dst = 0;
  for (let d = 0; d < r; d++) dst += pads[d][0] * outStrides[d];
  for (let src = 0; src < x.length; src += inner) {
    out.set(x.subarray(src, src + inner), dst);
    for (let d = r - 2; d >= 0; d--) {
      dst += outStrides[d];
      if (++idx[d] < shape[d]) break;
      dst -= outStrides[d] * shape[d];
      idx[d] = 0;
    }
  }
  return { values: out, shape: outShape };
}

/** The Pad kernel: `padImpl` on the backend's buffers. */
export const pad: KernelImpl<'Pad', JsBackend> = ({ x }, { pads, value }, backend) => {
  const { values, shape } = padImpl(x.dtype, backend.values(x), x.shape, pads, value);
  return backend.output(values, shape, x.dtype);
};
