// Conv2DBackpropInput: dx = col2im(w^T · dy) per channel group, over chunks of images.
import type { ConvAttrs, KernelImpl } from '@tensile/core';
import type { JsBackend } from '../backend.js';
import { gemm } from './gemm.js';
import type { ConvGeometry } from './im2col.js';
import { col2im, gatherChannels, imagesPerChunk, isPointwise, taps } from './im2col.js';

/** Gradient of Conv2D with respect to its input: dy [N, O, outH, outW], w -> dx of `inputShape`. */
export function conv2dBackpropInputImpl(
  dy: Float32Array, dyShape: readonly number[], w: Float32Array, wShape: readonly number[],
  attrs: ConvAttrs, inputShape: readonly number[],
): Float32Array {
  const [n, c, h, wd] = inputShape;
  const [, , outH, outW] = dyShape;
  const [o, , kh, kw] = wShape;
  const { groups } = attrs;
  const geo: ConvGeometry = { cpg: c / groups, opg: o / groups, h, w: wd, kh, kw, outH, outW, attrs };
  const { cpg, opg } = geo;
  const k = taps(geo);
  const hw = outH * outW;
  const dx = new Float32Array(n * c * h * wd);
  if (dx.length === 0 || hw === 0) return dx;
  // Filters of group g, transposed: a [k, opg] matrix.
  const filtersT = (g: number) => ({ data: w, offset: g * opg * k, rowStride: 1, colStride: k });

  if (isPointwise(geo)) {
    for (let i = 0; i < n; i++) {
      for (let g = 0; g < groups; g++) {
        const grads = { data: dy, offset: (i * o + g * opg) * hw, rowStride: hw, colStride: 1 };
        gemm(cpg, hw, opg, filtersT(g), grads, dx, (i * c + g * cpg) * hw, hw, false);
      }
    }
    return dx;
  }

  const nb = imagesPerChunk(geo, n);
  const colGrad = new Float32Array(k * nb * hw);
  let dyT: Float32Array | undefined; // dy's group rows side by side, when a chunk spans images
  for (let n0 = 0; n0 < n; n0 += nb) {
    const cur = Math.min(nb, n - n0);
    const ld = cur * hw;
    for (let g = 0; g < groups; g++) {
      let grads;
      if (cur === 1) grads = { data: dy, offset: (n0 * o + g * opg) * hw, rowStride: hw, colStride: 1 };
      else {
        dyT ??= new Float32Array(opg * nb * hw);
        gatherChannels(dy, o, hw, n0, cur, g * opg, opg, dyT);
        grads = { data: dyT, offset: 0, rowStride: ld, colStride: 1 };
      }
      gemm(k, ld, opg, filtersT(g), grads, colGrad, 0, ld, false);
      for (let t = 0; t < cur; t++) col2im(colGrad, ld, t * hw, geo, dx, ((n0 + t) * c + g * cpg) * h * wd);
    }
  }
  return dx;
}

export const conv2dBackpropInput: KernelImpl<'Conv2DBackpropInput', JsBackend> = ({ dy, w }, attrs, backend) => {
  const values = conv2dBackpropInputImpl(
    backend.values(dy) as Float32Array, dy.shape, backend.values(w) as Float32Array, w.shape, attrs, attrs.inputShape,
  );
  return backend.output(values, [...attrs.inputShape], 'float32');
};
