// Reduce: sum/mean/prod/max/min/any/all over any set of axes, without transposing. The
// input is read once in order; adjacent dims with the same role (kept or reduced) merge,
// so the innermost run is either reduced into one accumulator (trailing axes: the fast
// path) or added elementwise onto a row of accumulators (leading axes).
import { allocate, shapeUtil } from '@tensile/core';
import type { DType, KernelImpl, ReduceOp, TypedArray } from '@tensile/core';
import type { JsBackend } from '../backend.js';
import type { Computed } from './types.js';

const INIT: Record<ReduceOp, number> = { sum: 0, mean: 0, prod: 1, max: -Infinity, min: Infinity, any: 0, all: 1 };

/** The dtype Reduce produces for `op` on `dtype`. */
export function reduceOutDType(op: ReduceOp, dtype: DType): DType {
  if (op === 'any' || op === 'all') return 'bool';
  return op === 'mean' ? 'float32' : dtype;
}

/** Folds x[base .. base + len) into `acc` (one accumulator). */
function foldRun(op: ReduceOp, isInt: boolean, acc: number, x: TypedArray, base: number, len: number): number {
  const end = base + len;
  switch (op) {
    case 'sum': case 'mean': for (let i = base; i < end; i++) acc += x[i]; return acc;
    case 'prod':
      if (isInt) for (let i = base; i < end; i++) acc = Math.imul(acc, x[i]);
      else for (let i = base; i < end; i++) acc *= x[i];
      return acc;
    // Math.max/min propagate NaN.
    case 'max': for (let i = base; i < end; i++) acc = Math.max(acc, x[i]); return acc;
    case 'min': for (let i = base; i < end; i++) acc = Math.min(acc, x[i]); return acc;
    case 'any': for (let i = base; i < end && acc === 0; i++) if (x[i] !== 0) acc = 1; return acc;
    case 'all': for (let i = base; i < end && acc === 1; i++) if (x[i] === 0) acc = 0; return acc;
  }
}

/** Folds x[base + i] into acc[o + i] for i < len (a row of accumulators). */
function foldRow(op: ReduceOp, isInt: boolean, acc: Float64Array, o: number, x: TypedArray, base: number, len: number): void {
  switch (op) {
    case 'sum': case 'mean': for (let i = 0; i < len; i++) acc[o + i] += x[base + i]; return;
    case 'prod':
      if (isInt) for (let i = 0; i < len; i++) acc[o + i] = Math.imul(acc[o + i], x[base + i]);
      else for (let i = 0; i < len; i++) acc[o + i] *= x[base + i];
      return;
    case 'max': for (let i = 0; i < len; i++) acc[o + i] = Math.max(acc[o + i], x[base + i]); return;
    case 'min': for (let i = 0; i < len; i++) acc[o + i] = Math.min(acc[o + i], x[base + i]); return;
    case 'any': for (let i = 0; i < len; i++) if (x[base + i] !== 0) acc[o + i] = 1; return;
    case 'all': for (let i = 0; i < len; i++) if (x[base + i] === 0) acc[o + i] = 0; return;
  }
}

/**
 * Reduces x over `axes` (sorted, unique). Sums accumulate in double; mean divides by the
 * reduced count (NaN when it is 0); empty reductions give the op's identity.
 */
export function reduceImpl(
  op: ReduceOp, dtype: DType, x: TypedArray, shape: readonly number[], axes: readonly number[], keepDims: boolean,
): Computed {
  const outShape = shapeUtil.reducedShape(shape, axes, keepDims);
  const outSize = shapeUtil.sizeOf(outShape);
  const acc = new Float64Array(outSize).fill(INIT[op]);
  let count = 1;
  for (const a of axes) count *= shape[a];

  if (x.length > 0) {
    // Merge dims into runs of the same role; size-1 dims play no part.
    const sizes: number[] = [];
    const reduced: boolean[] = [];
    shape.forEach((d, i) => {
      if (d === 1) return;
      const r = axes.includes(i);
      if (sizes.length > 0 && reduced[reduced.length - 1] === r) sizes[sizes.length - 1] *= d;
      else {
        sizes.push(d);
        reduced.push(r);
      }
    });
    if (sizes.length === 0) {
      sizes.push(1);
      reduced.push(false);
    }
    // Output strides of the merged dims: kept dims are contiguous in order, reduced ones 0.
    const g = sizes.length;
    const outStrides = new Array<number>(g).fill(0);
    for (let d = g - 1, s = 1; d >= 0; d--) {
      if (!reduced[d]) {
        outStrides[d] = s;
        s *= sizes[d];
      }
    }
    const len = sizes[g - 1];
    const innerReduced = reduced[g - 1];
    const isInt = dtype !== 'float32';
    const rows = x.length / len;
    const idx = new Array<number>(g).fill(0);
    let o = 0;
    for (let row = 0, base = 0; row < rows; row++, base += len) {
      if (innerReduced) acc[o] = foldRun(op, isInt, acc[o], x, base, len);
      else foldRow(op, isInt, acc, o, x, base, len);
      for (let d = g - 2; d >= 0; d--) {
        o += outStrides[d];
        if (++idx[d] < sizes[d]) break;
        o -= outStrides[d] * sizes[d];
        idx[d] = 0;
      }
    }
  }

  if (op === 'mean') for (let i = 0; i < outSize; i++) acc[i] /= count;
  const out = allocate(reduceOutDType(op, dtype), outSize);
  out.set(acc);
  return { values: out, shape: outShape };
}

/** The Reduce kernel: `reduceImpl` on the backend's buffers. */
export const reduce: KernelImpl<'Reduce', JsBackend> = ({ x }, { op, axes, keepDims }, backend) => {
  const { values, shape } = reduceImpl(op, x.dtype, backend.values(x), x.shape, axes, keepDims);
  return backend.output(values, shape, reduceOutDType(op, x.dtype));
};
