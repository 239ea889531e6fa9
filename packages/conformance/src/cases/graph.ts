// The gradient graph as a Module API needs it: a result owns its graph (it survives the tidy
// that made it), saved buffers live exactly as long as the graph, backward frees as it goes,
// and gradients can be differentiated again (createGraph), checked against analytic second
// derivatives and finite differences.
import * as T from '@tensile/core';
import { expect } from 'vitest';
import { EXACT, FD, TRANS } from '../tol.js';
import type { Case, Tol } from '../types.js';
import { f32 } from '../util.js';

/** A trainable variable from values, without leaving the initial tensor alive. */
function newVariable(values: number[], shape?: number[]): T.Variable {
  const t = T.tensor(values, shape);
  try {
    return T.variable(t);
  } finally {
    t.dispose();
  }
}

/** Second derivatives through two float32 backward passes vs float64 formulas. */
const SECOND: Tol = { rtol: 1e-4, atol: 1e-5, why: 'two chained float32 backward passes of transcendental ops vs a float64 formula' };

const XS = [-1.3, -0.4, 0.3, 0.8, 1.7];
const POS = [0.3, 0.7, 1.1, 1.9, 2.6];

// f and f'' written independently, in float64; the test takes d/dx (d/dx sum f(x)) through autograd.
const SECOND_DERIVATIVES: [name: string, xs: number[], f: (x: T.Tensor) => T.Tensor, f2: (x: number) => number][] = [
  ['exp', XS, T.exp, (x) => Math.exp(x)],
  ['sin', XS, T.sin, (x) => -Math.sin(x)],
  ['cos', XS, T.cos, (x) => -Math.cos(x)],
  ['tanh', XS, T.tanh, (x) => { const t = Math.tanh(x); return -2 * t * (1 - t * t); }],
  ['sigmoid', XS, T.sigmoid, (x) => { const s = 1 / (1 + Math.exp(-x)); return s * (1 - s) * (1 - 2 * s); }],
  ['softplus', XS, T.softplus, (x) => { const s = 1 / (1 + Math.exp(-x)); return s * (1 - s); }],
  ['erf', XS, T.erf, (x) => (-4 * x / Math.sqrt(Math.PI)) * Math.exp(-x * x)],
  ['square', XS, T.square, () => 2],
  ['pow(x, 3)', XS, (x) => T.pow(x, 3), (x) => 6 * x],
  ['x * x * x', XS, (x) => T.mul(T.mul(x, x), x), (x) => 6 * x],
  ['log', POS, T.log, (x) => -1 / (x * x)],
  ['sqrt', POS, T.sqrt, (x) => -0.25 * x ** -1.5],
  ['reciprocal', POS, T.reciprocal, (x) => 2 / x ** 3],
  ['1 / x (div by a tensor)', POS, (x) => T.div(1, x), (x) => 2 / x ** 3],
  ['rsqrt', POS, T.rsqrt, (x) => 0.75 * x ** -2.5],
  ['x ** x (pow with a tensor exponent)', POS, (x) => T.pow(x, x), (x) => x ** x * ((Math.log(x) + 1) ** 2 + 1 / x)],
];

const secondDerivativeCases: Case[] = SECOND_DERIVATIVES.map(([name, xs, f, f2]) => ({
  name: `second derivative of ${name} through grad(grad(f)) matches the formula`,
  check: async (ctx) => {
    const x = T.tensor(xs);
    const inner = (v: T.Tensor) => T.sum(f(v));
    const [d2] = T.grad((v: T.Tensor) => T.sum(T.grad(inner)(v)[0]!))(x);
    try {
      await ctx.expectTensor(d2!, f32(xs.map(f2)), SECOND, `d2/dx2 ${name}`);
    } finally {
      T.dispose([x, d2!]);
    }
  },
}));

/** f'(x) from autograd (first order), read as numbers. */
async function firstDerivative(f: (x: T.Tensor) => T.Tensor, xs: number[]): Promise<number[]> {
  const x = T.tensor(xs);
  const [g] = T.grad((v: T.Tensor) => T.sum(f(v)))(x);
  try {
    return Array.from(await g!.data());
  } finally {
    T.dispose([x, g!]);
  }
}

export const graph: Case[] = [
  {
    // d/dw sum((2w)^2) = 8w
    name: 'a result that came out of tidy keeps its graph: gradients(tidy(() => w.mul(2).square().sum()), [w])',
    check: async (ctx) => {
      const w = newVariable([1, 2, 3]);
      const y = T.tidy(() => w.mul(2).square().sum());
      try {
        const [g] = T.gradients(y, [w]);
        await ctx.expectTensor(g!, f32([8, 16, 24]), EXACT, 'd/dw');
        g!.dispose();
      } finally {
        T.dispose([y, w]);
      }
    },
  },
  {
    // d/dx of d/dx x^3 = 6x = 12 at x = 2
    name: 'grad of grad: grad(x => grad(y => y.pow(3).sum())(x)[0].sum())(2) is 12',
    check: async (ctx) => {
      const x = T.tensor([2]);
      const [g] = T.grad((v: T.Tensor) => T.grad((u: T.Tensor) => u.pow(3).sum())(v)[0]!.sum())(x);
      try {
        await ctx.expectTensor(g!, f32([12]), TRANS, 'second derivative');
      } finally {
        T.dispose([x, g!]);
      }
    },
  },
  ...secondDerivativeCases,
  {
    // f(x) = sum(sin(x) * x^2): check d/dx f'(x) against central differences of f'(x) itself
    name: 'second derivatives agree with central differences of the first derivative',
    check: async () => {
      const f = (v: T.Tensor) => T.mul(T.sin(v), T.square(v));
      const xs = [-1.1, 0.2, 0.9, 1.6];
      const x = T.tensor(xs);
      const [d2] = T.grad((v: T.Tensor) => T.sum(T.grad((u: T.Tensor) => T.sum(f(u)))(v)[0]!))(x);
      try {
        const got = Array.from(await d2!.data());
        const eps = 1e-2;
        const up = await firstDerivative(f, xs.map((v) => v + eps));
        const down = await firstDerivative(f, xs.map((v) => v - eps));
        got.forEach((g, i) => {
          const numeric = (up[i]! - down[i]!) / (2 * eps);
          expect(Math.abs(g - numeric), `x = ${xs[i]}: ${g} vs ${numeric}`).toBeLessThanOrEqual(FD.atol + FD.rtol * Math.abs(numeric));
        });
      } finally {
        T.dispose([x, d2!]);
      }
    },
  },
  {
    // H v for f(w) = sum(tanh(A w)^2): the gradient of <grad f(w), v>, vs (grad f(w + e v) - grad f(w - e v)) / 2e
    name: 'a Hessian-vector product (createGraph) agrees with finite differences of the gradient',
    check: async () => {
      const a = T.tensor([0.5, -0.3, 0.8, 0.1, 0.4, -0.6, -0.2, 0.9, 0.3], [3, 3]);
      const v = T.tensor([0.7, -0.2, 0.5], [3, 1]);
      const f = (w: T.Tensor) => T.sum(T.square(T.tanh(T.matmul(a, w))));
      const gradAt = async (ws: number[]): Promise<number[]> => {
        const w = T.tensor(ws, [3, 1]);
        const [g] = T.grad(f)(w);
        try {
          return Array.from(await g!.data());
        } finally {
          T.dispose([w, g!]);
        }
      };
      const w0 = [0.2, -0.5, 0.9];
      const w = newVariable(w0, [3, 1]);
      try {
        const hv = T.tidy(() => {
          const [g] = T.gradients(f(w), [w], { createGraph: true });
          return T.gradients(T.sum(T.mul(g!, v)), [w])[0]!;
        });
        const got = Array.from(await hv.data());
        hv.dispose();
        const eps = 1e-2;
        const vs = [0.7, -0.2, 0.5];
        const up = await gradAt(w0.map((x, i) => x + eps * vs[i]!));
        const down = await gradAt(w0.map((x, i) => x - eps * vs[i]!));
        got.forEach((g, i) => {
          const numeric = (up[i]! - down[i]!) / (2 * eps);
          expect(Math.abs(g - numeric), `(Hv)[${i}]: ${g} vs ${numeric}`).toBeLessThanOrEqual(FD.atol + FD.rtol * Math.abs(numeric));
        });
      } finally {
        T.dispose([a, v, w]);
      }
    },
  },
  {
    name: 'backward frees the saved buffers; a second backward through it is an error naming retainGraph',
    check: async (ctx) => {
      const w = newVariable([1, 2, 3, 4]);
      try {
        const base = T.memory().bytes;
        const y = T.tidy(() => T.sum(T.mul(T.exp(w), T.sin(w))));
        // mul's backward reads exp(w) and sin(w) (2 x 16 bytes); exp's output is one of them,
        // sin's input is w itself; sum reads nothing. Besides y's own 4 bytes:
        expect(T.memory().bytes - base, 'bytes held by y and its graph').toBe(4 + 32);
        const [g] = T.gradients(y, [w]);
        expect(T.memory().bytes - base, 'after backward: y and the gradient only').toBe(4 + 16);
        expect(() => T.gradients(y, [w])).toThrow(T.ArgumentError);
        expect(() => T.gradients(y, [w])).toThrow('retainGraph');
        // d/dw e^w sin w = e^w (sin w + cos w)
        await ctx.expectTensor(g!, f32([1, 2, 3, 4].map((x) => Math.exp(x) * (Math.sin(x) + Math.cos(x)))), TRANS, 'd/dw');
        T.dispose([y, g!]);
        expect(T.memory().bytes).toBe(base);
      } finally {
        w.dispose();
      }
    },
  },
  {
    name: 'retainGraph keeps the graph for another backward with the same result',
    check: async (ctx) => {
      const w = newVariable([0.5, -1]);
      try {
        const y = T.tidy(() => T.sum(T.mul(T.square(w), 3)));
        const [g1] = T.gradients(y, [w], { retainGraph: true });
        const [g2] = T.gradients(y, [w]);
        // 6w
        await ctx.expectTensor(g1!, f32([3, -6]), EXACT, 'first pass');
        await ctx.expectTensor(g2!, f32([3, -6]), EXACT, 'second pass');
        T.dispose([y, g1!, g2!]);
      } finally {
        w.dispose();
      }
    },
  },
  {
    name: 'disposing a result frees its graph, and a graph shared with a live result stays',
    check: async (ctx) => {
      const w = newVariable([1, 2]);
      try {
        const base = T.memory().bytes;
        const h = T.tidy(() => T.exp(w));
        const a = T.tidy(() => T.sum(T.sin(h)));
        const b = T.tidy(() => T.sum(T.cos(h)));
        a.dispose();
        h.dispose();
        // b still needs h (through cos); sum(cos(exp(w))) -> -sin(exp(w)) exp(w)
        const [g] = T.gradients(b, [w]);
        await ctx.expectTensor(g!, f32([1, 2].map((x) => -Math.sin(Math.exp(x)) * Math.exp(x))), TRANS, 'd/dw through the shared part');
        T.dispose([b, g!]);
        expect(T.memory().bytes, 'bytes after every result is gone').toBe(base);
      } finally {
        w.dispose();
      }
    },
  },
  {
    // 16 chained sin ops on 4096 floats: keeping every intermediate gradient alive would add
    // 16 x 16 KiB at the end of backward; freeing each once used keeps a few at a time.
    name: 'backward frees each intermediate gradient as soon as its node used it (peak memory)',
    check: () => {
      const n = 4096;
      const size = n * 4;
      const xs = Array.from({ length: n }, (_, i) => Math.sin(i) * 0.5);
      const w = newVariable(xs);
      try {
        const y = T.tidy(() => {
          let h: T.Tensor = w;
          for (let k = 0; k < 16; k++) h = T.sin(h);
          return T.sum(h);
        });
        const before = T.memory().bytes;
        T.resetPeakMemory();
        const [g] = T.gradients(y, [w]);
        const peak = T.memory().peakBytes - before;
        // live at once: the seed path's dy, cos(x), their product, the saved activations still
        // unused (decreasing) and the leaf gradient: at most a handful of vectors above start
        expect(peak, `backward peak above its start: ${peak / size} vectors of ${size} bytes`).toBeLessThanOrEqual(4 * size);
        T.dispose([y, g!]);
      } finally {
        w.dispose();
      }
    },
  },
  {
    name: 'a frozen argument costs no backward work: only the nodes that lead to wrt run',
    check: async (ctx) => {
      const w = newVariable([1, 2]);
      const frozen = newVariable([3, 4]);
      try {
        const y = T.tidy(() => T.sum(T.add(T.mul(w, 2), T.exp(frozen))));
        // Had exp's node run, this assign would make it stale (an error, as PyTorch's version check).
        T.tidy(() => frozen.assign(T.zeros([2])));
        const [g] = T.gradients(y, [w]);
        await ctx.expectTensor(g!, f32([2, 2]), EXACT, 'd/dw');
        T.dispose([y, g!]);
      } finally {
        T.dispose([w, frozen]);
      }
    },
  },
  {
    // loss = sum(w^2 * x): d/dw = 2wx, d/dx = w^2 for a plain tensor x (no grad kept)
    name: 'loss.backward() fills the grad of every trainable variable and accumulates like PyTorch',
    check: async (ctx) => {
      const w = newVariable([1, -2]);
      const b = newVariable([0.5, 0.5]);
      const init = T.tensor([3, 3]);
      const frozen = T.variable(init, { trainable: false });
      init.dispose();
      const x = T.tensor([3, 4]);
      try {
        T.tidy(() => T.sum(T.add(T.mul(T.square(w), x), T.mul(b, frozen))).backward());
        await ctx.expectTensor(w.grad!, f32([6, -16]), EXACT, 'w.grad after one backward');
        await ctx.expectTensor(b.grad!, f32([3, 3]), EXACT, 'b.grad');
        expect(frozen.grad, 'a frozen variable gets no grad').toBeNull();
        expect(x.grad, 'a plain tensor gets no grad').toBeNull();
        T.tidy(() => T.sum(T.mul(T.square(w), x)).backward());
        await ctx.expectTensor(w.grad!, f32([12, -32]), EXACT, 'w.grad accumulated over two backward calls');
        w.zeroGrad();
        expect(w.grad).toBeNull();
        expect(() => T.tidy(() => T.mul(w, 2).backward())).toThrow(T.ShapeError);
        expect(() => T.tidy(() => T.mul(w, 2).backward())).toThrow('dy');
        T.tidy(() => T.mul(w, 2).backward({ dy: T.tensor([1, 10]) }));
        await ctx.expectTensor(w.grad!, f32([2, 20]), EXACT, 'backward with dy');
      } finally {
        T.dispose([w, b, frozen, x]);
      }
    },
  },
  {
    name: 'a PyTorch-style loop (backward, step, zeroGrad) keeps memory flat and learns',
    check: async (ctx) => {
      const w = newVariable([0.5, -0.5, 0.25], [3, 1]);
      const x = T.tensor([1, 2, 3, -1, 0, 2, 2, 1, 0, 0.5, 0.5, 0.5], [4, 3]);
      const target = T.tensor([1, 0, 2, 1], [4, 1]);
      try {
        const step = (): T.Tensor => T.tidy(() => {
          const loss = T.mean(T.square(T.sub(T.matmul(x, w), target)));
          loss.backward();
          w.assign(T.sub(w, T.mul(w.grad!, 0.05)));
          w.zeroGrad();
          return loss;
        });
        const first = step();
        const l0 = (await first.data())[0]!;
        first.dispose();
        step().dispose();
        const m2 = T.memory();
        for (let i = 0; i < 50; i++) step().dispose();
        const m = T.memory();
        expect([m.tensors, m.bytes, m.perBackend[ctx.name]!.buffers]).toEqual([m2.tensors, m2.bytes, m2.perBackend[ctx.name]!.buffers]);
        const last = step();
        expect((await last.data())[0]!).toBeLessThan(l0);
        last.dispose();
      } finally {
        T.dispose([w, x, target]);
      }
    },
  },
];
