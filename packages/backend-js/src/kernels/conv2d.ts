// Conv2D: im2col over a chunk of images, then one blocked gemm per channel group.
import { shapeUtil } from '@tensile/core';
import type { ConvAttrs, KernelImpl } from '@tensile/core';
import type { JsBackend } from '../backend.js';
import { gemm } from './gemm.js';
import type { ConvGeometry } from './im2col.js';
import { im2col, imagesPerChunk, isPointwise, scatterChannels, taps } from './im2col.js';
import type { Computed } from './types.js';

/** x [N, C, H, W] convolved with w [O, C/groups, kH, kW] (cross-correlation, as PyTorch). */
export function conv2dImpl(
  x: Float32Array, xShape: readonly number[], w: Float32Array, wShape: readonly number[], attrs: ConvAttrs,
): Computed<Float32Array> {
  const [n, c, h, wd] = xShape;
  const [o, , kh, kw] = wShape;
  const { stride, pad, dilation, groups } = attrs;
  const outH = shapeUtil.windowOutSize(h, kh, stride[0], pad[0] + pad[1], dilation[0]);
  const outW = shapeUtil.windowOutSize(wd, kw, stride[1], pad[2] + pad[3], dilation[1]);
  const geo: ConvGeometry = { cpg: c / groups, opg: o / groups, h, w: wd, kh, kw, outH, outW, attrs };
  const shape = [n, o, outH, outW];
  const out = new Float32Array(shapeUtil.sizeOf(shape));
  if (out.length === 0) return { values: out, shape };
  const { cpg, opg } = geo;
  const hw = outH * outW;
  const k = taps(geo);
  // Filters of group g as an [opg, k] matrix.
  const filters = (g: number) => ({ data: w, offset: g * opg * k, rowStride: k, colStride: 1 });

  if (isPointwise(geo)) {
    // The input planes are the column matrix already.
    for (let i = 0; i < n; i++) {
      for (let g = 0; g < groups; g++) {
        const cols = { data: x, offset: (i * c + g * cpg) * hw, rowStride: hw, colStride: 1 };
        gemm(opg, hw, cpg, filters(g), cols, out, (i * o + g * opg) * hw, hw, false);
      }
    }
    return { values: out, shape };
  }

  const nb = imagesPerChunk(geo, n);
  const col = new Float32Array(k * nb * hw);
  let product: Float32Array | undefined; // the [opg, cur*hw] result, when it spans images
  for (let n0 = 0; n0 < n; n0 += nb) {
    const cur = Math.min(nb, n - n0);
    const ld = cur * hw;
    for (let g = 0; g < groups; g++) {
      for (let t = 0; t < cur; t++) im2col(x, ((n0 + t) * c + g * cpg) * h * wd, geo, col, ld, t * hw);
      const cols = { data: col, offset: 0, rowStride: ld, colStride: 1 };
      if (cur === 1) {
        gemm(opg, ld, k, filters(g), cols, out, (n0 * o + g * opg) * hw, hw, false);
      } else {
        product ??= new Float32Array(opg * nb * hw);
        gemm(opg, ld, k, filters(g), cols, product, 0, ld, false);
        scatterChannels(product, o, hw, n0, cur, g * opg, opg, out);
      }
    }
  }
  return { values: out, shape };
}

export const conv2d: KernelImpl<'Conv2D', JsBackend> = ({ x, w }, attrs, backend) => {
  const { values, shape } = conv2dImpl(
    backend.values(x) as Float32Array, x.shape, backend.values(w) as Float32Array, w.shape, attrs,
  );
  return backend.output(values, shape, 'float32');
};
