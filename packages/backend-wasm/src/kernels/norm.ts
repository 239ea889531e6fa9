// BatchNorm and LayerNorm, fused: shape bookkeeping here, one pass per kernel in Rust (norm.rs).
import { shapeUtil } from '@tensile/core';
import type { FusedKernelImpl } from '@tensile/core';
import type { WasmBackend } from '../backend.js';

/** The BatchNorm kernel: x [N, C, ...] as [N, C, inner], statistics and affine per channel. */
export const batchNorm: FusedKernelImpl<'BatchNorm', WasmBackend> = ({ x, mean, variance, weight, bias }, { eps }, backend) => {
  const [out, o] = backend.output(x.shape.slice(), 'float32');
  const c = x.shape[1]!, inner = shapeUtil.sizeOf(x.shape.slice(2));
  if (shapeUtil.sizeOf(x.shape) === 0) return out;
  backend.wasm.tk_batch_norm(
    backend.ptr(x), backend.ptr(mean), backend.ptr(variance), weight ? backend.ptr(weight) : 0, bias ? backend.ptr(bias) : 0,
    o, x.shape[0]!, c, inner, eps,
  );
  return out;
};

/** The LayerNorm kernel: x as rows of its last `normalizedDims` dims. */
export const layerNorm: FusedKernelImpl<'LayerNorm', WasmBackend> = ({ x, weight, bias }, { normalizedDims, eps }, backend) => {
  const [out, o] = backend.output(x.shape.slice(), 'float32');
  const len = shapeUtil.sizeOf(x.shape.slice(x.shape.length - normalizedDims));
  const size = shapeUtil.sizeOf(x.shape);
  if (size === 0) return out;
  backend.wasm.tk_layer_norm(backend.ptr(x), weight ? backend.ptr(weight) : 0, bias ? backend.ptr(bias) : 0, o, size / len, len, eps);
  return out;
};
