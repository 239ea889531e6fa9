// The WASM backend object: a memory manager over the kernels' linear memory (one block per
// DataId, freed on dispose and reused by the Rust allocator) and the kernel table. Kernels are
// deferred (queue.ts): they run inside the instance when memory is read; TypeScript only lays
// out pointers and shapes.
import { DisposedError, SPEC_VERSION, bytesPerElement, shapeUtil } from '@tensile/core';
import type { Backend, DataId, DType, FusedKernelTable, KernelTable, TensorInfo, TypedArray } from '@tensile/core';
import { EXPORT_NAMES, type KernelExports } from './exports.js';
import { fused, kernels } from './kernels/index.js';
import { loadKernels } from './threaded_kernels.js';
import type { WasmSource } from './loader.js';
import { KernelQueue, type Block } from './queue.js';

/** What a WASM DataId holds: the block's address and size in linear memory. */
export type WasmData = Block;

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
  /** Kernels run so far. */
  kernelsRun: number;
  /** Kernels dropped unrun: their outputs were disposed before anything read them. */
  kernelsSkipped: number;
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
  /** The kernel exports, bound once; their `tk_*` kernels are recorded when called inside a kernel. */
  readonly wasm: KernelExports;
  /** The linear-memory address of a tensor's data. */
  ptr(info: TensorInfo): number;
  /** Allocates a kernel's output; returns its TensorInfo and address. */
  output(shape: number[], dtype: DType): [TensorInfo, number];
  /** Writes u32 words into the parameter arena (kept until the kernel has run); returns their address. */
  params(words: ArrayLike<number>): number;
  /** Writes a scalar operand of `dtype` into the parameter arena; returns its address. */
  scalar(value: number, dtype: DType): number;
  /** Runs every deferred kernel now (reads and memory() do it themselves). */
  flushSync(): void;
  /** SIMD, threads and memory of this instance. */
  getBackendInfo(): WasmBackendInfo;
  /** Stops the worker threads (kernels then run on the calling thread alone). */
  terminate(): void;
}

const PARAM_WORDS = 4096;
/** Exports named tk_* that are not kernels: they run at once. */
const NOT_KERNELS = new Set(['tk_alloc', 'tk_free', 'tk_set_threads', 'tk_threads', 'tk_worker_loop']);
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

  // Parameter words and scalar operands of the pending kernels, packed one after another: a
  // kernel's words must stay put until it runs. A full arena is replaced by a larger one and
  // freed once the queue has run.
  let arena = { ptr: rawAlloc(PARAM_WORDS * 4, 'the parameter arena'), words: PARAM_WORDS };
  let used = 0;
  const retired: [ptr: number, bytes: number][] = [];
  const reserve = (n: number): number => {
    if (used + n > arena.words) {
      retired.push([arena.ptr, arena.words * 4]);
      const size = Math.max(n, arena.words * 2);
      arena = { ptr: rawAlloc(size * 4, 'the parameter arena'), words: size };
      used = 0;
    }
    const at = arena.ptr + used * 4;
    used += n;
    return at;
  };

  const queue = new KernelQueue(
    (b) => {
      if (live.delete(b)) bytes -= b.bytes; // an output of a kernel that failed
      wasm.tk_free(b.ptr, b.bytes);
    },
    () => {
      used = 0;
      for (const [p, n] of retired.splice(0)) wasm.tk_free(p, n);
    },
  );
  // The exports kernels call: each `tk_*` kernel goes through the queue.
  const recorded = { ...wasm };
  for (const name of EXPORT_NAMES) {
    if (!name.startsWith('tk_') || NOT_KERNELS.has(name)) continue;
    const fn = wasm[name] as (...args: number[]) => void;
    (recorded as Record<string, unknown>)[name] = (...args: number[]) => queue.call(fn, args);
  }

  const adopt = (size: number, dtype: DType): WasmData => {
    const n = size * bytesPerElement(dtype);
    const ptr = rawAlloc(n, `a ${dtype} tensor of ${size} elements`);
    const data: WasmData = { ptr, bytes: n, size, dtype, disposed: false, freed: false, readers: 0, producer: null };
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
    queue.flush();
    return view(refresh(), d.ptr, d.size, d.dtype).slice();
  };

  const backend: WasmBackend = {
    name: 'wasm',
    specVersion: SPEC_VERSION,
    kernels: deferred(kernels, queue),
    fused: deferred(fused, queue),
    wasm: recorded,
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
      queue.dispose(d);
    },
    memory() {
      queue.flush(); // frees what pending kernels held
      return { buffers: live.size, bytes };
    },
    ptr(info) {
      const d = dataOf(info.id);
      queue.reads(d);
      return d.ptr;
    },
    output(shape, dtype) {
      const d = adopt(shapeUtil.sizeOf(shape), dtype);
      queue.writes(d);
      return [{ id: d, shape, dtype }, d.ptr];
    },
    params(ws) {
      const at = reserve(ws.length);
      refresh();
      words.set(ws, at >>> 2);
      return at;
    },
    scalar(value, dtype) {
      const at = reserve(1);
      const v = view(refresh(), at, 1, dtype);
      v[0] = dtype === 'bool' ? Number(value !== 0) : value;
      return at;
    },
    flushSync() {
      queue.flush();
    },
    terminate() {
      queue.flush();
      wasm.tk_set_threads(1, 0); // before the workers go, so no kernel waits on them
      for (const w of loaded.workers.splice(0)) w.terminate();
      threads = 1;
    },
    getBackendInfo() {
      queue.flush();
      return {
        simd: true, threads, relaxedSimd: loaded.relaxedSimd, memoryBytes: refresh().byteLength, tensorBytes: bytes, buffers: live.size,
        kernelsRun: queue.counts.run, kernelsSkipped: queue.counts.skipped,
      };
    },
  };
  return backend;
}

/** `table` with every kernel recorded into `queue` as one pending kernel. */
function deferred<T extends object>(table: T, queue: KernelQueue): T {
  type Impl = (inputs: unknown, attrs: unknown, backend: unknown) => unknown;
  const entries = Object.entries(table as Record<string, Impl>).map(([name, impl]) => {
    const run: Impl = (inputs, attrs, backend) => queue.record(() => impl(inputs, attrs, backend));
    return [name, run] as const;
  });
  return Object.fromEntries(entries) as T;
}
