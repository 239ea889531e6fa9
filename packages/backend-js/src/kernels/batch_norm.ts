// BatchNorm: one pass over x with a per-channel scale and shift folded from the statistics,
// instead of the decomposition's five kernels and four intermediate buffers.
import type { FusedKernelImpl } from '@tensile/core';
import type { JsBackend } from '../backend.js';

/** (x - mean) / sqrt(variance + eps) * weight + bias per channel of dim 1 of x [N, C, ...]. */
export function batchNormImpl(
  x: Float32Array, shape: readonly number[], mean: Float32Array, variance: Float32Array,
  weight: Float32Array | undefined, bias: Float32Array | undefined, eps: number,
): Float32Array {
  const c = shape[1]!;
  let inner = 1;
  for (let i = 2; i < shape.length; i++) inner *= shape[i]!;
  const out = new Float32Array(x.length);
  // Folded in float32 like the decomposition (rsqrt, then products), so both round alike.
  const scale = new Float32Array(c), shift = new Float32Array(c);
  for (let ch = 0; ch < c; ch++) {
    const s = Math.fround(Math.fround(1 / Math.sqrt(Math.fround(variance[ch]! + eps))) * (weight ? weight[ch]! : 1));
    scale[ch] = s;
    shift[ch] = bias ? bias[ch]! : 0;
  }
  for (let base = 0, ch = 0; base < x.length; base += inner, ch = (ch + 1) % c) {
    const m = mean[ch]!, s = scale[ch]!, b = shift[ch]!;
    for (let i = base; i < base + inner; i++) out[i] = (x[i]! - m) * s + b;
  }
  return out;
}

/** The BatchNorm kernel. */
export const batchNorm: FusedKernelImpl<'BatchNorm', JsBackend> = ({ x, mean, variance, weight, bias }, { eps }, backend) => {
  const f32 = (t: typeof x) => backend.values(t) as Float32Array;
  const out = batchNormImpl(f32(x), x.shape, f32(mean), f32(variance), weight && f32(weight), bias && f32(bias), eps);
  return backend.output(out, [...x.shape], 'float32');
};
