// Pool2D and Pool2DGrad.
import { shapeUtil } from '@tensile/core';
import type { KernelImpl, PoolAttrs } from '@tensile/core';
import type { WasmBackend } from '../backend.js';
import { POOL_CODE } from '../codes.js';

/** The 18 words of rust-kernels' `pool::PoolGeometry`. */
function geometry(x: readonly number[], a: PoolAttrs): number[] {
  const [n, c, h, w] = x as [number, number, number, number];
  return [
    n, c, h, w, a.outSize[0], a.outSize[1], a.kernel[0], a.kernel[1], a.stride[0], a.stride[1],
    a.pad[0], a.pad[1], a.pad[2], a.pad[3], a.dilation[0], a.dilation[1], POOL_CODE[a.op], Number(a.countIncludePad),
  ];
}

/** The Pool2D kernel (int32 window indices with `indices`). */
export const pool2d: KernelImpl<'Pool2D', WasmBackend> = ({ x }, attrs, backend) => {
  const shape = [x.shape[0]!, x.shape[1]!, ...attrs.outSize];
  const [out, o] = backend.output(shape, attrs.indices ? 'int32' : 'float32');
  if (shapeUtil.sizeOf(shape) === 0) return out;
  backend.wasm.tk_pool2d(backend.ptr(x), o, backend.params(geometry(x.shape, attrs)), Number(attrs.indices));
  return out;
};

/** The Pool2DGrad kernel. */
export const pool2dGrad: KernelImpl<'Pool2DGrad', WasmBackend> = ({ x, dy }, attrs, backend) => {
  const [out, o] = backend.output(x.shape.slice(), 'float32');
  if (shapeUtil.sizeOf(x.shape) === 0) return out;
  backend.wasm.tk_pool2d_grad(backend.ptr(x), backend.ptr(dy), o, backend.params(geometry(x.shape, attrs)));
  return out;
};
