// Conv2D and its two backprop kernels: im2col + the packed GEMM in Rust.
import { shapeUtil } from '@tensile/core';
import type { ConvAttrs, KernelImpl } from '@tensile/core';
import type { WasmBackend } from '../backend.js';

/** The 16 words of rust-kernels' `conv::Geometry`. */
function geometry(x: readonly number[], w: readonly number[], out: readonly number[], a: ConvAttrs): number[] {
  const [n, c, h, wd] = x as [number, number, number, number];
  const [o, , kh, kw] = w as [number, number, number, number];
  return [n, c, h, wd, o, kh, kw, a.stride[0], a.stride[1], a.pad[0], a.pad[2], a.dilation[0], a.dilation[1], a.groups, out[2]!, out[3]!];
}

/** The Conv2D kernel. */
export const conv2d: KernelImpl<'Conv2D', WasmBackend> = ({ x, w }, attrs, backend) => {
  const shape = [x.shape[0]!, w.shape[0]!, ...attrs.outSize];
  const [out, o] = backend.output(shape, 'float32');
  if (shapeUtil.sizeOf(shape) === 0) return out;
  const p = backend.params(geometry(x.shape, w.shape, shape, attrs));
  backend.wasm.tk_conv2d(backend.ptr(x), backend.ptr(w), o, p);
  return out;
};

/** The Conv2DBackpropInput kernel. */
export const conv2dBackpropInput: KernelImpl<'Conv2DBackpropInput', WasmBackend> = ({ dy, w }, attrs, backend) => {
  const shape = [...attrs.inputShape];
  const [out, o] = backend.output(shape, 'float32');
  if (shapeUtil.sizeOf(shape) === 0) return out;
  const p = backend.params(geometry(shape, w.shape, dy.shape, attrs));
  backend.wasm.tk_conv2d_backprop_input(backend.ptr(dy), backend.ptr(w), o, p);
  return out;
};

/** The Conv2DBackpropFilter kernel. */
export const conv2dBackpropFilter: KernelImpl<'Conv2DBackpropFilter', WasmBackend> = ({ x, dy }, attrs, backend) => {
  const shape = [...attrs.filterShape];
  const [out, o] = backend.output(shape, 'float32');
  if (shapeUtil.sizeOf(shape) === 0) return out;
  const p = backend.params(geometry(x.shape, shape, dy.shape, attrs));
  backend.wasm.tk_conv2d_backprop_filter(backend.ptr(x), backend.ptr(dy), o, p);
  return out;
};
