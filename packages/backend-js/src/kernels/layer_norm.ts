// LayerNorm: two passes per row (mean, then variance and output) in float64 accumulators,
// instead of the decomposition's eight kernels and their intermediate buffers.
import type { FusedKernelImpl } from '@tensile/core';
import type { JsBackend } from '../backend.js';

/** Normalises each run of `rowSize` trailing elements of x, then * weight + bias (both [rowSize]). */
export function layerNormImpl(
  x: Float32Array, rowSize: number, weight: Float32Array | undefined, bias: Float32Array | undefined, eps: number,
): Float32Array {
  const out = new Float32Array(x.length);
  if (rowSize === 0) return out;
  for (let base = 0; base < x.length; base += rowSize) {
    let s = 0;
    for (let i = 0; i < rowSize; i++) s += x[base + i]!;
    const m = s / rowSize;
    let ss = 0;
    for (let i = 0; i < rowSize; i++) {
      const d = x[base + i]! - m;
      ss += d * d;
    }
    const rstd = 1 / Math.sqrt(ss / rowSize + eps);
    for (let i = 0; i < rowSize; i++) {
      const v = (x[base + i]! - m) * rstd;
      out[base + i] = (weight ? v * weight[i]! : v) + (bias ? bias[i]! : 0);
    }
  }
  return out;
}

/** The LayerNorm kernel. */
export const layerNorm: FusedKernelImpl<'LayerNorm', JsBackend> = ({ x, weight, bias }, { normalizedDims, eps }, backend) => {
  let rowSize = 1;
  for (let i = x.shape.length - normalizedDims; i < x.shape.length; i++) rowSize *= x.shape[i]!;
  const f32 = (t: typeof x) => backend.values(t) as Float32Array;
  const out = layerNormImpl(f32(x), rowSize, weight && f32(weight), bias && f32(bias), eps);
  return backend.output(out, [...x.shape], 'float32');
};
