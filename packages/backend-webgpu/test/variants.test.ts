// Both kernel variants of the adapter-dependent kernels agree with backend-js: workgroup-memory
// tiles and workgroup reductions (GPUs, `tiled: true`) and their barrier-free forms (CPU
// adapters such as SwiftShader, `tiled: false`). The conformance suite runs whichever variant
// the adapter picks; this table holds the other one to the same oracle.
import {
  batchNormImpl, conv2dBackpropFilterImpl, conv2dBackpropInputImpl, conv2dImpl, fusedMatMulImpl, layerNormImpl, matMulImpl,
  reduceImpl, softmaxImpl,
} from '@tensile/backend-js/impl';
import type { ConvAttrs, TensorInfo } from '@tensile/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebGpuBackend, type WebGpuBackend } from '../src/index.js';

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

function expectClose(got: Float32Array, want: Float32Array, rtol: number, atol: number): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!, g = got[i]!;
    if (Number.isNaN(w)) expect(g, `[${i}]`).toBeNaN();
    else expect(Math.abs(g - w), `[${i}]: got ${g}, want ${w}`).toBeLessThanOrEqual(atol + rtol * Math.abs(w));
  }
}

const backends: Record<'tiled' | 'direct', WebGpuBackend> = {} as never;
beforeAll(async () => {
  backends.tiled = await createWebGpuBackend({ tiled: true });
  backends.direct = await createWebGpuBackend({ tiled: false });
}, 120_000);
afterAll(() => {
  backends.tiled?.destroy();
  backends.direct?.destroy();
});

async function run(be: WebGpuBackend, inputs: { v: Float32Array; shape: number[] }[], f: (xs: TensorInfo[]) => TensorInfo): Promise<Float32Array> {
  const xs = inputs.map(({ v, shape }) => ({ id: be.write(v, shape, 'float32'), shape, dtype: 'float32' as const }));
  const y = f(xs);
  await be.flush();
  const got = (await be.read(y.id)) as Float32Array;
  for (const x of [...xs, y]) be.dispose(x.id);
  expect(be.memory().buffers).toBe(0);
  return got;
}

// Sums of up to 70 products of values in [-2, 2): float32 rounding in a different order.
const MM_TOL = [1e-5, 1e-4] as const;

const MATMULS: { name: string; a: number[]; b: number[]; tA: boolean; tB: boolean; bias?: boolean; relu?: boolean }[] = [
  { name: 'NN 67x70 @ 70x65 (edge tiles)', a: [67, 70], b: [70, 65], tA: false, tB: false },
  { name: 'TN', a: [33, 17], b: [33, 20], tA: true, tB: false },
  { name: 'NT', a: [17, 33], b: [20, 33], tA: false, tB: true },
  { name: 'TT', a: [33, 17], b: [20, 33], tA: true, tB: true },
  { name: 'batched, broadcast batch dims', a: [2, 1, 5, 8], b: [3, 8, 6], tA: false, tB: false },
  { name: 'vec4 rows (K, N multiples of 4)', a: [9, 12], b: [12, 16], tA: false, tB: false },
  { name: 'fused bias + relu', a: [10, 12], b: [12, 7], tA: false, tB: false, bias: true, relu: true },
  // vec4 loads along each operand's contiguous axis, for every transposition, and a K tail.
  { name: 'TN vec4 (M, N multiples of 4), K % 4 = 1', a: [13, 20], b: [13, 24], tA: true, tB: false },
  { name: 'NT vec4 (K multiple of 4)', a: [18, 20], b: [22, 20], tA: false, tB: true },
  { name: 'TT vec4, 24x12 blocks over two tiles', a: [20, 24], b: [12, 20], tA: true, tB: true },
  { name: 'NN 40x36 @ 36x44, fused bias', a: [40, 36], b: [36, 44], tA: false, tB: false, bias: true },
  // Blocks of 8 rows and columns, which the direct variant's quads share (scalar loads, K tails).
  { name: 'TN 19x21 @ 21x26, fused bias + relu, K % 4 = 1', a: [21, 19], b: [21, 26], tA: true, tB: false, bias: true, relu: true },
  { name: 'NT 30x23 @ 23x27, fused relu, K % 4 = 3', a: [30, 23], b: [27, 23], tA: false, tB: true, relu: true },
];

describe.each(['tiled', 'direct'] as const)('%s variant', (variant) => {
  it.each(MATMULS)('matmul $name matches backend-js', async ({ a, b, tA, tB, bias, relu }) => {
    const av = values(size(a), 1), bv = values(size(b), 2);
    const n = tB ? b[b.length - 2]! : b[b.length - 1]!;
    const biasV = bias ? values(n, 3) : undefined;
    const want = bias || relu
      ? fusedMatMulImpl(av, a, bv, b, tA, tB, biasV, Boolean(relu)).values
      : (matMulImpl(av, a, bv, b, tA, tB).values as Float32Array);
    const be = backends[variant];
    const inputs = [{ v: av, shape: a }, { v: bv, shape: b }, ...(biasV ? [{ v: biasV, shape: [n] }] : [])];
    const got = await run(be, inputs, ([x, y, z]) => (bias || relu
      ? be.fused.FusedMatMul!({ a: x!, b: y!, bias: z }, { transposeA: tA, transposeB: tB, activation: relu ? 'relu' : 'linear' }, be)
      : be.kernels.MatMul({ a: x!, b: y! }, { transposeA: tA, transposeB: tB }, be)));
    expectClose(got, want, ...MM_TOL);
  }, 60_000);

  it.each([
    { name: 'last axis, large magnitudes', shape: [5, 130], axis: 1, log: false, scale: 100 },
    { name: 'middle axis', shape: [3, 7, 4], axis: 1, log: false, scale: 1 },
    { name: 'log-softmax, first axis', shape: [9, 6], axis: 0, log: true, scale: 10 },
  ])('softmax $name matches backend-js', async ({ shape, axis, log, scale }) => {
    const xv = values(size(shape), 4).map((v) => v * scale);
    const want = softmaxImpl(xv, shape, axis, log);
    const be = backends[variant];
    const got = await run(be, [{ v: xv, shape }], ([x]) => be.kernels.Softmax({ x: x! }, { axis, log }, be));
    // exp, a float32 sum and a log or division: a few ulp plus the summation order.
    expectClose(got, want, 1e-5, 1e-6);
  }, 60_000);

  it.each([
    { name: 'rows of 130 with an offset of 1000 (strided workgroup sums)', shape: [5, 130], k: 1, affine: true, offset: 1000 },
    { name: 'over 2 dims, no affine', shape: [3, 4, 6], k: 2, affine: false, offset: 0 },
    { name: 'one row of 7, eps-dominated', shape: [7], k: 1, affine: true, offset: 0, scale: 1e-3 },
  ])('layerNorm $name matches backend-js', async ({ shape, k, affine, offset, scale }) => {
    const len = size(shape.slice(shape.length - k));
    const xv = values(size(shape), 5).map((v) => v * (scale ?? 1) + offset);
    const wv = values(len, 6), bv = values(len, 7);
    const want = layerNormImpl(xv, len, affine ? wv : undefined, affine ? bv : undefined, 1e-5);
    const be = backends[variant];
    const ns = shape.slice(shape.length - k);
    const inputs = [{ v: xv, shape }, ...(affine ? [{ v: wv, shape: ns }, { v: bv, shape: ns }] : [])];
    const got = await run(be, inputs, ([x, w, b]) => be.fused.LayerNorm!({ x: x!, weight: w, bias: b }, { normalizedDims: k, eps: 1e-5 }, be));
    // float32 sums of up to 130 terms (backend-js sums in float64); an offset of 1000 costs
    // ~1000 * 2^-24 per centred value, relative to a standard deviation of ~1.
    expectClose(got, want, 1e-4, offset ? 2e-3 : 1e-5);
  }, 60_000);

  // 32+ outputs take the barrier-free form on CPU adapters; the others, the workgroup tree.
  it.each([
    { name: 'sum over rows of [37, 70] (a bias gradient)', op: 'sum' as const, shape: [37, 70], axes: [0], nan: false },
    { name: 'mean over axes 0 and 2 of [5, 40, 7]', op: 'mean' as const, shape: [5, 40, 7], axes: [0, 2], nan: false },
    { name: 'max over the last axis of [50, 9], with a NaN', op: 'max' as const, shape: [50, 9], axes: [1], nan: true },
    { name: 'sum of [3, 200] over axis 1 (few outputs)', op: 'sum' as const, shape: [3, 200], axes: [1], nan: false },
  ])('reduce $name matches backend-js', async ({ op, shape, axes, nan }) => {
    const xv = values(size(shape), 15);
    if (nan) xv[20] = Number.NaN;
    const want = reduceImpl(op, 'float32', xv, shape, axes, false).values as Float32Array;
    const be = backends[variant];
    const got = await run(be, [{ v: xv, shape }], ([x]) => be.kernels.Reduce({ x: x! }, { op, axes, keepDims: false }, be));
    // float32 sums of up to 200 values in [-2, 2) in another order (backend-js sums in float64).
    expectClose(got, want, 1e-5, 1e-4);
  }, 60_000);

  it('batchNorm [2, 3, 5] with weight and bias matches backend-js', async () => {
    const shape = [2, 3, 5];
    const xv = values(30, 8), mv = values(3, 9), vv = values(3, 10).map((v) => v * v + 0.1), wv = values(3, 11), bv = values(3, 12);
    const want = batchNormImpl(xv, shape, mv, vv, wv, bv, 1e-5);
    const be = backends[variant];
    const got = await run(be, [{ v: xv, shape }, { v: mv, shape: [3] }, { v: vv, shape: [3] }, { v: wv, shape: [3] }, { v: bv, shape: [3] }],
      ([x, m, v, w, b]) => be.fused.BatchNorm!({ x: x!, mean: m!, variance: v!, weight: w, bias: b }, { eps: 1e-5 }, be));
    // The same float32 fold of the scale; only sqrt's rounding may differ (a few ulp).
    expectClose(got, want, 1e-5, 1e-6);
  }, 60_000);
});

// More batches than one dispatch dimension holds workgroups for (65535). The barrier-free
// variant (the one CPU adapters pick) gives each (batch, tile) pair an invocation, so the last
// case needs 2^22+ pairs for its grid to fold into y. The tiled variant's batch decode is the
// same flat-grid arithmetic per workgroup, but SwiftShader takes minutes over 65536+ barrier-
// synchronised 256-invocation workgroups, so it is not run here.
it.each([
  { name: '70000 x (2x3 @ 3x2)', a: [70000, 2, 3], b: [70000, 3, 2], tA: false, tB: false },
  { name: '66000 x (3x4)^T @ (1x3)^T, vec4 loads of A', a: [66000, 3, 4], b: [66000, 1, 3], tA: true, tB: true },
  { name: '2x35000 x (2x4 @ 4x3), A broadcast over the first batch dim', a: [1, 35000, 2, 4], b: [2, 35000, 4, 3], tA: false, tB: false },
  { name: '4200000 x (1x2 @ 2x1): a grid folded into y', a: [4_200_000, 1, 2], b: [4_200_000, 2, 1], tA: false, tB: false },
  // 2^28 multiply-adds: the 16 x 16 register blocks big products (2^27+) get, others 8 x 8,
  // over 36-row / 20-column edges (blocks clamped at the edge), and both vec4 and scalar loads.
  { name: '5800 x (65x36)^T @ (20x65)^T: 16x16 blocks', a: [5800, 65, 36], b: [5800, 20, 65], tA: true, tB: true },
  { name: '4096 x (32x64 @ 64x32): 16x16 blocks', a: [4096, 32, 64], b: [4096, 64, 32], tA: false, tB: false },
])('direct variant: matmul over a batch of $name matches backend-js', async ({ a, b, tA, tB }) => {
  const av = values(size(a), 13), bv = values(size(b), 14);
  const want = matMulImpl(av, a, bv, b, tA, tB).values as Float32Array;
  const be = backends.direct;
  const got = await run(be, [{ v: av, shape: a }, { v: bv, shape: b }], ([x, y]) =>
    be.kernels.MatMul({ a: x!, b: y! }, { transposeA: tA, transposeB: tB }, be));
  // expectClose's tolerance, checked in one pass (an expect per element is slow at millions).
  expect(got.length).toBe(want.length);
  const bad = want.findIndex((w, i) => !(Math.abs(got[i]! - w) <= MM_TOL[1] + MM_TOL[0] * Math.abs(w)));
  expect(bad, bad < 0 ? '' : `[${bad}]: got ${got[bad]}, want ${want[bad]}`).toBe(-1);
}, 120_000);

// Conv shapes past the shared suite's few channels: the forward and input-gradient GEMMs loop
// over more than 8 reduction channels (fewer are unrolled), over odd widths, groups, stride and
// dilation, and the filter gradient with several channel quads per block (its workgroup size
// is the variant's). The direct variant's forward pass is conv2d_rows.ts where the adapter has
// subgroups (SwiftShader does): blocks of up to 8 pixels of a row, over channel blocks.
it.each([
  { name: '2x10x9x11 -> 10 3x3 pad 1', x: [2, 10, 9, 11], w: [10, 10, 3, 3], stride: [1, 1], pad: [1, 1, 1, 1], dilation: [1, 1], groups: 1 },
  { name: '3x6x14x14 -> 16 5x5 (a LeNet layer)', x: [3, 6, 14, 14], w: [16, 6, 5, 5], stride: [1, 1], pad: [0, 0, 0, 0], dilation: [1, 1], groups: 1 },
  { name: '1x12x10x9 -> 6 3x3 groups 2, stride 2, dilation 2', x: [1, 12, 10, 9], w: [6, 6, 3, 3], stride: [2, 2], pad: [2, 1, 0, 2], dilation: [2, 2], groups: 2 },
].flatMap((c) => (['tiled', 'direct'] as const).map((variant) => ({ ...c, variant }))) as ({ name: string; x: number[]; w: number[]; variant: 'tiled' | 'direct' } & ConvAttrs)[])(
  '$variant variant: conv2d $name and its gradients match backend-js', async ({ x, w, variant, ...attrs }) => {
  const outSize: [number, number] = [0, 1].map((d) => Math.floor((x[2 + d]! + attrs.pad[2 * d]! + attrs.pad[2 * d + 1]! - attrs.dilation[d]! * (w[2 + d]! - 1) - 1) / attrs.stride[d]!) + 1) as [number, number];
  const y = [x[0]!, w[0]!, ...outSize];
  const xv = values(size(x), 16), wv = values(size(w), 17), dyv = values(size(y), 18);
  const be = backends[variant];
  const fwd = await run(be, [{ v: xv, shape: x }, { v: wv, shape: w }], ([a, b]) => be.kernels.Conv2D({ x: a!, w: b! }, { ...attrs, outSize }, be));
  const dx = await run(be, [{ v: dyv, shape: y }, { v: wv, shape: w }], ([a, b]) =>
    be.kernels.Conv2DBackpropInput({ dy: a!, w: b! }, { ...attrs, inputShape: x as [number, number, number, number] }, be));
  const dw = await run(be, [{ v: xv, shape: x }, { v: dyv, shape: y }], ([a, b]) =>
    be.kernels.Conv2DBackpropFilter({ x: a!, dy: b! }, { ...attrs, filterShape: w as [number, number, number, number] }, be));
  // float32 dot products of up to ~600 products of values in [-2, 2), summed in another order.
  expectClose(fwd, conv2dImpl(xv, x, wv, w, { ...attrs, outSize }).values, 1e-4, 1e-3);
  expectClose(dx, conv2dBackpropInputImpl(dyv, y, wv, w, attrs, x), 1e-4, 1e-3);
  expectClose(dw, conv2dBackpropFilterImpl(xv, x, dyv, y, attrs, w), 1e-4, 1e-3);
}, 60_000);
