// Conv2D: Winograd F(2x2, 3x3) for wide 3x3 stride-1 layers, implicit GEMM (no column
// matrix) for the rest, and a plain gemm for pointwise convolutions.
import { shapeUtil } from '@tensile/core';
import type { ConvAttrs, KernelImpl } from '@tensile/core';
import type { JsBackend } from '../backend.js';
import { isPointwise } from './col2im.js';
import type { ConvGeometry } from './col2im.js';
import { implicitConv } from './conv_implicit.js';
import { useWinograd, winogradConv } from './conv_winograd.js';
import { gemm } from './gemm.js';
import type { Computed } from './types.js';

/** x [N, C, H, W] convolved with w [O, C/groups, kH, kW] (cross-correlation, as PyTorch). */
export function conv2dImpl(
  x: Float32Array, xShape: readonly number[], w: Float32Array, wShape: readonly number[],
  attrs: ConvAttrs & { outSize?: [number, number] },
): Computed<Float32Array> {
  const [n, c, h, wd] = xShape;
  const [o, , kh, kw] = wShape;
  const { stride, pad, dilation, groups } = attrs;
  const [outH, outW] = attrs.outSize ?? [
    shapeUtil.windowOutSize(h, kh, stride[0], pad[0] + pad[1], dilation[0]),
    shapeUtil.windowOutSize(wd, kw, stride[1], pad[2] + pad[3], dilation[1]),
  ];
  const geo: ConvGeometry = { cpg: c / groups, opg: o / groups, h, w: wd, kh, kw, outH, outW, attrs };
  const shape = [n, o, outH, outW];
  const out = new Float32Array(shapeUtil.sizeOf(shape));
  if (out.length === 0) return { values: out, shape };
  const { cpg, opg } = geo;

  if (isPointwise(geo)) {
    // Each image's channel group is the column matrix already: one gemm per group.
    const hw = outH * outW;
    for (let i = 0; i < n; i++) {
      for (let g = 0; g < groups; g++) {
        const filters = { data: w, offset: g * opg * cpg, rowStride: cpg, colStride: 1 };
        const cols = { data: x, offset: (i * c + g * cpg) * hw, rowStride: hw, colStride: 1 };
        gemm(opg, hw, cpg, filters, cols, out, (i * o + g * opg) * hw, hw, false);
      }
    }
    return { values: out, shape };
  }
  const spec = {
    n, inC: c, h, w: wd, outC: o, groups, kh, kw, stride, dilation, padTop: pad[0], padLeft: pad[2], outH, outW,
  };
  const filter = (f: number, ch: number, ki: number, kj: number) => w[((f * cpg + ch) * kh + ki) * kw + kj];
  (useWinograd(spec) ? winogradConv : implicitConv)(x, spec, filter, out);
  return { values: out, shape };
}

/** The Conv2D kernel: `conv2dImpl` on the backend's buffers. */
export const conv2d: KernelImpl<'Conv2D', JsBackend> = ({ x, w }, attrs, backend) => {
  const { values, shape } = conv2dImpl(
    backend.values(x) as Float32Array, x.shape, backend.values(w) as Float32Array, w.shape, attrs,
  );
  return backend.output(values, shape, 'float32');
};
