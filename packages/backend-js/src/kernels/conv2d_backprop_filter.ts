// Conv2DBackpropFilter: dw = dy · im2col(x)^T per channel group, over chunks of images,
// so the reduction runs over (images x output positions) in one long blocked gemm.
import type { ConvAttrs, KernelImpl } from '@tensile/core';
import type { JsBackend } from '../backend.js';
import { gemm } from './gemm.js';
import type { ConvGeometry } from './im2col.js';
import { gatherChannels, im2col, imagesPerChunk, isPointwise, taps } from './im2col.js';

/** Gradient of Conv2D with respect to its filter: x [N, C, H, W], dy [N, O, outH, outW] -> dw. */
export function conv2dBackpropFilterImpl(
  x: Float32Array, xShape: readonly number[], dy: Float32Array, dyShape: readonly number[],
  attrs: ConvAttrs, filterShape: readonly number[],
): Float32Array {
  const [n, c, h, wd] = xShape;
  const [, , outH, outW] = dyShape;
  const [o, , kh, kw] = filterShape;
  const { groups } = attrs;
  const geo: ConvGeometry = { cpg: c / groups, opg: o / groups, h, w: wd, kh, kw, outH, outW, attrs };
  const { cpg, opg } = geo;
  const k = taps(geo);
  const hw = outH * outW;
  const dw = new Float32Array(o * k);
  if (dw.length === 0) return dw;
  if (n === 0 || hw === 0) return dw;

  if (isPointwise(geo)) {
    for (let i = 0; i < n; i++) {
      for (let g = 0; g < groups; g++) {
        const grads = { data: dy, offset: (i * o + g * opg) * hw, rowStride: hw, colStride: 1 };
        const inputT = { data: x, offset: (i * c + g * cpg) * hw, rowStride: 1, colStride: hw };
        gemm(opg, cpg, hw, grads, inputT, dw, g * opg * k, k, i > 0);
      }
    }
    return dw;
  }

  const nb = imagesPerChunk(geo, n);
  const col = new Float32Array(k * nb * hw);
  let dyT: Float32Array | undefined; // dy's group rows side by side, when a chunk spans images
  for (let n0 = 0; n0 < n; n0 += nb) {
    const cur = Math.min(nb, n - n0);
    const ld = cur * hw;
    for (let g = 0; g < groups; g++) {
      for (let t = 0; t < cur; t++) im2col(x, ((n0 + t) * c + g * cpg) * h * wd, geo, col, ld, t * hw);
      let grads;
      if (cur === 1) grads = { data: dy, offset: (n0 * o + g * opg) * hw, rowStride: hw, colStride: 1 };
      else {
        dyT ??= new Float32Array(opg * nb * hw);
        gatherChannels(dy, o, hw, n0, cur, g * opg, opg, dyT);
        grads = { data: dyT, offset: 0, rowStride: ld, colStride: 1 };
      }
      const colsT = { data: col, offset: 0, rowStride: 1, colStride: ld };
      gemm(opg, k, ld, grads, colsT, dw, g * opg * k, k, n0 > 0);
    }
  }
  return dw;
}

export const conv2dBackpropFilter: KernelImpl<'Conv2DBackpropFilter', JsBackend> = ({ x, dy }, attrs, backend) => {
  const values = conv2dBackpropFilterImpl(
    backend.values(x) as Float32Array, x.shape, backend.values(dy) as Float32Array, dy.shape, attrs, attrs.filterShape,
  );
  return backend.output(values, [...attrs.filterShape], 'float32');
};
