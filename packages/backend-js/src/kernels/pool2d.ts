// Pool2D: max/min/avg pooling with stride, asymmetric padding and dilation.
import type { KernelImpl, PoolAttrs } from '@tensile/core';
import type { JsBackend } from '../backend.js';
import { extremeIndex, poolWindows } from './pool_windows.js';

/**
 * Pools x [N, C, H, W] to [N, C, outH, outW]. Padding never wins max/min; avg divides by the
 * window clipped to the padded extent (countIncludePad) or by its in-bounds cells. With
 * `indices` (max/min), returns int32 flat indices h * W + w instead; a window with no input
 * cell gives -Infinity/Infinity (max/min), 0 (avg) or index -1.
 */
export function pool2dImpl(
  x: Float32Array, xShape: readonly number[], attrs: PoolAttrs, indices: boolean,
): Float32Array | Int32Array {
  const [n, c, h, w] = xShape;
  const [outH, outW] = attrs.outSize;
  const [dh, dw] = attrs.dilation;
  const [wh, ww] = poolWindows(attrs, h, w);
  const size = n * c * outH * outW;
  const out = indices ? new Int32Array(size) : new Float32Array(size);
  const isAvg = attrs.op === 'avg';
  const sign = attrs.op === 'min' ? -1 : 1;
  let o = 0;
  for (let p = 0; p < n * c; p++) {
    const plane = p * h * w;
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++, o++) {
        if (!isAvg) {
          const idx = extremeIndex(x, plane, w, wh, ww, oh, ow, dh, dw, sign);
          out[o] = indices ? idx : idx < 0 ? -sign * Infinity : x[plane + idx];
          continue;
        }
        if (indices) {
          out[o] = -1; // an average has no single source cell
          continue;
        }
        let sum = 0;
        const lo = ww.lo[ow], hi = ww.hi[ow];
        for (let ki = wh.lo[oh]; ki < wh.hi[oh]; ki++) {
          const row = plane + (wh.start[oh] + ki * dh) * w + ww.start[ow];
          for (let kj = lo; kj < hi; kj++) sum += x[row + kj * dw];
        }
        const count = attrs.countIncludePad ? wh.padded[oh] * ww.padded[ow] : (wh.hi[oh] - wh.lo[oh]) * (hi - lo);
        out[o] = count > 0 ? sum / count : 0;
      }
    }
  }
  return out;
}

/** The Pool2D kernel: `pool2dImpl` on the backend's buffers. */
export const pool2d: KernelImpl<'Pool2D', JsBackend> = ({ x }, attrs, backend) => {
  const values = pool2dImpl(backend.values(x) as Float32Array, x.shape, attrs, attrs.indices);
  const [n, c] = x.shape;
  return backend.output(values, [n, c, ...attrs.outSize], attrs.indices ? 'int32' : 'float32');
};
