// Fused kernels: fusedMatMul against hand values, finite differences, and - whether the
// backend overrides FusedMatMul or not - against its decomposition matmul + add + relu.
import * as T from '@tensile/core';
import { expect } from 'vitest';
import { ACCUM, FD } from '../tol.js';
import type { Case } from '../types.js';
import { f32 } from '../util.js';

// a = [[1,2],[3,4]], b = [[1,-1],[0,1]]: a @ b = [[1,1],[3,1]]; + bias [-2, 0.5] = [[-1,1.5],[1,1.5]]
const A = f32([1, 2, 3, 4], [2, 2]);
const B = f32([1, -1, 0, 1], [2, 2]);
const BIAS = f32([-2, 0.5]);

/** Deterministic values in [-1, 1) (a Weyl sequence), different per `salt`. */
function values(n: number, salt: number): number[] {
  return Array.from({ length: n }, (_, i) => (((i + 1) * 0.6180339887 + salt * 0.31) % 1) * 2 - 1);
}

interface Config { a: number[]; b: number[]; tA?: boolean; tB?: boolean; bias: boolean; relu: boolean }

const CONFIGS: Config[] = [
  { a: [5, 7], b: [7, 3], bias: true, relu: true },
  { a: [7, 5], b: [7, 3], tA: true, bias: true, relu: false },
  { a: [5, 7], b: [3, 7], tB: true, bias: false, relu: true },
  { a: [2, 4, 6], b: [6, 9], bias: true, relu: true },
  { a: [2, 1, 3, 4], b: [5, 6, 3], tA: true, tB: true, bias: true, relu: true },
  { a: [1, 9], b: [9, 17], bias: true, relu: false },
];

function decomposition(a: T.Tensor, b: T.Tensor, bias: T.Tensor | undefined, c: Config): T.Tensor {
  const z = T.matmul(a, b, { transposeA: c.tA, transposeB: c.tB });
  const zb = bias ? T.add(z, bias) : z;
  return c.relu ? T.relu(zb) : zb;
}

async function close(got: T.Tensor, want: T.Tensor, what: string): Promise<void> {
  expect(got.shape, what).toEqual(want.shape);
  const [g, w] = [await got.data(), await want.data()];
  g.forEach((v, i) => expect(Math.abs(v - w[i]!), `${what}[${i}]`).toBeLessThanOrEqual(ACCUM.atol + ACCUM.rtol * Math.abs(w[i]!)));
}

const agreement: Case[] = CONFIGS.map((c) => ({
  name: `fusedMatMul matches matmul + add + relu: a [${c.a}] b [${c.b}]${c.tA ? ' tA' : ''}${c.tB ? ' tB' : ''}${c.bias ? ' bias' : ''}${c.relu ? ' relu' : ''}`,
  check: async () => {
    const size = (s: number[]) => s.reduce((x, y) => x * y, 1);
    const n = c.tB ? c.b[c.b.length - 2]! : c.b[c.b.length - 1]!;
    const a = T.tensor(values(size(c.a), 1), c.a), b = T.tensor(values(size(c.b), 2), c.b);
    const bias = c.bias ? T.tensor(values(n, 3), [n]) : undefined;
    const args = bias ? [a, b, bias] : [a, b];
    const opts = { transposeA: c.tA, transposeB: c.tB, activation: c.relu ? 'relu' as const : 'linear' as const };
    const loss = (f: (a: T.Tensor, b: T.Tensor, bias?: T.Tensor) => T.Tensor) => (...xs: T.Tensor[]) => {
      const y = f(xs[0]!, xs[1]!, xs[2]);
      return T.sum(T.mul(y, T.tensor(values(y.size, 4), y.shape)));
    };
    const fused = T.valueAndGrad(loss((x, y, z) => T.fusedMatMul(x, y, { ...opts, bias: z })))(...args);
    const plain = T.valueAndGrad(loss((x, y, z) => decomposition(x, y, z, c)))(...args);
    const yf = T.fusedMatMul(a, b, { ...opts, bias });
    const yp = T.tidy(() => decomposition(a, b, bias, c));
    try {
      await close(yf, yp, 'values');
      await close(fused.value, plain.value, 'loss');
      for (let i = 0; i < args.length; i++) await close(fused.grads[i]!, plain.grads[i]!, `grad ${i}`);
    } finally {
      T.dispose([a, b, yf, yp, fused.value, plain.value, ...fused.grads, ...plain.grads]);
      if (bias) bias.dispose();
    }
  },
}));

const hand: Case[] = [
  { name: 'fusedMatMul with bias', inputs: [A, B, BIAS], run: ([a, b, c]) => T.fusedMatMul(a!, b!, { bias: c! }), expected: f32([-1, 1.5, 1, 1.5], [2, 2]) },
  { name: 'fusedMatMul with bias and relu', inputs: [A, B, BIAS], run: ([a, b, c]) => T.fusedMatMul(a!, b!, { bias: c!, activation: 'relu' }), expected: f32([0, 1.5, 1, 1.5], [2, 2]) },
  // a^T = [[1,3],[2,4]]: a^T @ b = [[1,2],[2,2]]
  { name: 'fusedMatMul transposeA without bias', inputs: [A, B], run: ([a, b]) => T.fusedMatMul(a!, b!, { transposeA: true }), expected: f32([1, 2, 2, 2], [2, 2]) },
  // [1, -1] @ b = [-1, 0, 1]: relu's gradient (torch's threshold_backward) is 0 at the first two
  // even for NaN and Inf cotangents, so da = [0, 0, 2] @ b^T = [4, 2] (torch 2.15 agrees).
  {
    name: 'fusedMatMul relu gradient is 0 where the pre-activation is <= 0, even for a NaN cotangent',
    inputs: [f32([1, -1], [1, 2]), f32([1, 0, 2, 2, 0, 1], [2, 3])],
    run: ([a, b]) => T.fusedMatMul(a!, b!, { activation: 'relu' }),
    goldenGrad: { weights: [f32([NaN, Infinity, 2], [1, 3])], grads: [f32([4, 2], [1, 2]), f32([0, 0, 2, -0, -0, -2], [2, 3])], tol: ACCUM },
  },
  {
    name: 'fusedMatMul gradient (relu, bias, transposeB)', tol: ACCUM,
    inputs: [f32([0.9, -0.3, 0.4, 0.7, -0.8, 0.2], [2, 3]), f32([0.5, -0.6, 0.3, 0.8, 0.1, -0.9, 0.45, 0.35, -0.25, 0.6, -0.7, 0.15], [4, 3]), f32([0.1, -0.2, 0.3, 0.05])],
    run: ([a, b, c]) => T.fusedMatMul(a!, b!, { transposeB: true, bias: c!, activation: 'relu' }),
    grad: { tol: FD, eps: 1e-3 },
  },
];

export const fused: Case[] = [...hand, ...agreement];
