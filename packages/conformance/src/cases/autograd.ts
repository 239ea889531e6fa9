// The autograd API: valueAndGrad / grad / gradients / variable / noGrad, and tidy / keep /
// dispose around them. Every case here also runs inside the runner's leak check.
import * as T from '@tensile/core';
import { expect } from 'vitest';
import { EXACT, FD, TRANS } from '../tol.js';
import type { Case } from '../types.js';
import { f32 } from '../util.js';

/** A variable initialised from values, without leaving the initial tensor alive. */
function newVariable(values: number[], opts?: { trainable?: boolean; name?: string }): T.Variable {
  const t = T.tensor(values);
  try {
    return T.variable(t, opts);
  } finally {
    t.dispose();
  }
}

export const autograd: Case[] = [
  {
    // f(a, b) = sum(a^2 b) with a = [1, 2], b = [3, 4]: value 1*3 + 4*4 = 19,
    // df/da = 2ab = [6, 16], df/db = a^2 = [1, 4]
    name: 'valueAndGrad returns { value, grads } with grads in argument order',
    check: async (ctx) => {
      const a = T.tensor([1, 2]);
      const b = T.tensor([3, 4]);
      const { value, grads } = T.valueAndGrad((x: T.Tensor, y: T.Tensor) => T.sum(T.mul(T.square(x), y)))(a, b);
      try {
        expect(grads.length).toBe(2);
        await ctx.expectTensor(value, f32([19], []), EXACT, 'value');
        await ctx.expectTensor(grads[0]!, f32([6, 16]), EXACT, 'd/da');
        await ctx.expectTensor(grads[1]!, f32([1, 4]), EXACT, 'd/db');
      } finally {
        T.dispose([a, b, value, ...grads]);
      }
    },
  },
  {
    // d/da sum(a + b) = d/db sum(a + b) = ones: equal values, but two tensors
    name: 'each gradient is its own tensor, even when two are equal',
    check: async (ctx) => {
      const a = T.tensor([1, 2]);
      const b = T.tensor([3, 4]);
      const gs = T.grad((x: T.Tensor, y: T.Tensor) => T.sum(T.add(x, y)))(a, b);
      try {
        expect(gs[0], 'grads[0] and grads[1] are the same object').not.toBe(gs[1]);
        gs[0]!.dispose();
        expect(gs[1]!.isDisposed, 'disposing grads[0] disposed grads[1]').toBe(false);
        await ctx.expectTensor(gs[1]!, f32([1, 1]), EXACT, 'd/db');
      } finally {
        T.dispose([a, b, ...gs]);
      }
    },
  },
  {
    name: 'grad returns the gradients as an array',
    check: async (ctx) => {
      const x = T.tensor([3, -1]);
      const gs = T.grad((v: T.Tensor) => T.sum(T.square(v)))(x);
      try {
        expect(Array.isArray(gs)).toBe(true);
        expect(gs.length).toBe(1);
        await ctx.expectTensor(gs[0]!, f32([6, -2]), EXACT, 'd/dx sum(x^2) = 2x');
      } finally {
        T.dispose([x, ...gs]);
      }
    },
  },
  {
    // the gradient of a non-scalar value is that of value.sum(): d/dx sum(3x) = 3
    name: 'valueAndGrad of a non-scalar value differentiates its sum',
    check: async (ctx) => {
      const x = T.tensor([[1, 2], [3, 4]]);
      const { value, grads } = T.valueAndGrad((v: T.Tensor) => T.mul(v, 3))(x);
      try {
        await ctx.expectTensor(value, f32([3, 6, 9, 12], [2, 2]), EXACT, 'value');
        await ctx.expectTensor(grads[0]!, f32([3, 3, 3, 3], [2, 2]), EXACT, 'gradient');
      } finally {
        T.dispose([x, value, ...grads]);
      }
    },
  },
  {
    name: 'an argument the value does not depend on gets zeros',
    check: async (ctx) => {
      const a = T.tensor([1, 2]);
      const b = T.tensor([[5, 6, 7]]);
      const gs = T.grad((x: T.Tensor, _y: T.Tensor) => T.sum(x))(a, b);
      try {
        await ctx.expectTensor(gs[0]!, f32([1, 1]), EXACT, 'd/da');
        await ctx.expectTensor(gs[1]!, f32([0, 0, 0], [1, 3]), EXACT, 'd/db');
      } finally {
        T.dispose([a, b, ...gs]);
      }
    },
  },
  {
    // f(x) = sum(x * x): x used twice, gradients accumulate to 2x; passing the same tensor
    // as two arguments gives each argument its own gradient
    name: 'gradients accumulate over repeated uses of a tensor',
    check: async (ctx) => {
      const x = T.tensor([1.5, -2]);
      const g1 = T.grad((v: T.Tensor) => T.sum(T.mul(v, v)))(x);
      const g2 = T.grad((u: T.Tensor, v: T.Tensor) => T.sum(T.mul(u, v)))(x, x);
      try {
        await ctx.expectTensor(g1[0]!, f32([3, -4]), EXACT, 'd/dx sum(x*x)');
        await ctx.expectTensor(g2[0]!, f32([1.5, -2]), EXACT, 'd/du sum(u*v) = v');
        await ctx.expectTensor(g2[1]!, f32([1.5, -2]), EXACT, 'd/dv sum(u*v) = u');
      } finally {
        T.dispose([x, ...g1, ...g2]);
      }
    },
  },
  {
    name: 'valueAndGrad leaves its arguments alive and frees its intermediates',
    check: async (ctx) => {
      const x = T.tensor([0.5, 1, 2]);
      const before = T.memory().tensors;
      const { value, grads } = T.valueAndGrad((v: T.Tensor) => T.sum(T.exp(T.mul(T.sin(v), 2))))(x);
      try {
        expect(T.memory().tensors - before).toBe(2);
        expect(x.isDisposed).toBe(false);
        await ctx.expectTensor(x, f32([0.5, 1, 2]), EXACT, 'argument unchanged');
        // d/dx exp(2 sin x) = 2 cos x exp(2 sin x)
        const want = [0.5, 1, 2].map((v) => 2 * Math.cos(v) * Math.exp(2 * Math.sin(v)));
        await ctx.expectTensor(grads[0]!, f32(want), TRANS, 'gradient');
      } finally {
        T.dispose([x, value, ...grads]);
      }
    },
  },
  {
    name: 'valueAndGrad under tidy: a training step ends with the tensor count it began with',
    check: async () => {
      const w = newVariable([0.5, -0.5]);
      const x = T.tensor([1, 2]);
      try {
        const start = T.memory().tensors;
        for (let step = 0; step < 3; step++) {
          T.tidy(() => {
            const { value, grads } = T.valueAndGrad((v: T.Tensor) => T.sum(T.square(T.sub(T.mul(v, x), 1))))(w);
            w.assign(T.sub(w, T.mul(grads[0]!, 0.1)));
            return value;
          }).dispose();
          expect(T.memory().tensors, `after step ${step}`).toBe(start);
        }
      } finally {
        T.dispose([w, x]);
      }
    },
  },
  {
    name: 'a function that uses tidy inside can still be differentiated',
    check: async (ctx) => {
      const x = T.tensor([0.5, -1]);
      const gs = T.grad((v: T.Tensor) => T.tidy(() => T.sum(T.mul(T.exp(v), T.exp(v)))))(x);
      try {
        // d/dx e^{2x} = 2 e^{2x}
        await ctx.expectTensor(gs[0]!, f32([2 * Math.exp(1), 2 * Math.exp(-2)]), TRANS, 'gradient');
      } finally {
        T.dispose([x, ...gs]);
      }
    },
  },
  {
    name: 'variable(t) copies: it outlives t and assign() does not touch t',
    check: async (ctx) => {
      const t = T.tensor([1, 2]);
      const v = T.variable(t);
      const u = T.tensor([7, 8]);
      try {
        expect(v).toBeInstanceOf(T.Variable);
        expect(v.trainable).toBe(true);
        expect(v.requiresGrad).toBe(true);
        v.assign(u);
        await ctx.expectTensor(t, f32([1, 2]), EXACT, 't after v.assign');
        await ctx.expectTensor(v, f32([7, 8]), EXACT, 'v after assign');
        t.dispose();
        u.dispose();
        await ctx.expectTensor(v, f32([7, 8]), EXACT, 'v after t and u are disposed');
      } finally {
        T.dispose([t, u, v]);
      }
    },
  },
  {
    name: 'variable survives tidy; assign keeps its identity',
    check: async (ctx) => {
      const v = T.tidy(() => T.variable(T.tensor([1, 1])));
      try {
        expect(v.isDisposed).toBe(false);
        const same = v;
        T.tidy(() => v.assign(T.add(v, 1)));
        expect(v).toBe(same);
        await ctx.expectTensor(v, f32([2, 2]), EXACT, 'after assign');
      } finally {
        v.dispose();
      }
    },
  },
  {
    // y = sum(v * v) with v = [1, 2]: dy/dv = 2v = [2, 4]
    name: 'gradients(y, [v]) for a variable, inside tidy',
    check: async (ctx) => {
      const v = newVariable([1, 2]);
      try {
        const [g] = T.tidy(() => T.gradients(T.sum(T.mul(v, v)), [v]));
        await ctx.expectTensor(g!, f32([2, 4]), EXACT, 'dy/dv');
        g!.dispose();
      } finally {
        v.dispose();
      }
    },
  },
  {
    name: 'a non-trainable variable does not require grad',
    check: () => {
      const v = newVariable([1], { trainable: false, name: 'frozen' });
      try {
        expect(v.trainable).toBe(false);
        expect(v.requiresGrad).toBe(false);
        expect(v.name).toBe('frozen');
      } finally {
        v.dispose();
      }
    },
  },
  {
    name: 'noGrad records nothing',
    check: () => {
      const v = newVariable([1, 2]);
      try {
        const y = T.noGrad(() => T.mul(v, 2));
        expect(y.requiresGrad).toBe(false);
        y.dispose();
      } finally {
        v.dispose();
      }
    },
  },
  {
    name: 'tidy frees intermediates and keeps a returned tensor',
    check: async (ctx) => {
      const before = T.memory().tensors;
      const y = T.tidy(() => T.add(T.mul(T.tensor([1, 2]), 2), 1));
      try {
        expect(T.memory().tensors - before).toBe(1);
        await ctx.expectTensor(y, f32([3, 5]), EXACT, 'result');
      } finally {
        y.dispose();
      }
    },
  },
  {
    name: 'tidy keeps the tensors of a returned array or plain object',
    check: async (ctx) => {
      const before = T.memory().tensors;
      const arr = T.tidy(() => { const a = T.tensor([1]); return [T.add(a, 1), T.add(a, 2)]; });
      const obj = T.tidy(() => { const a = T.tensor([1]); return { p: T.add(a, 3), q: [T.add(a, 4)] }; });
      try {
        expect(T.memory().tensors - before).toBe(4);
        await ctx.expectTensor(arr[1]!, f32([3]), EXACT, 'array element');
        await ctx.expectTensor(obj.q[0]!, f32([5]), EXACT, 'nested object element');
      } finally {
        T.dispose([arr, obj]);
      }
    },
  },
  {
    name: 'nested tidy hands its result to the outer scope, which frees it unless returned',
    check: () => {
      const before = T.memory().tensors;
      let inner: T.Tensor | undefined;
      const outer = T.tidy(() => {
        inner = T.tidy(() => T.add(T.tensor([1]), 1));
        expect(inner.isDisposed).toBe(false);
        return T.mul(inner, 2);
      });
      try {
        expect(inner!.isDisposed).toBe(true);
        expect(T.memory().tensors - before).toBe(1);
      } finally {
        outer.dispose();
      }
    },
  },
  {
    name: 'keep exempts a tensor from tidy; dispose frees it',
    check: () => {
      const before = T.memory().tensors;
      let kept: T.Tensor | undefined;
      T.tidy(() => {
        kept = T.keep(T.tensor([1, 2]));
        T.tensor([3]);
      });
      expect(kept!.isDisposed).toBe(false);
      expect(T.memory().tensors - before).toBe(1);
      T.dispose(kept!);
      expect(kept!.isDisposed).toBe(true);
      expect(T.memory().tensors).toBe(before);
    },
  },
  {
    name: 'tidy frees everything when its function throws',
    check: () => {
      const before = T.memory().tensors;
      expect(() => T.tidy(() => {
        T.tensor([1, 2]);
        throw new Error('boom');
      })).toThrow('boom');
      expect(T.memory().tensors).toBe(before);
    },
  },
  {
    name: 'dispose is idempotent and Symbol.dispose disposes',
    check: () => {
      const a = T.tensor([1]);
      a.dispose();
      a.dispose();
      T.dispose([a, a]);
      const b = T.tensor([2]);
      b[Symbol.dispose]();
      expect(b.isDisposed).toBe(true);
    },
  },
  // composite functions through the autograd API, against central differences
  {
    name: 'gradient of a small MLP loss (matmul, relu, softmax, log, mean)',
    inputs: [
      f32([0.2, -0.4, 0.6, 0.1, 0.9, -0.3], [2, 3]),
      f32([0.5, -0.2, 0.3, 0.8, -0.6, 0.4, 0.1, -0.7, 0.25, 0.35, -0.45, 0.55], [3, 4]),
      f32([0.1, -0.1, 0.2, 0.05]),
    ],
    run: ([x, w, b]) => T.mean(T.log(T.softmax(T.relu(T.add(T.matmul(x!, w!), b!))))),
    composite: true,
    grad: { tol: FD },
  },
  {
    name: 'gradient through reshape, transpose, broadcast and reductions',
    inputs: [f32([0.3, -0.8, 1.2, 0.5, -0.1, 0.9], [2, 3]), f32([0.7, -0.2, 0.4])],
    run: ([x, y]) => T.variance(T.mul(T.transpose(T.reshape(x!, [3, 2])), T.reshape(y!, [1, 3]).slice(0, 1)), 1),
    composite: true,
    grad: { tol: FD },
  },
];
