// Elementwise kernels: Unary, Binary and Where (broadcast plans), Fill, Cast.
import { shapeUtil } from '@tensile/core';
import type { DType, KernelImpl, Operand, TensorInfo } from '@tensile/core';
import type { WasmBackend } from '../backend.js';
import { BINARY_CODE, DTYPE_CODE, UNARY_CODE } from '../codes.js';
import { planWords } from '../plan.js';

/** An operand's address and shape: a tensor's buffer, or a scalar in the parameter arena. */
function operand(x: Operand, dtype: DType, backend: WasmBackend): [number, readonly number[]] {
  if (typeof x === 'number') return [backend.scalar(x, dtype), []];
  return [backend.ptr(x), x.shape];
}

/** The Unary kernel. */
export const unary: KernelImpl<'Unary', WasmBackend> = ({ x }, { op, alpha }, backend) => {
  const dtype: DType = op === 'isNaN' || op === 'isInf' ? 'bool' : x.dtype;
  const [out, o] = backend.output(x.shape.slice(), dtype);
  const n = shapeUtil.sizeOf(x.shape);
  if (n > 0) backend.wasm.tk_unary(UNARY_CODE[op], DTYPE_CODE[x.dtype], backend.ptr(x), o, n, alpha ?? NaN);
  return out;
};

/** The Binary kernel: numpy broadcasting inside the kernel; a scalar operand travels by value. */
export const binary: KernelImpl<'Binary', WasmBackend> = ({ a, b }, { op, shape, dtype }, backend) => {
  const operandDType = typeof a === 'number' ? (b as TensorInfo).dtype : a.dtype;
  const [out, o] = backend.output(shape, dtype);
  if (shapeUtil.sizeOf(shape) === 0) return out;
  const [pa, sa] = operand(a, operandDType, backend);
  const [pb, sb] = operand(b, operandDType, backend);
  const p = backend.params(planWords(shape, [sa, sb]));
  backend.wasm.tk_binary(BINARY_CODE[op], DTYPE_CODE[operandDType], pa, pb, o, p);
  return out;
};

/** The Where kernel. */
export const where: KernelImpl<'Where', WasmBackend> = ({ cond, a, b }, { shape, dtype }, backend) => {
  const [out, o] = backend.output(shape, dtype);
  if (shapeUtil.sizeOf(shape) === 0) return out;
  const [pa, sa] = operand(a, dtype, backend);
  const [pb, sb] = operand(b, dtype, backend);
  const p = backend.params(planWords(shape, [cond.shape, sa, sb]));
  backend.wasm.tk_where(DTYPE_CODE[dtype], backend.ptr(cond), pa, pb, o, p);
  return out;
};

/** The Fill kernel: no host-side buffer, the value travels as an attribute. */
export const fill: KernelImpl<'Fill', WasmBackend> = (_inputs, { shape, dtype, value }, backend) => {
  const [out, o] = backend.output(shape, dtype);
  backend.wasm.tk_fill(DTYPE_CODE[dtype], o, shapeUtil.sizeOf(shape), value);
  return out;
};

/** The Cast kernel. */
export const cast: KernelImpl<'Cast', WasmBackend> = ({ x }, { dtype }, backend) => {
  const [out, o] = backend.output(x.shape.slice(), dtype);
  const n = shapeUtil.sizeOf(x.shape);
  if (n > 0) backend.wasm.tk_cast(DTYPE_CODE[x.dtype], DTYPE_CODE[dtype], backend.ptr(x), o, n);
  return out;
};
