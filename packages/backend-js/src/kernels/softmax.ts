// Softmax / log-softmax along one axis, max-subtracted.
import { shapeUtil } from '@tensile/core';
import type { KernelImpl } from '@tensile/core';
import type { JsBackend } from '../backend.js';

// exp(d) for d <= 0 without Math.exp (about 2x faster here): d = (k / 64) ln 2 + t with
// |t| <= ln2 / 128, so e^t needs only a cubic (error < 4e-11, far below float32's 6e-8),
// and 2^(k/64) comes from two tables. Relative error of the whole: < 2e-7.
const SCALE = 64 * Math.LOG2E;
const LN2_64_HI = 0.6931471803691238 / 64;
const LN2_64_LO = 1.9082149292705877e-10 / 64;
const POW2_FRAC = Float64Array.from({ length: 64 }, (_, i) => 2 ** (i / 64));
const POW2_NEG = Float64Array.from({ length: 1100 }, (_, i) => 2 ** -i);

/** e^d for finite d <= 0 (0 below -700, where float32 has long underflowed). */
function expNonPositive(d: number): number {
  if (d < -700) return 0;
  const k = (d * SCALE - 0.5) | 0;
  const t = d - k * LN2_64_HI - k * LN2_64_LO;
  return (1 + t * (1 + t * (0.5 + t * (1 / 6)))) * POW2_NEG[-(k >> 6)]! * POW2_FRAC[k & 63]!;
}

/**
 * Softmax (or log-softmax) of float32 x along `axis`, as PyTorch on the edge cases: a row
 * holding NaN or +Inf, or all -Inf, is all NaN.
 */
export function softmaxImpl(x: Float32Array, shape: readonly number[], axis: number, log: boolean): Float32Array {
  const outer = shapeUtil.sizeOf(shape.slice(0, axis));
  const len = shape[axis] ?? 1;
  const inner = shapeUtil.sizeOf(shape.slice(axis + 1));
  const out = new Float32Array(x.length);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      // Row elements sit `inner` apart (contiguous for the last axis).
      const start = o * len * inner + i;
      const end = start + len * inner;
      let max = -Infinity;
      let nan = false;
      for (let j = start; j < end; j += inner) {
        const v = x[j]!;
        if (v > max) max = v;
        else if (v !== v) nan = true;
      }
      if (nan || max === Infinity || max === -Infinity) {
        for (let j = start; j < end; j += inner) out[j] = NaN;
        continue;
      }
      let sum = 0;
      if (log) {
        for (let j = start; j < end; j += inner) sum += expNonPositive(x[j]! - max);
        const lse = Math.log(sum);
        for (let j = start; j < end; j += inner) out[j] = x[j]! - max - lse;
      } else {
        for (let j = start; j < end; j += inner) {
          const e = expNonPositive(x[j]! - max);
          out[j] = e;
          sum += e;
        }
        const scale = 1 / sum;
        for (let j = start; j < end; j += inner) out[j]! *= scale;
      }
    }
  }
  return out;
}

/** The Softmax kernel: `softmaxImpl` on the backend's buffers. */
export const softmax: KernelImpl<'Softmax', JsBackend> = ({ x }, { axis, log }, backend) =>
  backend.output(softmaxImpl(backend.values(x) as Float32Array, x.shape, axis, log), x.shape.slice(), 'float32');
