// Softmax / log-softmax along one axis, max-subtracted.
import { shapeUtil } from '@tensile/core';
import type { KernelImpl } from '@tensile/core';
import type { JsBackend } from '../backend.js';

/**
 * Softmax (or log-softmax) of float32 x along `axis`. Follows PyTorch on the edge cases
 * without special code: Math.max propagates NaN, so a row with a NaN is all NaN, and a row
 * that is all -Inf computes -Inf - (-Inf) = NaN.
 */
export function softmaxImpl(x: Float32Array, shape: readonly number[], axis: number, log: boolean): Float32Array {
  const outer = shapeUtil.sizeOf(shape.slice(0, axis));
  const len = shape[axis] ?? 1;
  const inner = shapeUtil.sizeOf(shape.slice(axis + 1));
  const out = new Float32Array(x.length);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      // Row elements sit `inner` apart (contiguous for the last axis).
      const start = o * len * inner + i;
      const end = start + len * inner;
      let max = -Infinity;
      for (let j = start; j < end; j += inner) max = Math.max(max, x[j]);
      let sum = 0;
      if (log) {
        for (let j = start; j < end; j += inner) sum += Math.exp(x[j] - max);
        const lse = Math.log(sum);
        for (let j = start; j < end; j += inner) out[j] = x[j] - max - lse;
      } else {
        for (let j = start; j < end; j += inner) {
          const e = Math.exp(x[j] - max);
          out[j] = e;
          sum += e;
        }
        const scale = 1 / sum;
        for (let j = start; j < end; j += inner) out[j] *= scale;
      }
    }
  }
  return out;
}

/** The Softmax kernel: `softmaxImpl` on the backend's buffers. */
export const softmax: KernelImpl<'Softmax', JsBackend> = ({ x }, { axis, log }, backend) =>
  backend.output(softmaxImpl(backend.values(x) as Float32Array, x.shape, axis, log), x.shape.slice(), 'float32');
