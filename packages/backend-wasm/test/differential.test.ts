// backend-wasm's kernels against backend-js's on random inputs over many shapes: every kernel,
// odd sizes, SIMD-width and GEMM-tile edges, broadcasting and empty tensors.
import { createJsBackend } from '@tensile/backend-js';
import { describeDifferential } from '@tensile/conformance';
import { createWasmBackend } from '../dist/index.js';

describeDifferential('wasm', () => createWasmBackend(), { reference: createJsBackend });
