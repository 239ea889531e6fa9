// Dispatch: turns tensors into kernel inputs on the active backend, runs the kernel, and
// wraps the result as a tensor tracked by the innermost scope. One-way: op -> kernel -> memory.
import type { Backend, TensorInfo } from '../backend/backend.js';
import type { FusedKernelName, FusedKernelSpecs, KernelAttrs, KernelInputs, KernelName } from '../backend/kernels.js';
import { getBackend, moveRefSync, nameOf } from '../backend/registry.js';
import { dropNode } from '../autograd/graph.js';
import { bytesPerElement, type DType, type TypedArray } from '../dtype.js';
import { AllocationError, DeviceLostError, DisposedError, fmt } from '../errors.js';
import { Tensor } from '../tensor.js';
import { hold, track, unref } from './buffers.js';
import { state, type DataRef } from './state.js';

/** Kernel inputs as tensors: TensorInfo slots become Tensor, TensorInfo[] slots Tensor[]; scalars stay numbers. */
type AsTensors<I> = {
  [P in keyof I]: I[P] extends TensorInfo[] ? Tensor[] : I[P] extends TensorInfo ? Tensor : Exclude<I[P], TensorInfo> | Tensor;
};
export type TensorInputs<K extends KernelName> = AsTensors<KernelInputs<K>>;

/** Throws DisposedError if `t` was disposed, or DeviceLostError if its backend was lost. */
export function assertLive(op: string, t: Tensor, arg = 'x'): void {
  if (t.ref === null) throw new DisposedError(`${op}: argument '${arg}' (shape ${fmt(t.shape)}) was disposed`);
  // `what` is a function so the message is only formatted when it is thrown: this runs per input of every op.
  assertUsable(op, t.ref.backend, () => `argument '${arg}' (shape ${fmt(t.shape)}) lives on it`);
}

/** Throws DeviceLostError if `backend` reported loss; `what` says what was on it. */
export function assertUsable(op: string, backend: Backend, what: string | (() => string)): void {
  const why = state.lost.get(backend);
  if (why !== undefined) {
    throw new DeviceLostError(`${op}: backend '${nameOf(backend)}' was lost (${why}) and ${typeof what === 'string' ? what : what()}; ` +
      `its data is gone: \`await setBackend('${nameOf(backend)}')\` re-creates the backend`);
  }
}

function info(op: string, t: Tensor, arg: string, backend: Backend): TensorInfo {
  assertLive(op, t, arg);
  const ref = t.ref!;
  moveRefSync(ref, backend, op);
  return { id: ref.id, shape: t.shape, dtype: t.dtype };
}

type Impl = (inputs: unknown, attrs: unknown, backend: unknown) => TensorInfo;

/**
 * Runs kernel `K` on the active backend; inputs must already be validated by the op. `op`
 * names the public op in allocation errors (default: the kernel).
 */
export function runKernel<K extends KernelName>(kernel: K, inputs: TensorInputs<K>, attrs: KernelAttrs<K>, op: string = kernel): Tensor {
  return dispatch(op, getBackend().kernels[kernel] as Impl, inputs, attrs);
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

function dispatch(op: string, impl: Impl, inputs: object, attrs: unknown): Tensor {
  const backend = getBackend();
  const infos: Record<string, TensorInfo | TensorInfo[] | number> = {};
  const named = inputs as Record<string, Tensor | Tensor[] | number | undefined>;
  for (const k in named) {
    const v = named[k];
    if (v === undefined) continue;
    infos[k] = typeof v === 'number' ? v
      : Array.isArray(v) ? v.map((t, i) => info(op, t, `${k}[${i}]`, backend)) : info(op, v, k, backend);
  }
  let out: TensorInfo;
  try {
    out = impl(infos, attrs, backend);
  } catch (err) {
    throw allocationError(op, backend, attrs, err) ?? err;
  }
  return wrap(backend, out.id, out.shape, out.dtype);
}

/** A JS RangeError from a buffer that could not be made, as a typed error naming op, shape and bytes. */
function allocationError(op: string, backend: Backend, attrs: unknown, err: unknown): AllocationError | undefined {
  if (!(err instanceof RangeError)) return undefined;
  const a = attrs as { shape?: unknown; dtype?: unknown };
  const known = Array.isArray(a?.shape) && typeof a?.dtype === 'string';
  const size = known ? (a.shape as number[]).reduce((x, y) => x * y, 1) : 0;
  const what = known ? `${a.dtype as string}${fmt(a.shape as number[])} (${size * bytesPerElement(a.dtype as DType)} bytes)` : 'its output';
  return new AllocationError(`${op}: cannot allocate ${what} on backend '${nameOf(backend)}': ${err.message}`);
}

/** Uploads values to the active backend as a new tensor. */
export function makeTensor(values: TypedArray, shape: number[], dtype: DType): Tensor {
  const backend = getBackend();
  return wrap(backend, backend.write(values, shape, dtype), shape, dtype);
}

function wrap(backend: Backend, id: object, shape: number[], dtype: DType): Tensor {
  let size = 1;
  for (const d of shape) size *= d;
  const ref: DataRef = { backend, id, shape, dtype, bytes: size * bytesPerElement(dtype), refCount: 0 };
  track(ref);
  return adopt(new Tensor(shape, dtype, ref));
}

/** A new tensor viewing the same buffer with another shape (reshape is metadata). */
export function view(t: Tensor, shape: number[]): Tensor {
  return adopt(new Tensor(shape, t.dtype, t.ref!));
}

function adopt(t: Tensor): Tensor {
  hold(t.ref!);
  state.live.add(t);
  state.scopes[state.scopes.length - 1]?.push(t);
  return t;
}

/**
 * Releases a tensor's hold on its buffer (freed when no tensor or graph holds it) and its
 * reference to its gradient node. The node pointer stays: consumers still walk through it.
 */
export function release(t: Tensor): void {
  const ref = t.ref;
  if (ref === null) return;
  t.ref = null;
  state.live.delete(t);
  if (t.node) dropNode(t.node);
  if (t.grad) release(t.grad);
  t.grad = null;
  unref(ref);
}

/** Points an existing tensor (a Variable) at another tensor's buffer. */
export function rebind(target: Tensor, source: Tensor): void {
  const old = target.ref!;
  hold(source.ref!);
  target.ref = source.ref;
  unref(old);
}

/** Makes `target` hold `source`'s buffer as a long-lived handle outside every scope. */
export function share(target: Tensor, source: Tensor): void {
  target.ref = source.ref;
  hold(source.ref!);
  state.live.add(target);
  target.kept = true;
}
