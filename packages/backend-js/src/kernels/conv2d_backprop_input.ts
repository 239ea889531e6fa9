// Conv2DBackpropInput. Stride 1: the input gradient is itself a convolution (of dy, with the
// filter flipped and transposed, padded by dilation * (k - 1) - pad), run like Conv2D's
// (Winograd or implicit GEMM). Larger strides: dx = col2im(w^T · dy) over chunks of
// images. Pointwise: one gemm.
import type { ConvAttrs, KernelImpl } from '@tensile/core';
import type { JsBackend } from '../backend.js';
import { col2im, gatherChannels, imagesPerChunk, isPointwise, taps } from './col2im.js';
import type { ConvGeometry } from './col2im.js';
import { implicitConv } from './conv_implicit.js';
import { useWinograd, winogradConv } from './conv_winograd.js';
import { gemm } from './gemm.js';

/** Gradient of Conv2D with respect to its input: dy [N, O, outH, outW], w -> dx of `inputShape`. */
export function conv2dBackpropInputImpl(
  dy: Float32Array, dyShape: readonly number[], w: Float32Array, wShape: readonly number[],
  attrs: ConvAttrs, inputShape: readonly number[],
): Float32Array {
  const [n, c, h, wd] = inputShape;
  const [, , outH, outW] = dyShape;
  const [o, , kh, kw] = wShape;
  const { stride, pad, dilation, groups } = attrs;
  const geo: ConvGeometry = { cpg: c / groups, opg: o / groups, h, w: wd, kh, kw, outH, outW, attrs };
  const { cpg, opg } = geo;
  const hw = outH * outW;
  const dx = new Float32Array(n * c * h * wd);
  if (dx.length === 0) return dx;
  // Filters of group g, transposed: a [cpg * kh * kw, opg] matrix.
  const k = taps(geo);
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

  if (stride[0] === 1 && stride[1] === 1) {
    const spec = {
      n, inC: o, h: outH, w: outW, outC: c, groups, kh, kw, stride, dilation,
      padTop: dilation[0] * (kh - 1) - pad[0], padLeft: dilation[1] * (kw - 1) - pad[2], outH: h, outW: wd,
    };
    // Output channel ch of the transposed convolution reads filter w[g*opg + f, ch % cpg] flipped.
    const flipped = (ch: number, f: number, ki: number, kj: number) =>
      w[(((Math.floor(ch / cpg) * opg + f) * cpg + (ch % cpg)) * kh + kh - 1 - ki) * kw + kw - 1 - kj];
    (useWinograd(spec) ? winogradConv : implicitConv)(dy, spec, flipped, dx);
    return dx;
  }

  if (hw === 0) return dx;
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

/** The Conv2DBackpropInput kernel: `conv2dBackpropInputImpl` on the backend's buffers. */
export const conv2dBackpropInput: KernelImpl<'Conv2DBackpropInput', JsBackend> = ({ dy, w }, attrs, backend) => {
  const values = conv2dBackpropInputImpl(
    backend.values(dy) as Float32Array, dy.shape, backend.values(w) as Float32Array, w.shape, attrs, attrs.inputShape,
  );
  return backend.output(values, [...attrs.inputShape], 'float32');
};
