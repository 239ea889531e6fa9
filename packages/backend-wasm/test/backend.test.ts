// The memory manager and loader of backend-wasm: blocks freed on dispose and reused (no
// growth over 1,000 training steps), views rebuilt after memory growth, truthful memory() and
// getBackendInfo(), and every way of handing over the kernels (bytes, URL, Module).
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import {
  BackendError, DisposedError, conv2d, dispose, grad, logSoftmax, matmul, mean, mul, oneHot, randn, registerBackend, relu,
  setBackend, tensor, tidy, valueAndGrad, variable, type Tensor,
} from '@tensile/core';
import { describe, expect, it } from 'vitest';
import { createWasmBackend, defaultWasmUrl, relaxedSimdSupported, type WasmBackend } from '../dist/index.js';

const f32 = (values: number[]) => new Float32Array(values);

describe('memory manager', () => {
  it('frees on dispose, reports memory() truly and rejects a disposed id', async () => {
    const b = await createWasmBackend();
    expect(b.memory()).toEqual({ buffers: 0, bytes: 0 });
    const x = b.write(f32([1, 2, 3]), [3], 'float32');
    const y = b.write(new Uint8Array([1, 0]), [2], 'bool');
    expect(b.memory()).toEqual({ buffers: 2, bytes: 3 * 4 + 2 });
    expect(b.readSync(x)).toEqual(f32([1, 2, 3]));
    b.dispose(x);
    b.dispose(x); // a second dispose of the same id is a no-op
    expect(b.memory()).toEqual({ buffers: 1, bytes: 2 });
    expect(() => b.readSync(x)).toThrow(DisposedError);
    b.dispose(y);
    expect(b.memory()).toEqual({ buffers: 0, bytes: 0 });
  });

  it('rebuilds its views after memory growth: older tensors read back intact', async () => {
    const b = await createWasmBackend();
    const before = b.getBackendInfo().memoryBytes;
    const small = b.write(f32([4, 5, 6]), [3], 'float32');
    // 64 MiB through the Fill kernel: far past the initial memory, so memory.grow runs.
    const big = b.kernels.Fill({}, { shape: [16 << 20], dtype: 'float32', value: 7 }, b);
    expect(b.getBackendInfo().memoryBytes).toBeGreaterThan(before + (64 << 20) - 1);
    expect(b.readSync(small)).toEqual(f32([4, 5, 6]));
    const after = b.write(f32([8]), [1], 'float32');
    expect(b.readSync(after)).toEqual(f32([8]));
    expect((b.readSync(big.id) as Float32Array)[(16 << 20) - 1]).toBe(7);
    for (const id of [small, big.id, after]) b.dispose(id);
  });

  it('reuses freed blocks: 1,000 training steps of a small conv net do not grow the wasm memory', async () => {
    let backend: WasmBackend | undefined;
    registerBackend('wasm-steps', async () => (backend = await createWasmBackend()));
    await setBackend('wasm-steps');
    const x = randn([8, 1, 6, 6], { seed: 1 });
    const labels = tidy(() => oneHot(tensor(new Int32Array([0, 1, 2, 0, 1, 2, 0, 1])), 3));
    const w = tidy(() => variable(randn([4, 1, 3, 3], { seed: 2 }).mul(0.3)));
    const v = tidy(() => variable(randn([4 * 36, 3], { seed: 3 }).mul(0.1)));
    const step = valueAndGrad((wc, wl) => {
      const h = relu(conv2d(x, wc, { padding: 1 })).reshape([8, 4 * 36]);
      return mean(mul(logSoftmax(matmul(h, wl)), labels)).neg();
    });
    const info = () => backend!.getBackendInfo();
    const losses: number[] = [];
    let warm = { memoryBytes: 0, buffers: 0 };
    for (let i = 0; i < 1000; i++) {
      tidy(() => {
        const { value, grads } = step(w, v);
        w.assign(w.sub(grads[0]!.mul(0.05)));
        v.assign(v.sub(grads[1]!.mul(0.05)));
        if (i % 250 === 0 || i === 999) losses.push(value.dataSync()[0]!);
      });
      if (i === 9) warm = info();
    }
    // The same blocks come back from the allocator every step: no growth, no extra buffers.
    expect(info().memoryBytes).toBe(warm.memoryBytes);
    expect(info().buffers).toBe(warm.buffers);
    expect(losses.at(-1)!).toBeLessThan(losses[0]!); // it really trained
    dispose([x, labels, w, v]);
    expect(info().buffers).toBe(0);
  });
});

describe('deferred kernels', () => {
  const info = (id: object, shape: number[]) => ({ id, shape, dtype: 'float32' as const });

  it('runs kernels when memory is read, in order, reading inputs disposed in the meantime intact', async () => {
    const b = await createWasmBackend({ threads: 1 });
    const x = b.write(f32([1, -2, 3]), [3], 'float32');
    const y = b.kernels.Unary({ x: info(x, [3]) }, { op: 'neg' }, b);
    const z = b.kernels.Binary({ a: y, b: 10 }, { op: 'mul', shape: [3], dtype: 'float32' }, b);
    // Neither has run: x and y go now, and new blocks must not land on their memory.
    b.dispose(x);
    b.dispose(y.id);
    const other = b.write(f32([7, 7, 7]), [3], 'float32');
    const other2 = b.write(f32([8, 8, 8]), [3], 'float32');
    expect(b.readSync(z.id)).toEqual(f32([-10, 20, -30]));
    expect(b.readSync(other)).toEqual(f32([7, 7, 7]));
    for (const id of [z.id, other, other2]) b.dispose(id);
    expect(b.memory()).toEqual({ buffers: 0, bytes: 0 });
    expect(b.getBackendInfo()).toMatchObject({ kernelsRun: 2, kernelsSkipped: 0 });
  });

  it('never runs a kernel whose outputs are disposed unread, nor the kernels only it needed', async () => {
    const b = await createWasmBackend({ threads: 1 });
    const x = b.write(f32([1, 2, 3, 4]), [2, 2], 'float32');
    const sq = b.kernels.MatMul({ a: info(x, [2, 2]), b: info(x, [2, 2]) }, { transposeA: false, transposeB: false }, b);
    const kept = b.kernels.Unary({ x: sq }, { op: 'neg' }, b);
    const dead = b.kernels.Reduce({ x: sq }, { op: 'sum', axes: [0, 1], keepDims: false }, b);
    b.dispose(sq.id);
    b.dispose(dead.id); // the sum is dropped; the product stays, kept needs it
    expect(b.readSync(kept.id)).toEqual(f32([-7, -10, -15, -22]));
    expect(b.getBackendInfo()).toMatchObject({ kernelsRun: 2, kernelsSkipped: 1 });
    const again = b.kernels.MatMul({ a: info(x, [2, 2]), b: kept }, { transposeA: false, transposeB: false }, b);
    const sum = b.kernels.Reduce({ x: again }, { op: 'sum', axes: [0, 1], keepDims: false }, b);
    b.dispose(again.id);
    b.dispose(sum.id); // the sum goes, then the product only it read
    expect(b.getBackendInfo()).toMatchObject({ kernelsRun: 2, kernelsSkipped: 3 });
    b.dispose(kept.id);
    b.dispose(x);
    expect(b.memory()).toEqual({ buffers: 0, bytes: 0 });
  });

  it('frees the outputs of a kernel that fails while being recorded', async () => {
    const b = await createWasmBackend({ threads: 1 });
    const x = b.write(f32([1, 2]), [2], 'float32');
    const gone = b.write(f32([3]), [1], 'float32');
    b.dispose(gone);
    const xs = [info(x, [2]), info(gone, [1])];
    expect(() => b.kernels.Concat({ xs }, { axis: 0 }, b)).toThrow(DisposedError);
    expect(b.memory()).toEqual({ buffers: 1, bytes: 8 });
    b.dispose(x);
  });

  it('skips the discarded forward product in grad(sum(A@B)), with the gradients of PyTorch', async () => {
    let backend: WasmBackend | undefined;
    registerBackend('wasm-dce', async () => (backend = await createWasmBackend({ threads: 1 })));
    await setBackend('wasm-dce');
    const a = tensor([[1, 2], [3, 4]]), c = tensor([[5, 6], [7, 8]]);
    const before = backend!.getBackendInfo().kernelsSkipped;
    const [da, dc] = grad((x: Tensor, y: Tensor) => x.matmul(y).sum())(a, c);
    // d/dA = 1 @ Bᵀ (row sums of B), d/dB = Aᵀ @ 1 (column sums of A), by hand.
    expect(await da!.array()).toEqual([[11, 15], [11, 15]]);
    expect(await dc!.array()).toEqual([[4, 4], [6, 6]]);
    expect(backend!.getBackendInfo().kernelsSkipped - before).toBeGreaterThanOrEqual(2); // the product and its sum
    dispose([a, c, da!, dc!]);
    expect(backend!.memory()).toEqual({ buffers: 0, bytes: 0 });
  });
});

describe('getBackendInfo', () => {
  it('reports SIMD, the threads (by default one per core, at most 8) and the memory in use', async () => {
    const b = await createWasmBackend();
    const t = b.write(new Int32Array(10), [10], 'int32');
    const info = b.getBackendInfo();
    expect(info).toMatchObject({ simd: true, threads: Math.min(availableParallelism(), 8), tensorBytes: 40, buffers: 1 });
    expect(info.memoryBytes).toBe(b.wasm.memory.buffer.byteLength);
    b.dispose(t);
    b.terminate();
  });
});

describe('loader', () => {
  const roundTrip = (b: WasmBackend) => {
    const id = b.write(f32([1.5, -2]), [2], 'float32');
    const out = b.kernels.Unary({ x: { id, shape: [2], dtype: 'float32' } }, { op: 'neg' }, b);
    const v = b.readSync(out.id);
    b.dispose(id);
    b.dispose(out.id);
    return v;
  };

  it.each([
    { how: 'the packaged default', source: async () => undefined },
    { how: 'bytes', source: async () => new Uint8Array(await readFile(defaultWasmUrl())) },
    { how: 'a URL', source: async () => defaultWasmUrl() },
    { how: 'a URL string', source: async () => defaultWasmUrl().href },
    { how: 'a compiled WebAssembly.Module', source: async () => WebAssembly.compile(await readFile(defaultWasmUrl())) },
  ])('loads the kernels from $how', async ({ source }) => {
    const b = await createWasmBackend({ wasm: await source() });
    expect(roundTrip(b)).toEqual(f32([-1.5, 2]));
  });

  it.each([
    { how: 'bytes that are not wasm', wasm: new Uint8Array([1, 2, 3, 4]), message: /kernels\.wasm does not compile here/ },
    { how: 'a missing file', wasm: new URL('./no-such.wasm', defaultWasmUrl()), message: /cannot load the kernels from file:.*no-such\.wasm/ },
    { how: 'a module without the kernels', wasm: new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]), message: /lacks export\(s\) memory, abi_version, tk_alloc/ },
  ])('fails with a BackendError on $how', async ({ wasm, message }) => {
    const err = await createWasmBackend({ wasm }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect((err as Error).message).toMatch(message);
  });
});

describe('relaxedSimd option', () => {
  it('turns the relaxed-SIMD artifact on where the engine validates it, and is a BackendError where it does not', async () => {
    if (relaxedSimdSupported()) {
      const b = await createWasmBackend({ threads: 1, relaxedSimd: true });
      expect(b.getBackendInfo().relaxedSimd).toBe(true);
    } else {
      await expect(createWasmBackend({ threads: 1, relaxedSimd: true })).rejects.toThrow(BackendError);
      await expect(createWasmBackend({ threads: 1, relaxedSimd: true })).rejects.toThrow(/relaxedSimd: true.*no WebAssembly relaxed SIMD/);
    }
    const plain = await createWasmBackend({ threads: 1, relaxedSimd: false });
    expect(plain.getBackendInfo().relaxedSimd).toBe(false);
  });
});
