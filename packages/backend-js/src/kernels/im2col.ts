// im2col and its adjoint col2im, shared by the three convolution kernels. A convolution
// becomes one matrix product over a column matrix with a row per filter tap (channel, ki, kj)
// and a column per output position; several images sit side by side in one column matrix,
// so the products stay large even for small images.
import type { ConvAttrs } from '@tensile/core';

/** Geometry of one channel group of a convolution. */
export interface ConvGeometry {
  /** Channels per group (input side) and filters per group (output side). */
  cpg: number;
  opg: number;
  h: number;
  w: number;
  kh: number;
  kw: number;
  outH: number;
  outW: number;
  attrs: ConvAttrs;
}

/** Rows of the column matrix: taps per group. */
export function taps(g: ConvGeometry): number {
  return g.cpg * g.kh * g.kw;
}

/** Whether the column matrix equals the input itself (1x1 kernel, stride 1, no padding). */
export function isPointwise(g: ConvGeometry): boolean {
  const { stride, pad } = g.attrs;
  return g.kh === 1 && g.kw === 1 && stride[0] === 1 && stride[1] === 1 && pad.every((p) => p === 0);
}

/** Images per column matrix: enough to amortise packing, bounded to ~16 MB of columns. */
export function imagesPerChunk(g: ConvGeometry, batch: number): number {
  const perImage = taps(g) * g.outH * g.outW;
  return Math.max(1, Math.min(batch, Math.floor((1 << 22) / Math.max(perImage, 1))));
}

/** Output columns [lo, hi) whose input column `ow * stride + offset` lies inside [0, size). */
function validRange(offset: number, stride: number, size: number, outSize: number): [number, number] {
  const lo = Math.min(outSize, Math.max(0, Math.ceil(-offset / stride)));
  const hi = Math.max(lo, Math.min(outSize, Math.floor((size - 1 - offset) / stride) + 1));
  return [lo, hi];
}

/**
 * Writes one image's channel group (x[xOff ..], [cpg, h, w]) as columns [c0, c0 + outH*outW)
 * of the column matrix `col` (row length `ld`); padding reads as 0.
 */
export function im2col(x: Float32Array, xOff: number, g: ConvGeometry, col: Float32Array, ld: number, c0: number): void {
  const { cpg, h, w, kh, kw, outH, outW } = g;
  const [sh, sw] = g.attrs.stride;
  const [dh, dw] = g.attrs.dilation;
  const pt = g.attrs.pad[0], pl = g.attrs.pad[2];
  let row = 0;
  for (let c = 0; c < cpg; c++) {
    for (let ki = 0; ki < kh; ki++) {
      for (let kj = 0; kj < kw; kj++, row++) {
        const colOff = kj * dw - pl;
        const [lo, hi] = validRange(colOff, sw, w, outW);
        for (let oh = 0; oh < outH; oh++) {
          const dst = row * ld + c0 + oh * outW;
          const ih = oh * sh - pt + ki * dh;
          if (ih < 0 || ih >= h) {
            col.fill(0, dst, dst + outW);
            continue;
          }
          const src = xOff + (c * h + ih) * w + colOff;
          for (let ow = 0; ow < lo; ow++) col[dst + ow] = 0;
          if (sw === 1) col.set(x.subarray(src + lo, src + hi), dst + lo);
          else for (let ow = lo; ow < hi; ow++) col[dst + ow] = x[src + ow * sw];
          for (let ow = hi; ow < outW; ow++) col[dst + ow] = 0;
        }
      }
    }
  }
}

/** The adjoint of im2col: adds columns [c0, c0 + outH*outW) of `col` back into dx[dxOff ..]. */
export function col2im(col: Float32Array, ld: number, c0: number, g: ConvGeometry, dx: Float32Array, dxOff: number): void {
  const { cpg, h, w, kh, kw, outH, outW } = g;
  const [sh, sw] = g.attrs.stride;
  const [dh, dw] = g.attrs.dilation;
  const pt = g.attrs.pad[0], pl = g.attrs.pad[2];
  let row = 0;
  for (let c = 0; c < cpg; c++) {
    for (let ki = 0; ki < kh; ki++) {
      for (let kj = 0; kj < kw; kj++, row++) {
        const colOff = kj * dw - pl;
        const [lo, hi] = validRange(colOff, sw, w, outW);
        for (let oh = 0; oh < outH; oh++) {
          const ih = oh * sh - pt + ki * dh;
          if (ih < 0 || ih >= h) continue;
          const src = row * ld + c0 + oh * outW;
          const dst = dxOff + (c * h + ih) * w + colOff;
          for (let ow = lo; ow < hi; ow++) dx[dst + ow * sw] += col[src + ow];
        }
      }
    }
  }
}

/** Copies rows [ch0, ch0 + rows) of images [n0, n0 + nb) of t [N, C, hw] into m [rows, nb*hw]. */
export function gatherChannels(t: Float32Array, channels: number, hw: number, n0: number, nb: number, ch0: number, rows: number, m: Float32Array): void {
  const ld = nb * hw;
  for (let i = 0; i < nb; i++) {
    for (let r = 0; r < rows; r++) {
      const src = ((n0 + i) * channels + ch0 + r) * hw;
      m.set(t.subarray(src, src + hw), r * ld + i * hw);
    }
  }
}

/** The inverse of gatherChannels: writes m [rows, nb*hw] back into t [N, C, hw]. */
export function scatterChannels(m: Float32Array, channels: number, hw: number, n0: number, nb: number, ch0: number, rows: number, t: Float32Array): void {
  const ld = nb * hw;
  for (let i = 0; i < nb; i++) {
    for (let r = 0; r < rows; r++) {
      const src = r * ld + i * hw;
      t.set(m.subarray(src, src + hw), ((n0 + i) * channels + ch0 + r) * hw);
    }
  }
}
