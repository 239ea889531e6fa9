// The fused BatchNorm and LayerNorm kernels against backend-js's on odd shapes: channels with
// and without spatial dims, rows long and short, a large common offset (which a one-pass
// variance would cancel), absent weight/bias and empty tensors, with no leaked buffers.
import { batchNormImpl, layerNormImpl } from '@tensile/backend-js/impl';
import type { TensorInfo } from '@tensile/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createWasmBackend, type WasmBackend } from '../dist/index.js';

/** Deterministic values in [-2, 2) (a small LCG), with a seed per operand. */
function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32) * 4 - 2;
  }
  return out;
}

const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

let be: WasmBackend;
beforeAll(async () => {
  be = await createWasmBackend();
});

function run(inputs: { v: Float32Array; shape: number[] }[], f: (xs: TensorInfo[]) => TensorInfo): Float32Array {
  const xs = inputs.map(({ v, shape }) => ({ id: be.write(v, shape, 'float32'), shape, dtype: 'float32' as const }));
  const y = f(xs);
  const got = be.readSync(y.id) as Float32Array;
  for (const x of [...xs, y]) be.dispose(x.id);
  expect(be.memory().buffers).toBe(0);
  return got;
}

function expectClose(got: Float32Array, want: Float32Array, rtol: number, atol: number): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    expect(Math.abs(got[i]! - want[i]!), `[${i}]: got ${got[i]}, want ${want[i]}`).toBeLessThanOrEqual(atol + rtol * Math.abs(want[i]!));
  }
}

describe('fused BatchNorm', () => {
  it.each([
    { shape: [4, 3], affine: true },
    { shape: [2, 5, 7, 3], affine: true },
    { shape: [3, 2, 17], affine: false },
    { shape: [0, 4, 2], affine: true },
  ])('x $shape affine $affine matches backend-js', ({ shape, affine }) => {
    const c = shape[1]!;
    const xv = values(size(shape), 1), mv = values(c, 2), vv = values(c, 3).map((v) => v * v + 0.05);
    const wv = values(c, 4), bv = values(c, 5);
    const want = batchNormImpl(xv, shape, mv, vv, affine ? wv : undefined, affine ? bv : undefined, 1e-5);
    const vecs = [mv, vv, ...(affine ? [wv, bv] : [])].map((v) => ({ v, shape: [c] }));
    const got = run([{ v: xv, shape }, ...vecs], ([x, m, v, w, b]) => be.fused.BatchNorm!({ x: x!, mean: m!, variance: v!, weight: w, bias: b }, { eps: 1e-5 }, be));
    // The same float32 fold of the scale and the same products: only sqrt may round apart.
    expectClose(got, want, 1e-6, 1e-6);
  });
});

describe('fused LayerNorm', () => {
  it.each([
    { shape: [3, 8], k: 1, affine: true, offset: 0 },
    { shape: [2, 3, 5], k: 2, affine: false, offset: 0 },
    { shape: [4, 257], k: 1, affine: true, offset: 1000 },
    { shape: [1], k: 1, affine: true, offset: 0 },
    { shape: [0, 6], k: 1, affine: true, offset: 0 },
  ])('x $shape over $k dims affine $affine offset $offset matches backend-js', ({ shape, k, affine, offset }) => {
    const ns = shape.slice(shape.length - k), len = size(ns);
    const xv = values(size(shape), 6).map((v) => v + offset), wv = values(len, 7), bv = values(len, 8);
    const want = layerNormImpl(xv, len, affine ? wv : undefined, affine ? bv : undefined, 1e-5);
    const vecs = affine ? [{ v: wv, shape: ns }, { v: bv, shape: ns }] : [];
    const got = run([{ v: xv, shape }, ...vecs], ([x, w, b]) => be.fused.LayerNorm!({ x: x!, weight: w, bias: b }, { normalizedDims: k, eps: 1e-5 }, be));
    // Both accumulate in float64; eps travels as float32 here, and the last products round.
    expectClose(got, want, 1e-6, 1e-6);
  });
});
