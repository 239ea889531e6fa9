// The backend contract: a plain object that owns memory and implements every kernel.
import type { DType, TypedArray } from '../dtype.js';
import type { FusedKernelTable, KernelTable } from './kernels.js';

/** Version of this contract; `registerBackend` rejects a backend built for another one. */
export const SPEC_VERSION = 2;

/** Opaque handle to a backend's buffer. Backends pick what it holds; core only passes it back. */
export type DataId = object;

/** What a kernel sees of a tensor: its buffer, shape and dtype (contiguous, row-major). */
export interface TensorInfo {
  id: DataId;
  shape: number[];
  dtype: DType;
}

export interface Backend {
  readonly name: string;
  readonly specVersion: number;
  /** Uploads values (copied; the caller keeps ownership of `values`). */
  write(values: TypedArray, shape: readonly number[], dtype: DType): DataId;
  /** Reads a buffer back. Every backend supports it. */
  read(id: DataId): Promise<TypedArray>;
  /** Synchronous readback where the platform allows (not WebGPU). */
  readSync?(id: DataId): TypedArray;
  /** Frees a buffer. Core calls it exactly once per id. */
  dispose(id: DataId): void;
  /** Live buffers and their bytes. */
  memory(): { buffers: number; bytes: number };
  readonly kernels: KernelTable<any>;
  /** Optional fused kernels; core falls back to their decomposition where absent. */
  readonly fused?: FusedKernelTable<any>;
  /** Waits for queued work (GPU backends); core awaits it before every read. */
  flush?(): Promise<void>;
  /**
   * Resolves, with a reason, if the backend loses its device (WebGPU `device.lost`). Core
   * then fails every later use of its tensors with a DeviceLostError naming it, and the next
   * `setBackend(name)` creates a fresh instance.
   */
  readonly lost?: Promise<string>;
}

/** Creates a backend; may be async (WASM instantiation, GPU adapter). */
export type BackendFactory = () => Backend | Promise<Backend>;
