// Conv2DBackpropFilter: dw = dy · im2col(x)^T, as implicit GEMM (no column matrix), or a
// plain gemm for pointwise convolutions.
import type { ConvAttrs, KernelImpl } from '@tensile/core';
import type { JsBackend } from '../backend.js';
import { isPointwise } from './col2im.js';
import type { ConvGeometry } from './col2im.js';
import { implicitFilterGrad } from './conv_implicit.js';
import { gemm } from './gemm.js';

/** Gradient of Conv2D with respect to its filter: x [N, C, H, W], dy [N, O, outH, outW] -> dw. */
export function conv2dBackpropFilterImpl(
  x: Float32Array, xShape: readonly number[], dy: Float32Array, dyShape: readonly number[],
  attrs: ConvAttrs, filterShape: readonly number[],
): Float32Array {
  const [n, c, h, wd] = xShape;
  const [, , outH, outW] = dyShape;
  const [o, , kh, kw] = filterShape;
  const { stride, pad, dilation, groups } = attrs;
  const geo: ConvGeometry = { cpg: c / groups, opg: o / groups, h, w: wd, kh, kw, outH, outW, attrs };
  const { cpg, opg } = geo;
  const dw = new Float32Array(o * cpg * kh * kw);
  if (dw.length === 0) return dw;

  if (isPointwise(geo)) {
    // dw_g = sum over images of dy_g [opg, hw] · x_g^T [hw, cpg].
    const hw = outH * outW;
    for (let i = 0; i < n; i++) {
      for (let g = 0; g < groups; g++) {
        const grads = { data: dy, offset: (i * o + g * opg) * hw, rowStride: hw, colStride: 1 };
        const inputT = { data: x, offset: (i * c + g * cpg) * hw, rowStride: 1, colStride: hw };
        gemm(opg, cpg, hw, grads, inputT, dw, g * opg * cpg, cpg, i > 0);
      }
    }
    return dw;
  }
  const spec = {
    n, inC: c, h, w: wd, outC: o, groups, kh, kw, stride, dilation, padTop: pad[0], padLeft: pad[2], outH, outW,
  };
  implicitFilterGrad(x, dy, spec, dw);
  return dw;
}

/** The Conv2DBackpropFilter kernel: `conv2dBackpropFilterImpl` on the backend's buffers. */
export const conv2dBackpropFilter: KernelImpl<'Conv2DBackpropFilter', JsBackend> = ({ x, dy }, attrs, backend) => {
  const values = conv2dBackpropFilterImpl(
    backend.values(x) as Float32Array, x.shape, backend.values(dy) as Float32Array, dy.shape, attrs, attrs.filterShape,
  );
  return backend.output(values, [...attrs.filterShape], 'float32');
};
