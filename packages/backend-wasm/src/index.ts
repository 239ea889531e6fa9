// @tensile/backend-wasm: Rust SIMD128 kernels in WebAssembly, with a TypeScript memory manager.
export { createWasmBackend } from './backend.js';
export type { WasmBackend, WasmBackendInfo, WasmBackendOptions, WasmData } from './backend.js';
export { compileKernels, defaultThreadedWasmUrl, defaultWasmUrl, relaxedSimdSupported, type WasmSource } from './loader.js';
export { threadsUnavailable } from './threaded_kernels.js';
