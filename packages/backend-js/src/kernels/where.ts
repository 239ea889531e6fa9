// Where: out = cond ? a : b with numpy broadcasting over all three operands.
import { allocate, shapeUtil } from '@tensile/core';
import type { DType, KernelImpl, TypedArray } from '@tensile/core';
import type { JsBackend } from '../backend.js';
import { broadcastPlan, forEachRow } from './broadcast.js';
import { operand } from './binary.js';
import type { Computed } from './types.js';

/** Selects a where cond is non-zero, else b; a and b share `dtype`. */
export function whereImpl(
  dtype: DType, cond: TypedArray, condShape: readonly number[],
  a: TypedArray, aShape: readonly number[], b: TypedArray, bShape: readonly number[],
  shape: number[] = shapeUtil.broadcastShapes('where', shapeUtil.broadcastShapes('where', condShape, aShape), bShape),
): Computed {
  const out = allocate(dtype, shapeUtil.sizeOf(shape));
  const n = out.length;
  if (cond.length === n && a.length === n && b.length === n) {
    for (let i = 0; i < n; i++) out[i] = cond[i] !== 0 ? a[i] : b[i];
    return { values: out, shape };
  }
  const plan = broadcastPlan(shape, [condShape, aShape, bShape]);
  const inner = plan.shape[plan.shape.length - 1];
  const [sc, sa, sb] = plan.strides.map((s) => s[s.length - 1]);
  forEachRow(plan, (o, [ic, ia, ib]) => {
    for (let i = 0; i < inner; i++) {
      out[o + i] = cond[ic] !== 0 ? a[ia] : b[ib];
      ic += sc;
      ia += sa;
      ib += sb;
    }
  });
  return { values: out, shape };
}

/** The Where kernel: `whereImpl` on the backend's buffers. */
export const where: KernelImpl<'Where', JsBackend> = ({ cond, a, b }, { shape, dtype }, backend) => {
  const [av, as] = operand(a, dtype, backend);
  const [bv, bs] = operand(b, dtype, backend);
  return backend.output(whereImpl(dtype, backend.values(cond), cond.shape, av, as, bv, bs, shape).values, shape, dtype);
};
