// Dispatch: turns tensors into kernel inputs on the active backend, runs the kernel, and
// wraps the result as a tensor tracked by the innermost scope. One-way: op -> kernel -> memory.
import type { TensorInfo } from '../backend/backend.js';
import type { FusedKernelName, FusedKernelSpecs, KernelAttrs, KernelInputs, KernelName } from '../backend/kernels.js';
import { getBackend, moveRefSync } from '../backend/registry.js';
import { bytesPerElement, type DType, type TypedArray } from '../dtype.js';
import { DisposedError, fmt } from '../errors.js';
import { Tensor } from '../tensor.js';
import { state, type DataRef } from './state.js';

/** Kernel inputs as tensors: TensorInfo slots become Tensor, TensorInfo[] slots Tensor[]. */
type AsTensors<I> = { [P in keyof I]: I[P] extends TensorInfo[] ? Tensor[] : Tensor };
export type TensorInputs<K extends KernelName> = AsTensors<KernelInputs<K>>;

/** Throws DisposedError if `t` was disposed, naming the op and argument. */
export function assertLive(op: string, t: Tensor, arg = 'x'): void {
  if (t.ref === null) throw new DisposedError(`${op}: argument '${arg}' (shape ${fmt(t.shape)}) was disposed`);
}

function info(op: string, t: Tensor, arg: string): TensorInfo {
  assertLive(op, t, arg);
  const ref = t.ref!;
  moveRefSync(ref, getBackend(), op);
  return { id: ref.id, shape: t.shape, dtype: t.dtype };
}

type Impl = (inputs: unknown, attrs: unknown, backend: unknown) => TensorInfo;

/** Runs kernel `K` on the active backend; inputs must already be validated by the op. */
export function runKernel<K extends KernelName>(kernel: K, inputs: TensorInputs<K>, attrs: KernelAttrs<K>): Tensor {
  return dispatch(kernel, getBackend().kernels[kernel] as Impl, inputs, attrs);
}

/** The active backend's override of fused kernel `K`, if it has one. */
export function fusedKernel<K extends FusedKernelName>(kernel: K): boolean {
  return getBackend().fused?.[kernel] !== undefined;
}

/** Runs the active backend's override of fused kernel `K` (check `fusedKernel` first). */
export function runFused<K extends FusedKernelName>(
  kernel: K, inputs: AsTensors<FusedKernelSpecs[K]['inputs']>, attrs: FusedKernelSpecs[K]['attrs'],
): Tensor {
  return dispatch(kernel, getBackend().fused![kernel] as Impl, inputs, attrs);
}

function dispatch(kernel: string, impl: Impl, inputs: object, attrs: unknown): Tensor {
  const backend = getBackend();
  const infos: Record<string, TensorInfo | TensorInfo[]> = {};
  for (const [k, v] of Object.entries(inputs as Record<string, Tensor | Tensor[] | undefined>)) {
    if (v === undefined) continue;
    infos[k] = Array.isArray(v) ? v.map((t, i) => info(kernel, t, `${k}[${i}]`)) : info(kernel, v, k);
  }
  const out = impl(infos, attrs, backend);
  return wrap(out.id, out.shape, out.dtype);
}

/** Uploads values to the active backend as a new tensor. */
export function makeTensor(values: TypedArray, shape: number[], dtype: DType): Tensor {
  const id = getBackend().write(values, shape, dtype);
  return wrap(id, shape, dtype);
}

function wrap(id: object, shape: number[], dtype: DType): Tensor {
  let size = 1;
  for (const d of shape) size *= d;
  const ref: DataRef = { backend: getBackend(), id, shape, dtype, bytes: size * bytesPerElement(dtype), refCount: 0 };
  state.refs.add(ref);
  return adopt(new Tensor(shape, dtype, ref));
}

/** A new tensor viewing the same buffer with another shape (reshape is metadata). */
export function view(t: Tensor, shape: number[]): Tensor {
  return adopt(new Tensor(shape, t.dtype, t.ref!));
}

function adopt(t: Tensor): Tensor {
  t.ref!.refCount++;
  state.liveTensors++;
  state.scopes[state.scopes.length - 1]?.push(t);
  return t;
}

/** Releases a tensor's hold on its buffer; frees the buffer when no tensor views it. */
export function release(t: Tensor): void {
  const ref = t.ref;
  if (ref === null) return;
  t.ref = null;
  state.liveTensors--;
  if (t.owned) for (const o of t.owned) release(o);
  t.owned = null;
  unref(ref);
}

/** Points an existing tensor (a Variable) at another tensor's buffer. */
export function rebind(target: Tensor, source: Tensor): void {
  const old = target.ref!;
  source.ref!.refCount++;
  target.ref = source.ref;
  unref(old);
}

/** Drops one tensor's hold on a buffer; the last one frees it. */
function unref(ref: DataRef): void {
  if (--ref.refCount === 0) {
    ref.backend.dispose(ref.id);
    state.refs.delete(ref);
  }
}

/** Makes `target` hold `source`'s buffer as a long-lived handle outside every scope. */
export function share(target: Tensor, source: Tensor): void {
  target.ref = source.ref;
  source.ref!.refCount++;
  state.liveTensors++;
  target.kept = true;
}
