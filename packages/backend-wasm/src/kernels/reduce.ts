// Reductions: Reduce (merged axis runs), ArgReduce, and the fused stable Softmax.
import { shapeUtil } from '@tensile/core';
import type { DType, KernelImpl } from '@tensile/core';
import type { WasmBackend } from '../backend.js';
import { DTYPE_CODE, REDUCE_CODE } from '../codes.js';

/** The Reduce kernel: adjacent dims with the same role (kept or reduced) merge into runs. */
export const reduce: KernelImpl<'Reduce', WasmBackend> = ({ x }, { op, axes, keepDims }, backend) => {
  const shape = shapeUtil.reducedShape(x.shape, axes, keepDims);
  const dtype: DType = op === 'any' || op === 'all' ? 'bool' : op === 'mean' ? 'float32' : x.dtype;
  const [out, o] = backend.output(shape, dtype);
  const outSize = shapeUtil.sizeOf(shape);
  if (outSize === 0) return out;
  const sizes: number[] = [];
  const reduced: number[] = [];
  x.shape.forEach((d, i) => {
    if (d === 1) return;
    const r = axes.includes(i) ? 1 : 0;
    if (sizes.length > 0 && reduced[reduced.length - 1] === r) sizes[sizes.length - 1]! *= d;
    else {
      sizes.push(d);
      reduced.push(r);
    }
  });
  if (sizes.length === 0) {
    sizes.push(1);
    reduced.push(0);
  }
  const g = sizes.length;
  const outStrides = new Array<number>(g).fill(0);
  for (let d = g - 1, s = 1; d >= 0; d--) {
    if (!reduced[d]) {
      outStrides[d] = s;
      s *= sizes[d]!;
    }
  }
  let count = 1;
  for (const a of axes) count *= x.shape[a]!;
  const p = backend.params([g, ...sizes, ...reduced, ...outStrides, count]);
  backend.wasm.tk_reduce(REDUCE_CODE[op], DTYPE_CODE[x.dtype], backend.ptr(x), shapeUtil.sizeOf(x.shape), o, outSize, p);
  return out;
};

/** [outer, len, inner] of x around `axis` (a rank-0 x is one element). */
function around(shape: readonly number[], axis: number): [number, number, number] {
  return [shapeUtil.sizeOf(shape.slice(0, axis)), shape[axis] ?? 1, shapeUtil.sizeOf(shape.slice(axis + 1))];
}

/** The ArgReduce kernel. */
export const argReduce: KernelImpl<'ArgReduce', WasmBackend> = ({ x }, { op, axis, keepDims }, backend) => {
  const [out, o] = backend.output(shapeUtil.reducedShape(x.shape, [axis], keepDims), 'int32');
  const [outer, len, inner] = around(x.shape, axis);
  if (outer * inner > 0) backend.wasm.tk_arg_reduce(op === 'max' ? 0 : 1, DTYPE_CODE[x.dtype], backend.ptr(x), o, outer, len, inner);
  return out;
};

/** The Softmax kernel (log-softmax with `log`). */
export const softmax: KernelImpl<'Softmax', WasmBackend> = ({ x }, { axis, log }, backend) => {
  const [out, o] = backend.output(x.shape.slice(), 'float32');
  const [outer, len, inner] = around(x.shape, axis);
  if (outer * len * inner > 0) backend.wasm.tk_softmax(backend.ptr(x), o, outer, len, inner, log ? 1 : 0);
  return out;
};
