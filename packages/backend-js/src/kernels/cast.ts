// Cast: dtype conversion with PyTorch's rules.
import { allocate } from '@tensile/core';
import type { DType, KernelImpl, TypedArray } from '@tensile/core';
import type { JsBackend } from '../backend.js';

/**
 * Converts x to `dtype`. To bool: `x != 0` (NaN is true). Otherwise the typed-array store
 * conversion does the work: float -> int truncates toward zero (NaN -> 0) and integers wrap.
 */
export function castImpl(x: TypedArray, dtype: DType): TypedArray {
  const out = allocate(dtype, x.length);
  if (dtype === 'bool') {
    for (let i = 0; i < x.length; i++) out[i] = x[i] !== 0 ? 1 : 0;
  } else {
    out.set(x);
  }
  return out;
}

/** The Cast kernel: `castImpl` on the backend's buffers. */
export const cast: KernelImpl<'Cast', JsBackend> = ({ x }, { dtype }, backend) =>
  backend.output(castImpl(backend.values(x), dtype), x.shape.slice(), dtype);
