// Fill: a constant tensor, made without any host-side input buffer.
import { allocate, shapeUtil } from '@tensile/core';
import type { KernelImpl } from '@tensile/core';
import type { JsBackend } from '../backend.js';

/** The Fill kernel: `shape` elements of `dtype`, each `value`. */
export const fill: KernelImpl<'Fill', JsBackend> = (_inputs, { shape, dtype, value }, backend) => {
  const out = allocate(dtype, shapeUtil.sizeOf(shape));
  if (value !== 0) out.fill(value);
  return backend.output(out, shape, dtype);
};
