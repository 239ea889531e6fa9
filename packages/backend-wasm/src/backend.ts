// The WASM backend object: a memory manager over the kernels' linear memory (one block per
// DataId, freed on dispose and reused by the Rust allocator) and the kernel table. Kernels
// run synchronously inside the instance; TypeScript only lays out pointers and shapes.
import { DisposedError, SPEC_VERSION, bytesPerElement, shapeUtil } from '@tensile/core';
import type { Backend, DataId, DType, FusedKernelTable, KernelTable, TensorInfo, TypedArray } from '@tensile/core';
import type { KernelExports } from './exports.js';
import { fused, kernels } from './kernels/index.js';
import { loadKernels } from './threaded_kernels.js';
import type { WasmSource } from './loader.js';

/** What a WASM DataId holds: the block's address and size in linear memory. */
export interface WasmData {
  readonly ptr: number;
  /** Bytes requested for the block (elements * bytes per element). */
  readonly bytes: number;
  readonly size: number;
  readonly dtype: DType;
}

/** What `getBackendInfo()` reports. */
export interface WasmBackendInfo {
  /** The kernels use WebAssembly SIMD128 (the only artifact shipped needs it). */
  simd: boolean;
  /** Threads running kernels, the calling thread included (1: the single-threaded artifact). */
  threads: number;
  /** The relaxed-SIMD artifact runs: the GEMM's multiply-adds are fused (f32x4.relaxed_madd). */
  relaxedSimd: boolean;
  /** Size of the linear memory, bytes. */
  memoryBytes: number;
  /** Bytes held by live tensors. */
  tensorBytes: number;
  /** Live tensor buffers. */
  buffers: number;
}

/** Options of `createWasmBackend`. */
export interface WasmBackendOptions {
  /** The single-threaded kernels: bytes, a URL, or a compiled module (default: the packaged kernels.wasm). */
  wasm?: WasmSource;
  /** The threaded kernels (default: the packaged kernels-threads.wasm). */
  wasmThreads?: WasmSource;
  /**
   * Threads for the kernels, the calling thread included. Default: the machine's cores (at
   * most 8), or 1 when only `wasm` is given. Above 1 the threaded artifact runs with workers
   * when the platform allows (SharedArrayBuffer, in browsers only when crossOriginIsolated);
   * otherwise one warning says why and the single-threaded artifact runs. Results are
   * bit-identical whatever the count.
   */
  threads?: number;
  /**
   * Use the relaxed-SIMD artifacts, whose GEMM fuses each multiply-add (an FMA where the CPU has
   * one: faster, and rounded once instead of twice). Default: wherever the engine validates
   * relaxed SIMD. `false` keeps the plain SIMD128 artifacts, whose results are the same bits on
   * every machine; `true` where the engine lacks it is a BackendError.
   */
  relaxedSimd?: boolean;
}

/** The WASM SIMD backend. */
export interface WasmBackend extends Backend {
  readonly name: 'wasm';
  readonly kernels: KernelTable<WasmBackend>;
  readonly fused: FusedKernelTable<WasmBackend>;
  readSync(id: DataId): TypedArray;
  /** The raw kernel exports, bound once. */
  readonly wasm: KernelExports;
  /** The linear-memory address of a tensor's data. */
  ptr(info: TensorInfo): number;
  /** Allocates a kernel's output; returns its TensorInfo and address. */
  output(shape: number[], dtype: DType): [TensorInfo, number];
  /** Writes u32 words into the parameter block (grown as needed); returns its address. */
  params(words: ArrayLike<number>): number;
  /** Writes a scalar operand of `dtype` into scratch slot 0..2; returns its address. */
  scalar(slot: number, value: number, dtype: DType): number;
  /** SIMD, threads and memory of this instance. */
  getBackendInfo(): WasmBackendInfo;
  /** Stops the worker threads (kernels then run on the calling thread alone). */
  terminate(): void;
}

const PARAM_WORDS = 1024;
/** The largest block wasm32 can address (with room for the allocator's headers). */
const MAX_BLOCK = 2 ** 32 - 2 ** 16;

/** A view of `dtype` over `size` elements at `ptr` of `buffer`. */
function view(buffer: ArrayBuffer, ptr: number, size: number, dtype: DType): TypedArray {
  switch (dtype) {
    case 'float32': return new Float32Array(buffer, ptr, size);
    case 'int32': return new Int32Array(buffer, ptr, size);
    case 'int8': return new Int8Array(buffer, ptr, size);
    case 'bool':
    case 'uint8': return new Uint8Array(buffer, ptr, size);
  }
}

/**
 * Creates a WASM backend: compiles and instantiates the kernels (async), then every kernel
 * call and `readSync` is synchronous.
 * @example registerBackend('wasm', () => createWasmBackend()); await setBackend('wasm');
 */
export async function createWasmBackend(opts: WasmBackendOptions = {}): Promise<WasmBackend> {
  const loaded = await loadKernels(opts);
  const { wasm } = loaded;
  let threads = loaded.threads;
  const live = new Set<WasmData>();
  let bytes = 0;
  // Views are rebuilt whenever memory.grow has detached the old buffer.
  let buffer = wasm.memory.buffer;
  let words = new Uint32Array(buffer);
  const refresh = (): ArrayBuffer => {
    if (wasm.memory.buffer !== buffer) {
      buffer = wasm.memory.buffer;
      words = new Uint32Array(buffer);
    }
    return buffer;
  };

  // A RangeError, as a typed array that cannot be made throws: core turns it into an
  // AllocationError naming the op, shape and bytes.
  const rawAlloc = (n: number, what: string): number => {
    const p = n <= MAX_BLOCK ? wasm.tk_alloc(n) : 0;
    if (p === 0) throw new RangeError(`wasm backend: cannot allocate ${n} bytes for ${what} (WebAssembly memory is limited to 4 GiB)`);
    return p;
  };
  let paramWords = PARAM_WORDS;
  let paramPtr = rawAlloc(paramWords * 4, 'the parameter block');
  const scalarPtr = rawAlloc(16 * 3, 'scalar operands');

  const adopt = (size: number, dtype: DType): WasmData => {
    const n = size * bytesPerElement(dtype);
    const data: WasmData = { ptr: rawAlloc(n, `a ${dtype} tensor of ${size} elements`), bytes: n, size, dtype };
    live.add(data);
    bytes += n;
    return data;
  };
  const dataOf = (id: DataId): WasmData => {
    if (!live.has(id as WasmData)) throw new DisposedError('wasm backend: the data id is disposed or belongs to another backend');
    return id as WasmData;
  };
  const readSync = (id: DataId): TypedArray => {
    const d = dataOf(id);
    return view(refresh(), d.ptr, d.size, d.dtype).slice();
  };

  const backend: WasmBackend = {
    name: 'wasm',
    specVersion: SPEC_VERSION,
    kernels,
    fused,
    wasm,
    write(values, shape, dtype) {
      const size = shapeUtil.sizeOf(shape);
      const d = adopt(size, dtype);
      const v = view(refresh(), d.ptr, size, dtype);
      v.set(values); // converts like a typed-array store when the dtypes differ
      return d;
    },
    read(id) {
      return Promise.resolve(readSync(id));
    },
    readSync,
    dispose(id) {
      const d = id as WasmData;
      if (!live.delete(d)) return;
      bytes -= d.bytes;
      wasm.tk_free(d.ptr, d.bytes);
    },
    memory() {
      return { buffers: live.size, bytes };
    },
    ptr(info) {
      return dataOf(info.id).ptr;
    },
    output(shape, dtype) {
      const d = adopt(shapeUtil.sizeOf(shape), dtype);
      return [{ id: d, shape, dtype }, d.ptr];
    },
    params(ws) {
      if (ws.length > paramWords) {
        wasm.tk_free(paramPtr, paramWords * 4);
        paramWords = Math.max(ws.length, paramWords * 2);
        paramPtr = rawAlloc(paramWords * 4, 'the parameter block');
      }
      refresh();
      words.set(ws, paramPtr >>> 2);
      return paramPtr;
    },
    scalar(slot, value, dtype) {
      const at = scalarPtr + 16 * slot;
      const v = view(refresh(), at, 1, dtype);
      v[0] = dtype === 'bool' ? Number(value !== 0) : value;
      return at;
    },
    terminate() {
      wasm.tk_set_threads(1, 0); // before the workers go, so no kernel waits on them
      for (const w of loaded.workers.splice(0)) w.terminate();
      threads = 1;
    },
    getBackendInfo() {
      return { simd: true, threads, relaxedSimd: loaded.relaxedSimd, memoryBytes: refresh().byteLength, tensorBytes: bytes, buffers: live.size };
    },
  };
  return backend;
}
