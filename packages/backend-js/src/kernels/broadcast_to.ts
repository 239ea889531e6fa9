// BroadcastTo: repeats x along its broadcast dims (numpy rules).
import { allocate, shapeUtil } from '@tensile/core';
import type { DType, KernelImpl, TypedArray } from '@tensile/core';
import type { JsBackend } from '../backend.js';
import { broadcastPlan, forEachRow } from './broadcast.js';
import type { Computed } from './types.js';

/** x (of xShape) repeated to `shape`; rows are copied whole where x is contiguous along them. */
export function broadcastToImpl(dtype: DType, x: TypedArray, xShape: readonly number[], shape: number[]): Computed {
  const out = allocate(dtype, shapeUtil.sizeOf(shape));
  if (out.length === 0) return { values: out, shape };
  const plan = broadcastPlan(shape, [xShape]);
  const inner = plan.shape[plan.shape.length - 1];
  const step = plan.strides[0][plan.strides[0].length - 1];
  forEachRow(plan, (o, [ix]) => {
    if (step === 1) out.set(x.subarray(ix, ix + inner), o);
    else out.fill(x[ix], o, o + inner);
  });
  return { values: out, shape };
}

/** The BroadcastTo kernel: `broadcastToImpl` on the backend's buffers. */
export const broadcastTo: KernelImpl<'BroadcastTo', JsBackend> = ({ x }, { shape }, backend) => {
  return backend.output(broadcastToImpl(x.dtype, backend.values(x), x.shape, shape).values, shape, x.dtype);
};
