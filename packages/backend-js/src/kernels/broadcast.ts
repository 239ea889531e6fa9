// Row iteration for broadcasting kernels (Binary, Where). Dims of size 1 are dropped and
// adjacent dims that are contiguous for every operand are merged, so the common cases
// (equal shapes, a per-channel bias, a scalar) become a few long rows with fixed strides.
import { shapeUtil } from '@tensile/core';

/** Output dims after merging, and each operand's strides over them (0 where broadcast). */
export interface BroadcastPlan {
  shape: number[];
  strides: number[][];
}

/** Plans reading operands of `shapes` while writing a contiguous output of `outShape`. */
export function broadcastPlan(outShape: readonly number[], shapes: readonly (readonly number[])[]): BroadcastPlan {
  const full = shapes.map((s) => shapeUtil.broadcastStrides(s, outShape));
  const shape: number[] = [];
  const strides: number[][] = shapes.map(() => []);
  for (let d = 0; d < outShape.length; d++) {
    const n = outShape[d];
    if (n === 1) continue;
    const last = shape.length - 1;
    // Merge into the previous dim when, for every operand, stepping that dim once equals
    // stepping this one n times.
    if (last >= 0 && full.every((st, k) => strides[k][last] === st[d] * n)) {
      shape[last] *= n;
      full.forEach((st, k) => (strides[k][last] = st[d]));
    } else {
      shape.push(n);
      full.forEach((st, k) => strides[k].push(st[d]));
    }
  }
  if (shape.length === 0) {
    shape.push(1);
    strides.forEach((st) => st.push(0));
  }
  return { shape, strides };
}

/**
 * Calls `row(outOffset, offsets)` for each innermost row of the plan, with each operand's
 * offset at the row's start; the row has `plan.shape[last]` elements.
 */
export function forEachRow(plan: BroadcastPlan, row: (out: number, offsets: number[]) => void): void {
  const { shape, strides } = plan;
  const r = shape.length;
  const inner = shape[r - 1];
  const size = shapeUtil.sizeOf(shape);
  if (size === 0) return;
  const rows = size / inner;
  const idx = new Array<number>(r).fill(0);
  const offsets = strides.map(() => 0);
  for (let i = 0; i < rows; i++) {
    row(i * inner, offsets);
    // Odometer over the outer dims, moving each operand's offset along.
    for (let d = r - 2; d >= 0; d--) {
      idx[d]++;
      for (let k = 0; k < offsets.length; k++) offsets[k] += strides[k][d];
      if (idx[d] < shape[d]) break;
      for (let k = 0; k < offsets.length; k++) offsets[k] -= strides[k][d] * shape[d];
      idx[d] = 0;
    }
  }
}
