// Threads: the threaded artifact runs with workers when asked for, results are bit-identical
// for one and two threads (GEMM split by column panels or row panels, conv through the GEMM),
// and a platform without SharedArrayBuffer gets one warning and the single-threaded kernels.
import { conv2d, matmul, randn, registerBackend, setBackend, sum, tidy, valueAndGrad, type Tensor } from '@tensile/core';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createWasmBackend, threadsUnavailable, type WasmBackend } from '../dist/index.js';

const backends: Record<number, WasmBackend> = {};
for (const threads of [1, 2]) {
  registerBackend(`wasm-${threads}t`, async () => (backends[threads] = await createWasmBackend({ threads })));
}
afterAll(() => Object.values(backends).forEach((b) => b.terminate()));

/** The bits of every float computed by `f` on the backend with `threads` threads. */
async function bitsOn(threads: number, f: () => Tensor[]): Promise<Uint32Array[]> {
  await setBackend(`wasm-${threads}t`);
  expect(backends[threads]!.getBackendInfo().threads).toBe(threads);
  const outs = tidy(f);
  const bits = await Promise.all(outs.map(async (t) => new Uint32Array((await t.data() as Float32Array).slice().buffer)));
  outs.forEach((t) => t.dispose());
  return bits;
}

/** conv2d of random x and w (seeds `seed`, `seed + 1`), the sum of its squares, and both gradients of that sum. */
function convAndGrads(xShape: number[], wShape: number[], padding: number, seed: number): Tensor[] {
  const x = randn(xShape, { seed });
  const w = randn(wShape, { seed: seed + 1 });
  const { value, grads } = valueAndGrad((x: Tensor, w: Tensor) => sum(conv2d(x, w, { padding }).square()))(x, w);
  return [conv2d(x, w, { padding }), value, ...grads];
}

// Each product but the last has far more than the 2^18 multiply-adds below which a GEMM stays
// on one thread; the last case's per-image GEMMs have fewer (convolutions then split the batch).
const CASES: [string, () => Tensor[]][] = [
  ['matmul split by column panels, all four transpose combinations', () => {
    const a = randn([67, 301], { seed: 1 });
    const b = randn([301, 129], { seed: 2 });
    const at = randn([301, 67], { seed: 3 });
    const bt = randn([129, 301], { seed: 4 });
    return [matmul(a, b), matmul(at, b, { transposeA: true }), matmul(a, bt, { transposeB: true }),
      matmul(at, bt, { transposeA: true, transposeB: true })];
  }],
  ['matmul split by row panels (a narrow output)', () => [matmul(randn([1031, 257], { seed: 5 }), randn([257, 6], { seed: 6 }))]],
  ['conv2d and both of its gradients', () => convAndGrads([2, 5, 23, 19], [11, 5, 3, 3], 1, 7)],
  ['a 3x3 conv with 16 channels (Winograd) and both of its gradients', () => convAndGrads([2, 16, 20, 17], [24, 16, 3, 3], 1, 11)],
  ['LeNet-sized convs over a batch of 19: too small to split one GEMM, so the images are spread', () => convAndGrads([19, 6, 14, 14], [16, 6, 5, 5], 0, 9)],
];

describe('threads', () => {
  it.each(CASES)('%s: bit-identical on one and two threads', async (_, f) => {
    const one = await bitsOn(1, f);
    const two = await bitsOn(2, f);
    expect(two.length).toBe(one.length);
    for (let i = 0; i < one.length; i++) expect(two[i]).toEqual(one[i]);
  });

  it('reports the threads in use; terminate() leaves one thread that still computes', async () => {
    const b = await createWasmBackend({ threads: 2 });
    expect(b.getBackendInfo().threads).toBe(2);
    b.terminate();
    expect(b.getBackendInfo().threads).toBe(1);
    const x = b.write(new Float32Array([1, 2, 3, 4]), [2, 2], 'float32');
    const y = b.kernels.MatMul({ a: { id: x, shape: [2, 2], dtype: 'float32' }, b: { id: x, shape: [2, 2], dtype: 'float32' } }, { transposeA: false, transposeB: false }, b);
    // [[1, 2], [3, 4]]^2 = [[7, 10], [15, 22]]
    expect(b.readSync(y.id)).toEqual(new Float32Array([7, 10, 15, 22]));
  });

  it('without cross-origin isolation: one warning naming the headers, then single-threaded kernels', async () => {
    const g = globalThis as { crossOriginIsolated?: boolean };
    g.crossOriginIsolated = false;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      expect(threadsUnavailable()).toMatch(/Cross-Origin-Opener-Policy: same-origin.*Cross-Origin-Embedder-Policy: require-corp/);
      const a = await createWasmBackend({ threads: 2 });
      const b = await createWasmBackend({ threads: 2 });
      expect([a.getBackendInfo().threads, b.getBackendInfo().threads]).toEqual([1, 1]);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toMatch(/running single-threaded: SharedArrayBuffer is unavailable/);
    } finally {
      delete g.crossOriginIsolated;
      warn.mockRestore();
    }
    expect(threadsUnavailable()).toBeNull();
  });
});
