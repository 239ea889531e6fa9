// Broadcast and permutation plans: the bookkeeping the TypeScript side does before a kernel
// call. Dims of size 1 are dropped and adjacent dims that are contiguous for every operand
// merge, so kernels walk a few long rows with fixed strides.
import { shapeUtil } from '@tensile/core';

/** Output dims after merging, and each operand's element strides over them (0 where broadcast). */
export interface Plan {
  shape: number[];
  strides: number[][];
}

/**
 * Plans reading operands of `shapes` while writing a contiguous output of `outShape`.
 * @example broadcastPlan([2, 3], [[2, 1], [3]]) // { shape: [2, 3], strides: [[1, 0], [0, 1]] }
 */
export function broadcastPlan(outShape: readonly number[], shapes: readonly (readonly number[])[]): Plan {
  const full = shapes.map((s) => shapeUtil.broadcastStrides(s, outShape));
  const shape: number[] = [];
  const strides: number[][] = shapes.map(() => []);
  for (let d = 0; d < outShape.length; d++) {
    const n = outShape[d]!;
    if (n === 1) continue;
    const last = shape.length - 1;
    if (last >= 0 && full.every((st, k) => strides[k]![last] === st[d]! * n)) {
      shape[last]! *= n;
      full.forEach((st, k) => (strides[k]![last] = st[d]!));
    } else {
      shape.push(n);
      full.forEach((st, k) => strides[k]!.push(st[d]!));
    }
  }
  if (shape.length === 0) {
    shape.push(1);
    strides.forEach((st) => st.push(0));
  }
  return { shape, strides };
}

/**
 * A broadcast plan as the words the Rust `read_plan` expects: [rank, dims, strides of each operand].
 * @example planWords([2, 3], [[3]]) // [2, 2, 3, 0, 1]
 */
export function planWords(shape: readonly number[], shapes: readonly (readonly number[])[]): number[] {
  // The common cases without building a plan: every operand the output's shape, or a scalar.
  const size = shapeUtil.sizeOf(shape);
  if (shapes.every((s) => s.length === 0 || (s.length === shape.length && s.every((d, i) => d === shape[i])))) {
    return [1, size, ...shapes.map((s) => (s.length === 0 && size !== 1 ? 0 : 1))];
  }
  const plan = broadcastPlan(shape, shapes);
  return [plan.shape.length, ...plan.shape, ...plan.strides.flat()];
}

/** Calls `row(outOffset, offsets)` for each innermost row of the plan (for batch loops). */
export function forEachRow(plan: Plan, row: (out: number, offsets: number[]) => void): void {
  const { shape, strides } = plan;
  const r = shape.length;
  const inner = shape[r - 1]!;
  const size = shapeUtil.sizeOf(shape);
  if (size === 0) return;
  const idx = new Array<number>(r).fill(0);
  const offsets = strides.map(() => 0);
  for (let i = 0; i < size / inner; i++) {
    row(i * inner, offsets);
    for (let d = r - 2; d >= 0; d--) {
      idx[d]!++;
      for (let k = 0; k < offsets.length; k++) offsets[k]! += strides[k]![d]!;
      if (idx[d]! < shape[d]!) break;
      for (let k = 0; k < offsets.length; k++) offsets[k]! -= strides[k]![d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}
