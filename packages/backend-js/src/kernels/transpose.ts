// Transpose: a general permutation, with dims that move together merged first and a
// cache-blocked path for what is then a plain 2-D transpose.
import { allocate, shapeUtil } from '@tensile/core';
import type { DType, KernelImpl, TypedArray } from '@tensile/core';
import type { JsBackend } from '../backend.js';
import type { Computed } from './types.js';

const BLOCK = 32;

/** out[j, i] = x[i, j] for x of rows x cols, in cache-sized tiles. */
function transpose2d(x: TypedArray, out: TypedArray, rows: number, cols: number): void {
  for (let i0 = 0; i0 < rows; i0 += BLOCK) {
    const i1 = Math.min(rows, i0 + BLOCK);
    for (let j0 = 0; j0 < cols; j0 += BLOCK) {
      const j1 = Math.min(cols, j0 + BLOCK);
      for (let i = i0; i < i1; i++) {
        for (let j = j0; j < j1; j++) out[j * rows + i] = x[i * cols + j];
      }
    }
  }
}

/** Permutes the dims of x: out.shape[i] = shape[perm[i]]. */
export function transposeImpl(dtype: DType, x: TypedArray, shape: readonly number[], perm: readonly number[]): Computed {
  const outShape = perm.map((p) => shape[p]);
  const out = allocate(dtype, x.length);
  const c = shapeUtil.coalescePermutation(shape, perm);
  const r = c.shape.length;
  if (x.length === 0) return { values: out, shape: outShape };
  if (r <= 1) {
    out.set(x);
    return { values: out, shape: outShape };
  }
  if (r === 2) {
    transpose2d(x, out, c.shape[0], c.shape[1]);
    return { values: out, shape: outShape };
  }
  // General case: walk the output in order; the input moves by permuted strides.
  const inStrides = shapeUtil.stridesOf(c.shape);
  const dims = c.perm.map((p) => c.shape[p]);
  const steps = c.perm.map((p) => inStrides[p]);
  const inner = dims[r - 1], step = steps[r - 1];
  const idx = new Array<number>(r).fill(0);
  let src = 0;
  for (let o = 0; o < out.length; o += inner) {
    for (let i = 0, s = src; i < inner; i++) {
      out[o + i] = x[s];
      s += step;
    }
    for (let d = r - 2; d >= 0; d--) {
      src += steps[d];
      if (++idx[d] < dims[d]) break;
      src -= steps[d] * dims[d];
      idx[d] = 0;
    }
  }
  return { values: out, shape: outShape };
}

/** The Transpose kernel: `transposeImpl` on the backend's buffers. */
export const transpose: KernelImpl<'Transpose', JsBackend> = ({ x }, { perm }, backend) => {
  const { values, shape } = transposeImpl(x.dtype, backend.values(x), x.shape, perm);
  return backend.output(values, shape, x.dtype);
};
