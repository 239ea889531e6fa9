// Pool2DGrad: routes dy back through Pool2D's windows.
import type { KernelImpl, PoolAttrs } from '@tensile/core';
import type { JsBackend } from '../backend.js';
import { extremeIndex, poolWindows } from './pool_windows.js';

/**
 * dx for Pool2D: max/min send each dy to the first extreme of its window; avg spreads it
 * over the window's in-bounds cells divided by the same count the forward pass used.
 */
export function pool2dGradImpl(x: Float32Array, xShape: readonly number[], dy: Float32Array, attrs: PoolAttrs): Float32Array {
  const [n, c, h, w] = xShape;
  const [outH, outW] = attrs.outSize;
  const [dh, dw] = attrs.dilation;
  const [wh, ww] = poolWindows(attrs, h, w);
  const dx = new Float32Array(x.length);
  const isAvg = attrs.op === 'avg';
  const sign = attrs.op === 'min' ? -1 : 1;
  let o = 0;
  for (let p = 0; p < n * c; p++) {
    const plane = p * h * w;
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++, o++) {
        const g = dy[o];
        if (!isAvg) {
          const idx = extremeIndex(x, plane, w, wh, ww, oh, ow, dh, dw, sign);
          if (idx >= 0) dx[plane + idx] += g;
          continue;
        }
        const lo = ww.lo[ow], hi = ww.hi[ow];
        const count = attrs.countIncludePad ? wh.padded[oh] * ww.padded[ow] : (wh.hi[oh] - wh.lo[oh]) * (hi - lo);
        if (count === 0) continue;
        const share = g / count;
        for (let ki = wh.lo[oh]; ki < wh.hi[oh]; ki++) {
          const row = plane + (wh.start[oh] + ki * dh) * w + ww.start[ow];
          for (let kj = lo; kj < hi; kj++) dx[row + kj * dw] += share;
        }
      }
    }
  }
  return dx;
}

/** The Pool2DGrad kernel: `pool2dGradImpl` on the backend's buffers. */
export const pool2dGrad: KernelImpl<'Pool2DGrad', JsBackend> = ({ x, dy }, attrs, backend) =>
  backend.output(
    pool2dGradImpl(backend.values(x) as Float32Array, x.shape, backend.values(dy) as Float32Array, attrs),
    x.shape.slice(),
    'float32',
  );
