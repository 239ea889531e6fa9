// The engine's mutable state, in one object: active backend, live buffers, scopes, autograd mode.
import type { Backend, DataId } from '../backend/backend.js';
import type { DType } from '../dtype.js';
import type { Tensor } from '../tensor.js';

/**
 * One backend buffer, shared by every tensor that views it (reshape is metadata), and
 * re-pointed in place when the data moves to another backend.
 */
export interface DataRef {
  backend: Backend;
  id: DataId;
  shape: number[];
  dtype: DType;
  bytes: number;
  refCount: number;
}

export const state = {
  backend: undefined as Backend | undefined,
  refs: new Set<DataRef>(),
  liveTensors: 0,
  /** Open tidy scopes, innermost last; each tracks the tensors created inside it. */
  scopes: [] as Tensor[][],
  /** > 0 inside noGrad(): no gradient graph is recorded. */
  noGradDepth: 0,
  /** > 0 while a function under valueAndGrad runs: tidy must not free what the tape needs. */
  tapeDepth: 0,
  /** Offset of the default random stream (advanced by every unseeded draw). */
  randomSeed: 0x5eed,
  randomOffset: 0,
};
