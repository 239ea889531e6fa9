// Picks the artifact at start-up: the threaded kernels with workers when more than one thread
// is asked for and the platform allows it, else the single-threaded kernels (with one warning
// saying why threads are off).
import type { KernelExports } from './exports.js';
import { BackendError } from '@tensile/core';
import {
  compileKernels, defaultThreadedWasmUrl, defaultWasmUrl, instantiateKernels, relaxedSimdSupported, THREADED_MEMORY_PAGES, type WasmSource,
} from './loader.js';
import { startWorkers, type KernelWorker } from './threads.js';

/** The most threads used by default (each adds a worker with a 1 MiB stack). */
const MAX_DEFAULT_THREADS = 8;

/** What `loadKernels` reads from the backend's options. */
export interface KernelChoice {
  wasm?: WasmSource;
  wasmThreads?: WasmSource;
  threads?: number;
  relaxedSimd?: boolean;
}

/** Loaded kernels: their exports, the threads they use and the workers behind them. */
export interface LoadedKernels {
  wasm: KernelExports;
  threads: number;
  workers: KernelWorker[];
  /** Whether the relaxed-SIMD artifact runs (false for modules passed in as `wasm`/`wasmThreads`). */
  relaxedSimd: boolean;
}

let warned = false;
/** Says once per program that threads are off, and why. */
function warnOnce(why: string): void {
  if (warned) return;
  warned = true;
  console.warn(`@tensile/backend-wasm: running single-threaded: ${why}`);
}

/** The machine's cores: navigator.hardwareConcurrency, or Node's os.availableParallelism(). */
async function cores(): Promise<number> {
  const hc = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  if (typeof hc === 'number' && hc > 0) return hc;
  try {
    const specifier = 'node:os';
    const os = (await import(/* @vite-ignore */ specifier)) as { availableParallelism?: () => number; cpus(): unknown[] };
    return os.availableParallelism?.() ?? os.cpus().length;
  } catch {
    return 1;
  }
}

/** Why this platform cannot share memory with workers, or null when it can. */
export function threadsUnavailable(): string | null {
  const g = globalThis as { SharedArrayBuffer?: unknown; crossOriginIsolated?: boolean; Worker?: unknown; process?: unknown };
  if (g.crossOriginIsolated === false || typeof g.SharedArrayBuffer !== 'function') {
    return 'SharedArrayBuffer is unavailable (a page must be cross-origin isolated: serve it with ' +
      '"Cross-Origin-Opener-Policy: same-origin" and "Cross-Origin-Embedder-Policy: require-corp")';
  }
  if (typeof g.Worker !== 'function' && g.process === undefined) return 'this environment has no Worker';
  return null;
}

/**
 * Compiles and instantiates the kernels `opts` asks for, starting the workers of the threaded
 * artifact when it can run.
 * @example const { wasm, threads } = await loadKernels({ threads: 2 });
 */
export async function loadKernels(opts: KernelChoice): Promise<LoadedKernels> {
  const supported = relaxedSimdSupported();
  if (opts.relaxedSimd === true && !supported) {
    throw new BackendError('wasm backend: relaxedSimd: true, but this engine has no WebAssembly relaxed SIMD ' +
      '(Chrome and Edge 114+, Node 22+, or Node 20 with --experimental-wasm-relaxed-simd)');
  }
  const relaxed = opts.relaxedSimd ?? supported;
  const wanted = Math.floor(opts.threads ?? (opts.wasm !== undefined && opts.wasmThreads === undefined ? 1 : Math.min(await cores(), MAX_DEFAULT_THREADS)));
  if (wanted > 1) {
    const why = threadsUnavailable();
    if (why !== null) {
      warnOnce(why);
    } else {
      try {
        const module = await compileKernels(opts.wasmThreads ?? defaultThreadedWasmUrl(relaxed));
        const memory = new WebAssembly.Memory({ ...THREADED_MEMORY_PAGES, shared: true });
        const wasm = await instantiateKernels(module, memory);
        const workers = await startWorkers(module, memory, wasm, wanted - 1);
        return { wasm, threads: wanted, workers, relaxedSimd: relaxed && opts.wasmThreads === undefined };
      } catch (err) {
        warnOnce(`the threaded kernels did not start (${String(err)})`);
      }
    }
  }
  const wasm = await instantiateKernels(await compileKernels(opts.wasm ?? defaultWasmUrl(relaxed)));
  return { wasm, threads: 1, workers: [], relaxedSimd: relaxed && opts.wasm === undefined };
}
