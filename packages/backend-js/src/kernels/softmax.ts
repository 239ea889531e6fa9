// Softmax / log-softmax along one axis; every row is shifted by its max (right first, fast second).
import { shapeUtil } from '@tensile/core';
import type { KernelImpl } from '@tensile/core';
import type { JsBackend } from '../backend.js';

// exp without Math.exp (about 2x faster here): d = (k / 64) ln 2 + t with |t| < ln2 / 64,
// so e^t needs only a cubic (error < 6e-10, far below float32's 6e-8), times 2^(k/64) from
// two small tables. Relative error of the whole: < 2e-7. Valid for |d| <= LIMIT; the kernel
// only feeds it d = x - rowMax in [-LIMIT, 0].
const SCALE = 64 * Math.LOG2E;
const LN2_64 = Math.LN2 / 64;
const LIMIT = 700; // e^-700 stays a normal float64; below, an exponential is 0 at float32 output precision
const OFFSET = 1011; // 2^(k >> 6) for k >> 6 in [-1011, 1011]
const POW2_INT = Float64Array.from({ length: 2 * OFFSET + 1 }, (_, i) => 2 ** (i - OFFSET));
const POW2_FRAC = Float64Array.from({ length: 64 }, (_, i) => 2 ** (i / 64));

/** e^d for |d| <= LIMIT. */
function fastExp(d: number): number {
  const k = (d * SCALE) | 0; // truncation: |t| < ln2 / 64 still keeps the cubic within 6e-10
  const t = d - k * LN2_64;
  return (1 + t * (1 + t * (0.5 + t * (1 / 6)))) * POW2_INT[(k >> 6) + OFFSET]! * POW2_FRAC[k & 63]!;
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

// Scratch for one contiguous row of exponentials, in float64.
let scratch = new Float64Array(1024);

/**
 * One contiguous row (the common last-axis case): always shifted by the row max, so every
 * e^(x - max) lies in [0, 1] and the float64 sum in [1, row length]. Skipping the
 * shift is not safe even inside [-LIMIT, LIMIT]: 20000 values of 700 sum e^x to
 * 2e308 > Number.MAX_VALUE. A row holding NaN or +Inf, or all -Inf, is all NaN.
 */
function softmaxRow(x: Float32Array, out: Float32Array, start: number, len: number, log: boolean): void {
  if (scratch.length < len) scratch = new Float64Array(len);
  const e = scratch;
  // The max pass skips NaN (comparisons with NaN are false); a NaN then turns the sum NaN below.
  let max = -Infinity;
  for (let j = start; j < start + len; j++) {
    const v = x[j]!;
    if (v > max) max = v;
  }
  let sum = 0;
  if (Number.isFinite(max)) {
    for (let j = 0; j < len; j++) {
      const d = x[start + j]! - max;
      const ev = d < -LIMIT ? 0 : fastExp(d);
      e[j] = ev;
      sum += ev;
    }
  }
  if (!(sum >= 1)) { // +Inf or all -Inf (max not finite), or a NaN in the row
    out.fill(NaN, start, start + len);
    return;
  }
  if (log) {
    const lse = max + Math.log(sum);
    for (let i = 0; i < len; i++) out[start + i] = x[start + i]! - lse;
  } else {
    const scale = 1 / sum;
    for (let i = 0; i < len; i++) out[start + i] = e[i]! * scale;
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
  const exp = (d: number): number => (d < -LIMIT ? 0 : fastExp(d));
  let sum = 0;
  for (let j = start; j < end; j += step) sum += exp(x[j]! - max);
  const lse = Math.log(sum);
  const scale = 1 / sum;
  for (let j = start; j < end; j += step) out[j] = log ? x[j]! - max - lse : exp(x[j]! - max) * scale;
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
