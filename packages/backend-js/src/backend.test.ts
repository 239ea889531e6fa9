import { KERNEL_NAMES, SPEC_VERSION } from '@tensile/core';
import { describe, expect, it } from 'vitest';
import { createJsBackend } from './backend.js';

describe('createJsBackend', () => {
  it('implements every kernel of the contract', () => {
    const b = createJsBackend();
    expect(b).toMatchObject({ name: 'js', specVersion: SPEC_VERSION });
    for (const k of KERNEL_NAMES) expect(typeof b.kernels[k]).toBe('function');
  });

  it('copies on write and read, and accounts memory', async () => {
    const b = createJsBackend();
    const src = new Float32Array([1, 2, 3]);
    const id = b.write(src, [3], 'float32');
    src[0] = 99;
    const read = await b.read(id);
    expect(Array.from(read)).toEqual([1, 2, 3]);
    read[1] = 99;
    expect(Array.from(b.readSync(id))).toEqual([1, 2, 3]);
    const out = b.kernels.Unary({ x: { id, shape: [3], dtype: 'float32' } }, { op: 'neg' }, b);
    expect(b.memory()).toEqual({ buffers: 2, bytes: 24 });
    b.dispose(id);
    b.dispose(out.id);
    expect(b.memory()).toEqual({ buffers: 0, bytes: 0 });
    expect(() => b.readSync(id)).toThrow(/disposed/);
  });

  it('stores each dtype in its own typed array', () => {
    const b = createJsBackend();
    const id = b.write(new Float32Array([1.9, -2.9]), [2], 'int32');
    expect(b.readSync(id)).toEqual(new Int32Array([1, -2]));
  });

  it('draws Philox uniforms in [0, 1) with mean 0.5, and normals with mean 0 and variance 1', () => {
    const b = createJsBackend();
    const n = 100_000;
    const u = b.readSync(b.kernels.Random({}, { dist: 'uniform', shape: [n], seed: 42, offset: 0 }, b).id);
    let sum = 0, lo = Infinity, hi = -Infinity;
    for (const v of u) { sum += v; lo = Math.min(lo, v); hi = Math.max(hi, v); }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.005);
    const z = b.readSync(b.kernels.Random({}, { dist: 'normal', shape: [n], seed: 42, offset: 0 }, b).id);
    let s1 = 0, s2 = 0;
    for (const v of z) { s1 += v; s2 += v * v; }
    expect(Math.abs(s1 / n)).toBeLessThan(0.02);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.02);
    const again = b.readSync(b.kernels.Random({}, { dist: 'uniform', shape: [n], seed: 42, offset: 0 }, b).id);
    expect(again).toEqual(u);
  });
});
