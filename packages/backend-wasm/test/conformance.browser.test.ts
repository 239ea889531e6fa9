// backend-wasm runs the whole shared conformance suite in headless Chromium (vitest browser
// mode): the loader fetches the built dist/kernels.wasm over HTTP, as in a bundled web app.
import { describeBackend } from '@tensile/conformance';
import { createWasmBackend } from '../dist/index.js';

describeBackend('wasm', () => createWasmBackend(), { readSync: true });
