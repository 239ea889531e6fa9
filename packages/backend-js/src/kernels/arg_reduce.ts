// ArgReduce: index of the first max/min along one axis; NaN counts as the extreme.
import { shapeUtil } from '@tensile/core';
import type { ArgReduceOp, KernelImpl, TypedArray } from '@tensile/core';
import type { JsBackend } from '../backend.js';
import type { Computed } from './types.js';

/**
 * int32 index along `axis` of the first max (or min) of x; the first NaN wins, as in
 * torch.argmax. An empty axis gives 0.
 */
export function argReduceImpl(
  op: ArgReduceOp, x: TypedArray, shape: readonly number[], axis: number, keepDims: boolean,
): Computed<Int32Array> {
  const outShape = shapeUtil.reducedShape(shape, [axis], keepDims);
  const outer = shapeUtil.sizeOf(shape.slice(0, axis));
  const len = shape[axis] ?? 1;
  const inner = shapeUtil.sizeOf(shape.slice(axis + 1));
  const out = new Int32Array(outer * inner);
  if (len === 0 || out.length === 0) return { values: out, shape: outShape };
  const sign = op === 'max' ? 1 : -1;
  // Walk k outermost so the reads of each step are one contiguous row of `inner` values.
  const best = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    const base = o * len * inner;
    const idx = out.subarray(o * inner, (o + 1) * inner);
    for (let i = 0; i < inner; i++) best[i] = sign * x[base + i];
    for (let k = 1; k < len; k++) {
      const row = base + k * inner;
      for (let i = 0; i < inner; i++) {
        const v = sign * x[row + i];
        const b = best[i];
        // A NaN best is final; otherwise strictly better (or NaN) replaces it.
        if (b === b && (v > b || v !== v)) {
          best[i] = v;
          idx[i] = k;
        }
      }
    }
  }
  return { values: out, shape: outShape };
}

/** The ArgReduce kernel: `argReduceImpl` on the backend's buffers. */
export const argReduce: KernelImpl<'ArgReduce', JsBackend> = ({ x }, { op, axis, keepDims }, backend) => {
  const { values, shape } = argReduceImpl(op, backend.values(x), x.shape, axis, keepDims);
  return backend.output(values, shape, 'int32');
};
