// Softmax / log-softmax along one axis, max-subtracted.
import { shapeUtil } from '@tensile/core';
import type { KernelImpl } from '@tensile/core';
import type { JsBackend } from '../backend.js';

// exp(d) for d <= 0 without Math.exp (about 2x faster here): d = -(i / 64) ln 2 + t with
// |t| <= ln2 / 128, so e^t needs only a cubic (error < 4e-11, far below float32's 6e-8),
// times 2^(-i/64) from a table. Relative error of the whole: < 2e-7.
const SCALE = 64 * Math.LOG2E;
const LN2_64 = Math.LN2 / 64;
const MIN_D = -700; // e^-700 is far below float32's smallest denormal
const POW2 = Float64Array.from({ length: 64 * 1011 + 1 }, (_, i) => 2 ** (-i / 64));

/** e^d for d <= 0 (d below MIN_D is clamped; NaN is not expected). */
function expNonPositive(d: number): number {
  const c = d < MIN_D ? MIN_D : d;
  const k = (c * SCALE - 0.5) | 0;
  const t = c - k * LN2_64;
  return (1 + t * (1 + t * (0.5 + t * (1 / 6)))) * POW2[-k]!;
}

/** Max of a row, or NaN if the row holds a NaN (as PyTorch propagates it). */
function rowMax(x: Float32Array, start: number, end: number, step: number): number {
  let max = -Infinity;
  let nan = false;
  for (let j = start; j < end; j += step) {
    const v = x[j]!;
    if (v > max) max = v;
    else if (v !== v) nan = true;
  }
  return nan ? NaN : max;
}

// Scratch for one contiguous row of exponentials, in float64 to keep the sum exact-ish.
let scratch = new Float64Array(1024);

/** One contiguous row (the common last-axis case): max, exponentials and sum, then scale. */
function softmaxRow(x: Float32Array, out: Float32Array, start: number, len: number, log: boolean): void {
  const max = rowMax(x, start, start + len, 1);
  if (!Number.isFinite(max)) {
    out.fill(NaN, start, start + len);
    return;
  }
  if (scratch.length < len) scratch = new Float64Array(len);
  const e = scratch;
  let sum = 0;
  for (let j = 0; j < len; j++) {
    const v = expNonPositive(x[start + j]! - max);
    e[j] = v;
    sum += v;
  }
  if (log) {
    const lse = Math.log(sum);
    for (let j = 0; j < len; j++) out[start + j] = x[start + j]! - max - lse;
  } else {
    const scale = 1 / sum;
    for (let j = 0; j < len; j++) out[start + j] = e[j]! * scale;
  }
}

/** One strided row (softmax over a non-last axis). */
function softmaxStrided(x: Float32Array, out: Float32Array, start: number, len: number, step: number, log: boolean): void {
  const end = start + len * step;
  const max = rowMax(x, start, end, step);
  if (!Number.isFinite(max)) {
    for (let j = start; j < end; j += step) out[j] = NaN;
    return;
  }
  let sum = 0;
  for (let j = start; j < end; j += step) sum += expNonPositive(x[j]! - max);
  const lse = Math.log(sum);
  const scale = 1 / sum;
  for (let j = start; j < end; j += step) out[j] = log ? x[j]! - max - lse : expNonPositive(x[j]! - max) * scale;
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
    const base = o * len * inner;
    if (inner === 1) softmaxRow(x, out, base, len, log);
    else for (let i = 0; i < inner; i++) softmaxStrided(x, out, base + i, len, inner, log);
  }
  return out;
}

/** The Softmax kernel: `softmaxImpl` on the backend's buffers. */
export const softmax: KernelImpl<'Softmax', JsBackend> = ({ x }, { axis, log }, backend) =>
  backend.output(softmaxImpl(backend.values(x) as Float32Array, x.shape, axis, log), x.shape.slice(), 'float32');
