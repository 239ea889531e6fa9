// Column-matrix geometry and col2im, for the input gradient of strided convolutions:
// dx = col2im(w^T · dy), where the column matrix has a row per filter tap (channel, ki, kj)
// and a column per output position, with several images side by side so the product
// stays large even for small images. (Stride-1 input gradients and everything else run
// as implicit GEMM; see conv_implicit.ts.)
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

/** Images per column matrix: enough to amortise packing, bounded to 16 MB of columns. */
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
 * The adjoint of im2col (x's column matrix): adds columns [c0, c0 + outH*outW) of `col`
 * (row length `ld`) back into one image's channel group dx[dxOff ..].
 */
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
