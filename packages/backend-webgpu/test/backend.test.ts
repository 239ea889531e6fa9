// What the WebGPU backend promises beyond the shared suite: typed errors for synchronous reads
// and device loss (with re-creation through setBackend), one submission per batch of kernels,
// pooled buffers with a true memory(), small dtypes held in 32-bit words, and NaN/Inf kept
// through the ops a compiler assuming finite floats could fold.
import {
  BackendError, DeviceLostError, add, dispose, getBackend, isNaN as isNaNOp, maximum, memory, registerBackend, relu,
  setBackend, softmax, sum, tensor,
} from '@tensile/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createWebGpuBackend, sizeClass, type WebGpuBackend } from '../src/index.js';

const NAME = 'webgpu-unit';
const active = (): WebGpuBackend => getBackend() as unknown as WebGpuBackend;

beforeAll(async () => {
  registerBackend(NAME, () => createWebGpuBackend({ poolBytes: 1 << 20 }));
  await setBackend(NAME);
});

describe('sizeClass', () => {
  it.each([
    [1, 256], [256, 256], [257, 320], [1000, 1024], [1025, 1280], [5000, 5120], [1 << 20, 1 << 20],
  ])('%i bytes -> %i', (bytes, cls) => {
    expect(sizeClass(bytes)).toBe(cls);
  });
});

describe('webgpu backend', () => {
  it('reports its adapter', () => {
    const info = active().getBackendInfo();
    expect(info.source).toMatch(/Dawn|navigator/);
    expect(Array.isArray(info.features)).toBe(true);
  });

  // CPU adapters take conv2d_rows.ts only with subgroups: a device without them would still
  // pass the suite, on the slower pixel-block GEMM.
  it('enables the subgroups its adapter offers, and reports their sizes', () => {
    const be = active();
    const offered = be.getBackendInfo().features.includes('subgroups');
    expect(be.device.features.has('subgroups')).toBe(offered);
    expect(be.subgroups !== undefined).toBe(offered);
    if (be.subgroups) expect(be.subgroups.maxSize).toBeGreaterThanOrEqual(be.subgroups.minSize);
  });

  it('dataSync is a BackendError that says to await data()', async () => {
    await setBackend(NAME);
    const t = tensor([1, 2]);
    expect(() => t.dataSync()).toThrow(BackendError);
    expect(() => t.dataSync()).toThrow(/await t\.data\(\)/);
    expect(Array.from(await t.data())).toEqual([1, 2]);
    t.dispose();
  });

  it('batches kernels into one submission until a read', async () => {
    const x = tensor([1, 2, 3]);
    const before = active().stats().submits;
    let y = x;
    for (let i = 0; i < 10; i++) {
      const next = add(y, 1);
      if (y !== x) y.dispose();
      y = next;
    }
    expect(active().stats().submits).toBe(before);
    expect(Array.from(await y.data())).toEqual([11, 12, 13]);
    // The flush core awaits, then the read's copy: at most two submissions for ten kernels.
    expect(active().stats().submits - before).toBeLessThanOrEqual(2);
    dispose([x, y]);
  });

  it('memory() counts live buffers by their size class and reuses freed ones', async () => {
    const m0 = active().memory();
    const a = tensor(new Float32Array(300));
    expect(active().memory()).toEqual({ buffers: m0.buffers + 1, bytes: m0.bytes + sizeClass(1200) });
    a.dispose();
    expect(active().memory()).toEqual(m0);
    // The freed buffer waits in the pool; the next tensor of its size class takes it.
    const pooled = active().stats().pooledBuffers;
    const b = tensor(new Float32Array(290));
    expect(active().stats().pooledBuffers).toBe(pooled - 1);
    expect(Array.from(await b.data()).every((v) => v === 0)).toBe(true);
    b.dispose();
    expect(active().stats().pooledBuffers).toBe(pooled);
    expect(memory().perBackend[NAME]!.buffers).toBe(m0.buffers);
  });

  it.each([
    ['bool', [true, false, true], Uint8Array],
    ['int8', [-128, 5, 127], Int8Array],
    ['uint8', [0, 200, 255], Uint8Array],
    ['int32', [-2147483648, 0, 2147483647], Int32Array],
  ] as const)('holds %s in 32-bit words and reads back its own typed array', async (dtype, values, Ctor) => {
    const t = tensor(values as unknown as number[], [3], dtype);
    const got = await t.data();
    expect(got).toBeInstanceOf(Ctor);
    expect(Array.from(got)).toEqual(values.map(Number));
    t.dispose();
  });

  it.each([
    ['relu(NaN) is NaN', () => relu(tensor([NaN, -1, 2])), [NaN, 0, 2]],
    ['maximum propagates NaN', () => maximum(tensor([NaN, 1]), tensor([0, NaN])), [NaN, NaN]],
    ['sum propagates NaN and Inf', () => sum(tensor([1, NaN, Infinity]), 0), [NaN]],
    ['isNaN on the bits', () => isNaNOp(tensor([NaN, Infinity, 0])), [1, 0, 0]],
    ['softmax of a row with NaN is NaN', () => softmax(tensor([[1, NaN]]), -1), [NaN, NaN]],
  ] as const)('%s', async (_name, f, want) => {
    const y = f();
    expect(Array.from(await y.data(), Number)).toEqual(want);
    y.dispose();
  });

  it('device loss fails later calls with DeviceLostError; setBackend re-creates the backend', async () => {
    await setBackend(NAME);
    const lostOne = active();
    const t = tensor([1, 2, 3]);
    lostOne.destroy();
    const reason = await lostOne.lost;
    expect(reason).toMatch(/lost/);
    await expect(t.data()).rejects.toThrow(DeviceLostError);
    expect(() => lostOne.kernels.Fill({}, { shape: [1], dtype: 'float32', value: 0 }, lostOne)).toThrow(DeviceLostError);
    t.dispose();
    await setBackend(NAME);
    expect(active()).not.toBe(lostOne);
    const u = add(tensor([1]), 1);
    expect(Array.from(await u.data())).toEqual([2]);
    u.dispose();
  });
});
