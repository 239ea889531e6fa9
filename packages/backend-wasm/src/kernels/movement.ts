// Data movement: BroadcastTo, Transpose, Slice, Concat, Pad, Gather, ScatterAdd, OneHot.
import { shapeUtil } from '@tensile/core';
import type { KernelImpl } from '@tensile/core';
import type { WasmBackend } from '../backend.js';
import { DTYPE_CODE } from '../codes.js';
import { planWords } from '../plan.js';

/** The BroadcastTo kernel. */
export const broadcastTo: KernelImpl<'BroadcastTo', WasmBackend> = ({ x }, { shape }, backend) => {
  const [out, o] = backend.output(shape, x.dtype);
  if (shapeUtil.sizeOf(shape) === 0) return out;
  backend.wasm.tk_broadcast_to(DTYPE_CODE[x.dtype], backend.ptr(x), o, backend.params(planWords(shape, [x.shape])));
  return out;
};

/** The Transpose kernel: the permutation is coalesced first; what remains is a strided walk. */
export const transpose: KernelImpl<'Transpose', WasmBackend> = ({ x }, { perm }, backend) => {
  const [out, o] = backend.output(perm.map((p) => x.shape[p]!), x.dtype);
  if (shapeUtil.sizeOf(x.shape) === 0) return out;
  const c = shapeUtil.coalescePermutation(x.shape, perm);
  const inStrides = shapeUtil.stridesOf(c.shape);
  const dims = c.perm.map((p) => c.shape[p]!);
  const strides = c.perm.map((p) => inStrides[p]!);
  backend.wasm.tk_transpose(DTYPE_CODE[x.dtype], backend.ptr(x), o, backend.params([dims.length, ...dims, ...strides]));
  return out;
};

/** The Slice kernel: out[i] = x[begin + i * step] per axis. */
export const slice: KernelImpl<'Slice', WasmBackend> = ({ x }, { begin, size, step }, backend) => {
  const [out, o] = backend.output(size.slice(), x.dtype);
  if (shapeUtil.sizeOf(size) === 0) return out;
  const strides = shapeUtil.stridesOf(x.shape);
  const base = begin.reduce((s, b, d) => s + b * strides[d]!, 0);
  const steps = strides.map((s, d) => s * step[d]!);
  backend.wasm.tk_slice(DTYPE_CODE[x.dtype], backend.ptr(x), base, o, backend.params([size.length, ...size, ...steps]));
  return out;
};

/** The Concat kernel: each input contributes one contiguous chunk per outer index. */
export const concat: KernelImpl<'Concat', WasmBackend> = ({ xs }, { axis }, backend) => {
  const shape = xs[0]!.shape.slice();
  shape[axis] = xs.reduce((s, x) => s + x.shape[axis]!, 0);
  const [out, o] = backend.output(shape, xs[0]!.dtype);
  if (shapeUtil.sizeOf(shape) === 0) return out;
  const words = [xs.length];
  for (const x of xs) words.push(backend.ptr(x), shapeUtil.sizeOf(x.shape.slice(axis)));
  backend.wasm.tk_concat(DTYPE_CODE[xs[0]!.dtype], o, shapeUtil.sizeOf(shape.slice(0, axis)), backend.params(words));
  return out;
};

/** The Pad kernel: constant padding. */
export const pad: KernelImpl<'Pad', WasmBackend> = ({ x }, { pads, value }, backend) => {
  const shape = x.shape.map((d, i) => pads[i]![0] + d + pads[i]![1]);
  const [out, o] = backend.output(shape, x.dtype);
  const size = shapeUtil.sizeOf(shape);
  if (size === 0) return out;
  const outStrides = shapeUtil.stridesOf(shape);
  const dst0 = pads.reduce((s, [before], d) => s + before * outStrides[d]!, 0);
  const p = backend.params([x.shape.length, ...x.shape, ...outStrides, dst0]);
  backend.wasm.tk_pad(DTYPE_CODE[x.dtype], backend.ptr(x), o, size, p, value);
  return out;
};

/** The Gather kernel. */
export const gather: KernelImpl<'Gather', WasmBackend> = ({ x, indices }, { axis }, backend) => {
  const shape = [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)];
  const [out, o] = backend.output(shape, x.dtype);
  if (shapeUtil.sizeOf(shape) === 0) return out;
  backend.wasm.tk_gather(
    DTYPE_CODE[x.dtype], backend.ptr(x), backend.ptr(indices), o, shapeUtil.sizeOf(x.shape.slice(0, axis)),
    x.shape[axis]!, shapeUtil.sizeOf(x.shape.slice(axis + 1)), shapeUtil.sizeOf(indices.shape),
  );
  return out;
};

/** The ScatterAdd kernel: a segment sum in index order (deterministic, no atomics). */
export const scatterAdd: KernelImpl<'ScatterAdd', WasmBackend> = ({ updates, indices }, { axis, size }, backend) => {
  const rest = updates.shape.slice(axis + indices.shape.length);
  const shape = [...updates.shape.slice(0, axis), size, ...rest];
  const [out, o] = backend.output(shape, updates.dtype);
  if (shapeUtil.sizeOf(shape) === 0) return out;
  backend.wasm.tk_scatter_add(
    DTYPE_CODE[updates.dtype], backend.ptr(updates), backend.ptr(indices), o, shapeUtil.sizeOf(updates.shape.slice(0, axis)),
    size, shapeUtil.sizeOf(rest), shapeUtil.sizeOf(indices.shape),
  );
  return out;
};

/** The OneHot kernel. */
export const oneHot: KernelImpl<'OneHot', WasmBackend> = ({ indices }, { depth, on, off, dtype }, backend) => {
  const [out, o] = backend.output([...indices.shape, depth], dtype);
  const count = shapeUtil.sizeOf(indices.shape);
  if (count * depth > 0) backend.wasm.tk_one_hot(DTYPE_CODE[dtype], backend.ptr(indices), count, depth, on, off, o);
  return out;
};
