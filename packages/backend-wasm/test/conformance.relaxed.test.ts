// The relaxed-SIMD artifacts (GEMM multiply-adds fused with f32x4.relaxed_madd) run the whole
// shared suite and the differential family in Node; vitest.config.ts gives this project's
// workers --experimental-wasm-relaxed-simd where Node needs it. Chromium picks them by default.
import { createJsBackend } from '@tensile/backend-js';
import { describeBackend, describeDifferential } from '@tensile/conformance';
import { matmul, randn, registerBackend, setBackend, tidy } from '@tensile/core';
import { describe, expect, it } from 'vitest';
import { createWasmBackend, relaxedSimdSupported, type WasmBackend } from '../dist/index.js';

describe('relaxed SIMD', () => {
  it('is picked by default where the engine has it, and can be turned off', async () => {
    expect(relaxedSimdSupported()).toBe(true);
    const on = await createWasmBackend({ threads: 1 });
    const off = await createWasmBackend({ threads: 1, relaxedSimd: false });
    expect(on.getBackendInfo().relaxedSimd).toBe(true);
    expect(off.getBackendInfo().relaxedSimd).toBe(false);
  });

  it('gives the same bits on one thread and two, and rounds products once (FMA), unlike SIMD128', async () => {
    const made: WasmBackend[] = [];
    for (const [name, opts] of [['r1', { threads: 1 }], ['r2', { threads: 2 }], ['plain', { threads: 1, relaxedSimd: false }]] as const) {
      registerBackend(`relaxed-test-${name}`, async () => { const b = await createWasmBackend(opts); made.push(b); return b; });
    }
    const bits: Record<string, Uint32Array> = {};
    for (const name of ['r1', 'r2', 'plain']) {
      await setBackend(`relaxed-test-${name}`);
      const y = tidy(() => matmul(randn([67, 301], { seed: 1 }), randn([301, 129], { seed: 2 })));
      bits[name] = new Uint32Array((await y.data() as Float32Array).slice().buffer);
      y.dispose();
    }
    expect(made.find((b) => b.getBackendInfo().threads === 2)).toBeDefined();
    expect(Array.from(bits.r2!)).toEqual(Array.from(bits.r1!));
    // With one rounding per multiply-add instead of two, some of the 8,643 sums of 301 products differ.
    expect(bits.r1!.some((v, i) => v !== bits.plain![i])).toBe(true);
    made.forEach((b) => b.terminate());
  });
});

describeBackend('wasm-relaxed', () => createWasmBackend({ threads: 1, relaxedSimd: true }), { readSync: true });
describeDifferential('wasm-relaxed', () => createWasmBackend({ relaxedSimd: true }), { reference: createJsBackend });
