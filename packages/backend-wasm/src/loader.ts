// Finds, compiles and instantiates kernels.wasm: from the package directory in Node, through
// `new URL('./kernels.wasm', import.meta.url)` in browsers and bundlers, or from what the
// caller passes (bytes, a URL, or a compiled WebAssembly.Module).
import { BackendError } from '@tensile/core';
import { EXPORT_NAMES, type KernelExports } from './exports.js';

/** Where the kernels come from: bytes, a URL (string or URL) or an already compiled module. */
export type WasmSource = ArrayBuffer | Uint8Array | URL | string | WebAssembly.Module;

/**
 * The artifact shipped beside this file (dist/kernels.wasm, or dist/kernels-relaxed.wasm built
 * with relaxed SIMD), as bundlers expect to find it: each URL is a literal `new URL` expression.
 */
export function defaultWasmUrl(relaxedSimd = false): URL {
  return relaxedSimd ? new URL('./kernels-relaxed.wasm', import.meta.url) : new URL('./kernels.wasm', import.meta.url);
}

/** The threaded artifact (dist/kernels-threads.wasm, or its relaxed-SIMD twin): +atomics on an imported shared memory. */
export function defaultThreadedWasmUrl(relaxedSimd = false): URL {
  return relaxedSimd ? new URL('./kernels-threads-relaxed.wasm', import.meta.url) : new URL('./kernels-threads.wasm', import.meta.url);
}

/** A module of one function using f32x4.relaxed_madd: it validates exactly where relaxed SIMD runs. */
const RELAXED_SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 61, 1, 59, 0,
  253, 12, ...new Array<number>(16).fill(0), 253, 12, ...new Array<number>(16).fill(0), 253, 12, ...new Array<number>(16).fill(0),
  253, 133, 2, 11,
]);

/**
 * Whether this engine runs WebAssembly relaxed SIMD (Chrome and Edge 114+, Node 22+; Node 20
 * only with --experimental-wasm-relaxed-simd).
 * @example relaxedSimdSupported() // true in Chrome
 */
export function relaxedSimdSupported(): boolean {
  return WebAssembly.validate(RELAXED_SIMD_PROBE);
}

/**
 * The threaded module's memory, in 64 KiB pages: initial as linked (`--initial-memory`, 16 MiB,
 * scripts/build_wasm.mjs) and the maximum it declares (`--max-memory`, 2 GiB); a shared
 * memory must state its maximum up front.
 */
export const THREADED_MEMORY_PAGES = { initial: 256, maximum: 32768 } as const;

async function fetchBytes(url: URL): Promise<ArrayBuffer | Uint8Array> {
  if (url.protocol === 'file:') {
    // Node: read from disk (Node 20's fetch has no file: support). The specifier is a
    // variable so that bundlers do not try to resolve a Node builtin for the browser.
    const fsModule = 'node:fs/promises';
    const fs = (await import(/* @vite-ignore */ fsModule)) as { readFile(u: URL): Promise<Uint8Array> };
    return fs.readFile(url);
  }
  const res = await fetch(url);
  if (!res.ok) throw new BackendError(`wasm backend: fetching ${url.href} failed with HTTP ${res.status}`);
  return res.arrayBuffer();
}

/** Compiles `source` (default: the packaged kernels.wasm). */
export async function compileKernels(source: WasmSource = defaultWasmUrl()): Promise<WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return source;
  let bytes: ArrayBuffer | Uint8Array;
  if (typeof source === 'string' || source instanceof URL) {
    const url = typeof source === 'string' ? new URL(source, import.meta.url) : source;
    try {
      bytes = await fetchBytes(url);
    } catch (err) {
      throw new BackendError(`wasm backend: cannot load the kernels from ${url.href} (was the package built? ` +
        `\`pnpm --filter @tensile/backend-wasm build\` builds rust-kernels with wasm-pack): ${String(err)}`);
    }
  } else {
    bytes = source;
  }
  try {
    return await WebAssembly.compile(bytes as BufferSource);
  } catch (err) {
    throw new BackendError(`wasm backend: kernels.wasm does not compile here (it needs WebAssembly SIMD128): ${String(err)}`);
  }
}

/** The `tk_*` ABI this loader speaks (rust-kernels/wasm's `abi_version`). */
export const ABI_VERSION = 1;

/**
 * Imports for what wasm-bindgen's processing adds (its externref-table initialiser, only run
 * by its own glue's start function; the kernels use no bindings, so each is a no-op), and the
 * shared memory the threaded module imports.
 */
function kernelImports(module: WebAssembly.Module, memory?: WebAssembly.Memory): WebAssembly.Imports {
  const imports: Record<string, Record<string, (() => void) | WebAssembly.Memory>> = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.kind === 'memory' && memory) {
      (imports[imp.module] ??= {})[imp.name] = memory;
    } else if (imp.kind === 'function') {
      (imports[imp.module] ??= {})[imp.name] = () => {};
    } else {
      throw new BackendError(`wasm backend: kernels.wasm imports ${imp.kind} '${imp.module}.${imp.name}', which this loader cannot provide`);
    }
  }
  return imports;
}

/**
 * Instantiates the kernels (the threaded module on the shared `memory` it imports) and checks
 * their ABI version and every export the backend binds.
 */
export async function instantiateKernels(module: WebAssembly.Module, memory?: WebAssembly.Memory): Promise<KernelExports> {
  const instance = await WebAssembly.instantiate(module, kernelImports(module, memory));
  const exports: Record<string, unknown> = { ...instance.exports };
  if (memory) exports.memory = memory;
  const missing = EXPORT_NAMES.filter((n) => exports[n] === undefined);
  if (missing.length > 0) {
    throw new BackendError(`wasm backend: kernels.wasm lacks export(s) ${missing.join(', ')}: rebuild rust-kernels`);
  }
  const abi = (exports.abi_version as () => number)();
  if (abi !== ABI_VERSION) {
    throw new BackendError(`wasm backend: kernels.wasm speaks ABI ${abi}, this loader ${ABI_VERSION}: rebuild rust-kernels`);
  }
  return exports as unknown as KernelExports;
}
