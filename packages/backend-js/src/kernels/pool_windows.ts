// Pooling window geometry shared by Pool2D and Pool2DGrad: per output index along one axis,
// which taps of the (dilated) window fall inside the input, computed once per call so the
// pooling loops never test bounds.
import type { PoolAttrs } from '@tensile/core';

/** Per output index o along one axis. */
export interface AxisWindows {
  /** Input index of tap 0: o * stride - padBefore. */
  start: Int32Array;
  /** Taps [lo, hi) land inside [0, size). */
  lo: Int32Array;
  hi: Int32Array;
  /** Taps inside the padded extent [-padBefore, size + padAfter): PyTorch's count_include_pad divisor. */
  padded: Int32Array;
}

/** Window ranges along one axis. */
export function axisWindows(
  outSize: number, size: number, kernel: number, stride: number, padBefore: number, padAfter: number, dilation: number,
): AxisWindows {
  const w: AxisWindows = {
    start: new Int32Array(outSize), lo: new Int32Array(outSize), hi: new Int32Array(outSize), padded: new Int32Array(outSize),
  };
  const clamp = (v: number) => Math.min(kernel, Math.max(0, v));
  for (let o = 0; o < outSize; o++) {
    const s = o * stride - padBefore;
    w.start[o] = s;
    w.lo[o] = clamp(Math.ceil(-s / dilation));
    w.hi[o] = Math.max(w.lo[o], clamp(Math.floor((size - 1 - s) / dilation) + 1));
    w.padded[o] = clamp(Math.floor((size + padAfter - 1 - s) / dilation) + 1);
  }
  return w;
}

/** Both axes' windows for a pooling call on planes of h x w. */
export function poolWindows(attrs: PoolAttrs, h: number, w: number): [AxisWindows, AxisWindows] {
  const { kernel, stride, pad, dilation, outSize } = attrs;
  return [
    axisWindows(outSize[0], h, kernel[0], stride[0], pad[0], pad[1], dilation[0]),
    axisWindows(outSize[1], w, kernel[1], stride[1], pad[2], pad[3], dilation[1]),
  ];
}

/**
 * Flat index (h * w + col) within the plane at `plane` of the first max (sign 1) or min
 * (sign -1) in window (oh, ow); the first NaN wins. -1 when the window has no input cell.
 */
export function extremeIndex(
  x: Float32Array, plane: number, width: number, wh: AxisWindows, ww: AxisWindows, oh: number, ow: number,
  dh: number, dw: number, sign: number,
): number {
  let best = 0;
  let idx = -1;
  const lo = ww.lo[ow], hi = ww.hi[ow];
  for (let ki = wh.lo[oh]; ki < wh.hi[oh]; ki++) {
    const row = (wh.start[oh] + ki * dh) * width + ww.start[ow];
    for (let kj = lo; kj < hi; kj++) {
      const v = sign * x[plane + row + kj * dw];
      // The first cell always takes; after that, strictly better or NaN, until a NaN holds.
      if (idx < 0 || (best === best && (v > best || v !== v))) {
        best = v;
        idx = row + kj * dw;
      }
    }
  }
  return idx;
}
