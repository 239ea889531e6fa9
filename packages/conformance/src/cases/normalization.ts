// BatchNorm and LayerNorm, optional fused kernels: hand values, finite differences, and -
// whether the backend overrides them or not - agreement with their decomposition into
// required ops (values and gradients, with given statistics and with the batch's own).
import * as T from '@tensile/core';
import { expect } from 'vitest';
import { ACCUM, FD } from '../tol.js';
import type { Case, Tol } from '../types.js';
import { f32 } from '../util.js';

const NORM: Tol = { rtol: 1e-4, atol: 1e-5, why: 'mean and variance in another order (and precision) than the decomposition, then a rsqrt: a few ulp of ~1 each' };

/** Deterministic values in [-1, 1) (a Weyl sequence), different per `salt`. */
function values(n: number, salt: number): number[] {
  return Array.from({ length: n }, (_, i) => (((i + 1) * 0.6180339887 + salt * 0.31) % 1) * 2 - 1);
}

const PRODUCTS: Tol = { rtol: 1e-6, atol: 1e-7, why: 'exact inputs and an exact rsqrt (1, 0.5): only the products round' };

const size = (s: number[]): number => s.reduce((x, y) => x * y, 1);

/** The decomposition of batchNorm with required ops only (what core falls back to). */
function batchNormRef(x: T.Tensor, mean: T.Tensor, variance: T.Tensor, w: T.Tensor | undefined, b: T.Tensor | undefined, eps: number): T.Tensor {
  const pc = (t: T.Tensor) => T.reshape(t, [1, t.shape[0]!, ...Array<number>(x.rank - 2).fill(1)]);
  let y = T.mul(T.sub(x, pc(mean)), pc(T.rsqrt(T.add(variance, eps))));
  if (w) y = T.mul(y, pc(w));
  return b ? T.add(y, pc(b)) : y;
}

/** The decomposition of layerNorm with required ops only. */
function layerNormRef(x: T.Tensor, k: number, w: T.Tensor | undefined, b: T.Tensor | undefined, eps: number): T.Tensor {
  const axes = Array.from({ length: k }, (_, i) => x.rank - k + i);
  const xc = T.sub(x, T.mean(x, axes, true));
  let y = T.mul(xc, T.rsqrt(T.add(T.mean(T.square(xc), axes, true), eps)));
  if (w) y = T.mul(y, w);
  return b ? T.add(y, b) : y;
}

/** Batch statistics over every dim but 1 (biased variance, as batch norm in training). */
function batchStats(x: T.Tensor): [T.Tensor, T.Tensor] {
  const axes = [0, ...Array.from({ length: x.rank - 2 }, (_, i) => i + 2)];
  return [T.mean(x, axes), T.variance(x, axes, false, { correction: 0 })];
}

async function close(got: T.Tensor, want: T.Tensor, what: string, tol: Tol): Promise<void> {
  expect(got.shape, what).toEqual(want.shape);
  const [g, w] = [await got.data(), await want.data()];
  g.forEach((v, i) => expect(Math.abs(v - w[i]!), `${what}[${i}]`).toBeLessThanOrEqual(tol.atol + tol.rtol * Math.abs(w[i]!)));
}

/** Compares f and ref on `args`: forward values, then value and every gradient of sum(y * W). */
async function agree(args: T.Tensor[], f: (...xs: T.Tensor[]) => T.Tensor, ref: (...xs: T.Tensor[]) => T.Tensor): Promise<void> {
  const loss = (g: (...xs: T.Tensor[]) => T.Tensor) => (...xs: T.Tensor[]) => {
    const y = g(...xs);
    return T.sum(T.mul(y, T.tensor(values(y.size, 4), y.shape)));
  };
  const yf = T.tidy(() => f(...args)), yr = T.tidy(() => ref(...args));
  const fused = T.valueAndGrad(loss(f))(...args);
  const plain = T.valueAndGrad(loss(ref))(...args);
  try {
    await close(yf, yr, 'values', NORM);
    await close(fused.value, plain.value, 'loss', NORM);
    for (let i = 0; i < args.length; i++) await close(fused.grads[i]!, plain.grads[i]!, `grad ${i}`, NORM);
  } finally {
    T.dispose([...args, yf, yr, fused.value, plain.value, ...fused.grads, ...plain.grads]);
  }
}

interface BNConfig { x: number[]; affine: boolean; training: boolean; eps: number }

const BN_CONFIGS: BNConfig[] = [
  { x: [4, 3], affine: true, training: true, eps: 1e-5 },
  { x: [4, 3], affine: false, training: false, eps: 1e-5 },
  { x: [3, 2, 5], affine: true, training: false, eps: 1e-3 },
  { x: [2, 3, 4, 5], affine: true, training: true, eps: 1e-5 },
  { x: [2, 4, 3, 3], affine: false, training: true, eps: 0.1 },
];

const bnAgreement: Case[] = BN_CONFIGS.map((c) => ({
  name: `batchNorm matches its decomposition: x [${c.x}]${c.affine ? ' affine' : ''} ${c.training ? 'batch statistics' : 'given statistics'} eps ${c.eps}`,
  check: async () => {
    const ch = c.x[1]!;
    const x = T.tensor(values(size(c.x), 1).map((v, i) => v * (1 + (i % 3))), c.x);
    const args = [x];
    if (!c.training) args.push(T.tensor(values(ch, 2), [ch]), T.tensor(values(ch, 3).map((v) => 0.5 + v * v), [ch]));
    if (c.affine) args.push(T.tensor(values(ch, 5), [ch]), T.tensor(values(ch, 6), [ch]));
    const run = (norm: typeof T.batchNorm | typeof batchNormRef) => (...xs: T.Tensor[]): T.Tensor => {
      const [m, v] = c.training ? batchStats(xs[0]!) : [xs[1]!, xs[2]!];
      const w = c.affine ? xs[xs.length - 2] : undefined, b = c.affine ? xs[xs.length - 1] : undefined;
      return norm === T.batchNorm ? T.batchNorm(xs[0]!, m, v, { weight: w, bias: b, eps: c.eps }) : batchNormRef(xs[0]!, m, v, w, b, c.eps);
    };
    await agree(args, run(T.batchNorm), run(batchNormRef));
  },
}));

interface LNConfig { x: number[]; k: number; weight: boolean; bias: boolean; eps: number }

const LN_CONFIGS: LNConfig[] = [
  { x: [3, 8], k: 1, weight: true, bias: true, eps: 1e-5 },
  { x: [2, 3, 5], k: 1, weight: false, bias: false, eps: 1e-5 },
  { x: [2, 3, 4], k: 2, weight: true, bias: false, eps: 1e-3 },
  { x: [6], k: 1, weight: true, bias: true, eps: 1e-5 },
  { x: [2, 2, 3, 4], k: 3, weight: true, bias: true, eps: 0.1 },
];

const lnAgreement: Case[] = LN_CONFIGS.map((c) => ({
  name: `layerNorm matches its decomposition: x [${c.x}] over ${c.k} dims${c.weight ? ' weight' : ''}${c.bias ? ' bias' : ''} eps ${c.eps}`,
  check: async () => {
    const ns = c.x.slice(c.x.length - c.k);
    const args = [T.tensor(values(size(c.x), 1).map((v, i) => v * (1 + (i % 4))), c.x)];
    if (c.weight) args.push(T.tensor(values(size(ns), 2), ns));
    if (c.bias) args.push(T.tensor(values(size(ns), 3), ns));
    const split = (xs: T.Tensor[]) => ({ w: c.weight ? xs[1] : undefined, b: c.bias ? xs[xs.length - 1] : undefined });
    await agree(args,
      (...xs) => T.layerNorm(xs[0]!, ns, { weight: split(xs).w, bias: split(xs).b, eps: c.eps }),
      (...xs) => layerNormRef(xs[0]!, c.k, split(xs).w, split(xs).b, c.eps));
  },
}));

// x [2, 2] = [[1, 2], [3, 6]], mean [2, 4], variance [1, 4], eps 0: rsqrt = [1, 0.5], so
// x_hat = [[-1, -1], [1, 1]]; * weight [2, 0.5] + bias [0.5, -1] = [[-1.5, -1.5], [2.5, -0.5]].
const BN_X = f32([1, 2, 3, 6], [2, 2]);
// Row [1, 2, 3, 4]: mean 2.5, variance 1.25, rstd 0.894427191; row [-2, 0, 0, 2]: mean 0,
// variance 2, rstd 0.707106781 (eps 0).
const LN_X = f32([1, 2, 3, 4, -2, 0, 0, 2], [2, 4]);

const hand: Case[] = [
  {
    name: 'batchNorm with given statistics', tol: PRODUCTS,
    inputs: [BN_X, f32([2, 4]), f32([1, 4])], run: ([x, m, v]) => T.batchNorm(x!, m!, v!, { eps: 0 }),
    expected: f32([-1, -1, 1, 1], [2, 2]),
  },
  {
    name: 'batchNorm with weight and bias', tol: PRODUCTS,
    inputs: [BN_X, f32([2, 4]), f32([1, 4]), f32([2, 0.5]), f32([0.5, -1])],
    run: ([x, m, v, w, b]) => T.batchNorm(x!, m!, v!, { weight: w!, bias: b!, eps: 0 }),
    expected: f32([-1.5, -1.5, 2.5, -0.5], [2, 2]),
  },
  {
    name: 'layerNorm over the last dim', tol: ACCUM,
    inputs: [LN_X], run: ([x]) => T.layerNorm(x!, [4], { eps: 0 }),
    expected: f32([-1.34164079, -0.4472136, 0.4472136, 1.34164079, -1.41421356, 0, 0, 1.41421356], [2, 4]),
  },
  {
    name: 'layerNorm with weight and bias', tol: ACCUM,
    inputs: [LN_X, f32([1, 2, 0.5, -1]), f32([0, 1, 0, -1])], run: ([x, w, b]) => T.layerNorm(x!, [4], { weight: w!, bias: b!, eps: 0 }),
    expected: f32([-1.34164079, 0.1055728, 0.2236068, -2.34164079, -1.41421356, 1, 0, -2.41421356], [2, 4]),
  },
  {
    name: 'batchNorm gradient with given statistics (x, mean, variance, weight, bias)', tol: ACCUM,
    inputs: [f32(values(12, 7), [3, 2, 2]), f32([0.1, -0.2]), f32([0.8, 1.3]), f32([1.2, -0.7]), f32([0.3, 0.1])],
    run: ([x, m, v, w, b]) => T.batchNorm(x!, m!, v!, { weight: w!, bias: b! }),
    grad: { tol: FD, eps: 1e-3 },
  },
  {
    name: 'batchNorm gradient with the batch statistics (training)', tol: ACCUM, composite: true,
    inputs: [f32(values(12, 8).map((v, i) => v * (1 + (i % 3))), [3, 2, 2]), f32([1.2, -0.7]), f32([0.3, 0.1])],
    run: ([x, w, b]) => {
      const [m, v] = batchStats(x!);
      return T.batchNorm(x!, m, v, { weight: w!, bias: b! });
    },
    grad: { tol: FD, eps: 1e-3 },
  },
  {
    name: 'layerNorm gradient (x, weight, bias)', tol: ACCUM,
    inputs: [f32(values(24, 9).map((v, i) => v * (1 + (i % 4))), [2, 3, 4]), f32(values(4, 10), [4]), f32(values(4, 11), [4])],
    run: ([x, w, b]) => T.layerNorm(x!, [4], { weight: w!, bias: b! }),
    grad: { tol: FD, eps: 1e-3 },
  },
  {
    name: 'batchNorm rejects statistics of the wrong channel count',
    inputs: [BN_X, f32([2, 4, 1]), f32([1, 4])], run: ([x, m, v]) => T.batchNorm(x!, m!, v!),
    throws: { error: T.ShapeError, includes: ['batchNorm', "'mean'", '[3]', '[2,2]'] },
  },
  {
    name: 'layerNorm rejects a normalizedShape x does not end with',
    inputs: [LN_X], run: ([x]) => T.layerNorm(x!, [3]),
    throws: { error: T.ShapeError, includes: ['layerNorm', 'normalizedShape', '[2,4]', '[3]'] },
  },
];

export const normalization: Case[] = [...hand, ...bnAgreement, ...lnAgreement];
