// The engine's mutable state, in one object: active backend, live buffers, scopes, autograd mode.
import type { Backend, DataId } from '../backend/backend.js';
import type { DType } from '../dtype.js';
import type { Tensor } from '../tensor.js';

/**
 * One backend buffer, shared by every tensor that views it (reshape is metadata) and by the
 * gradient graphs that saved it, and re-pointed in place when the data moves to another backend.
 */
export interface DataRef {
  backend: Backend;
  id: DataId;
  shape: number[];
  dtype: DType;
  bytes: number;
  /** Tensor handles and graph nodes holding this buffer; the last release frees it. */
  refCount: number;
  /** An asynchronous move to another backend in flight (moves of one buffer run one at a time). */
  moving?: Promise<void>;
}

export const state = {
  backend: undefined as Backend | undefined,
  refs: new Set<DataRef>(),
  /** Every live tensor handle (disposed ones leave); `memory().tensors` is its size. */
  live: new Set<Tensor>(),
  /** Bytes of the live buffers, and the most there were since the last `resetPeakMemory()`. */
  bytes: 0,
  peakBytes: 0,
  /** Open tidy scopes, innermost last; each tracks the tensors created inside it. */
  scopes: [] as Tensor[][],
  /** > 0 inside noGrad(): no gradient graph is recorded. */
  noGradDepth: 0,
  /** Backend instances that reported loss (or were removed), with the reason. */
  lost: new WeakMap<Backend, string>(),
  /** Offset of the default random stream (advanced by every unseeded draw). */
  randomSeed: 0x5eed,
  randomOffset: 0,
};
