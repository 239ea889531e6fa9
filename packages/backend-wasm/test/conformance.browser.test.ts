// backend-wasm runs the whole shared conformance suite in headless Chromium (vitest browser
// mode), threaded (the page is cross-origin isolated, workers share the memory) and
// single-threaded: the loader fetches dist/kernels*-relaxed.wasm over HTTP, as in a bundled web app.
import { describeBackend } from '@tensile/conformance';
import { expect, it } from 'vitest';
import { createWasmBackend } from '../dist/index.js';

// vitest.browser.config.ts serves the page cross-origin isolated: the threaded kernels must run.
it('runs threaded: the page is cross-origin isolated and the kernels use every core', async () => {
  expect(globalThis.crossOriginIsolated).toBe(true);
  const b = await createWasmBackend();
  expect(b.getBackendInfo().threads).toBe(Math.min(navigator.hardwareConcurrency, 8));
  expect(b.getBackendInfo().threads).toBeGreaterThan(1);
  b.terminate();
});

// Chromium has had relaxed SIMD since 114: both runs below use the relaxed-SIMD artifacts.
it('picks the relaxed-SIMD artifacts, as Chromium validates them', async () => {
  const b = await createWasmBackend({ threads: 1 });
  expect(b.getBackendInfo().relaxedSimd).toBe(true);
});

describeBackend('wasm', () => createWasmBackend(), { readSync: true });
describeBackend('wasm-single-threaded', () => createWasmBackend({ threads: 1 }), { readSync: true });
