// backend-wasm runs the shared conformance suite in Node: the whole suite, nothing skipped,
// threaded and single-threaded. It
// imports the built package (dist/), whose loader finds dist/kernels.wasm beside itself.
import { describeBackend } from '@tensile/conformance';
import { createWasmBackend } from '../dist/index.js';

describeBackend('wasm', () => createWasmBackend(), { readSync: true });

// Again on the single-threaded artifact (the default above is threaded: one thread per core) and
// without the fused-kernel overrides, so core's decompositions run on these kernels too.
describeBackend('wasm-unfused', async () => ({ ...(await createWasmBackend({ threads: 1 })), fused: {} }), { readSync: true });
