// memory() accounting, buffer sharing, reads, and switching backends at runtime (lazy moves,
// toBackend, values preserved, every buffer accounted for on both backends).
import * as T from '@tensile/core';
import { expect } from 'vitest';
import { EXACT } from '../tol.js';
import type { Case, SuiteContext } from '../types.js';
import { f32 } from '../util.js';

function buffers(name: string): number {
  return T.memory().perBackend[name]?.buffers ?? 0;
}

export const memoryCases: Case[] = [
  {
    name: '100 training steps in tidy keep tensors, bytes and buffers flat after step 2',
    check: async (ctx) => {
      const init = [T.randn([8, 16], { seed: 1, std: 0.3 }), T.zeros([16]), T.randn([16, 3], { seed: 2, std: 0.3 })];
      const [w1, b1, w2] = init.map((t) => T.variable(t));
      T.dispose(init);
      const x = T.randn([32, 8], { seed: 3 });
      const labels = T.tensor(Int32Array.from({ length: 32 }, (_, i) => i % 3));
      try {
        const loss = (a: T.Tensor, b: T.Tensor, c: T.Tensor) =>
          T.neg(T.mean(T.sum(T.mul(T.logSoftmax(T.matmul(T.relu(T.add(T.matmul(x, a), b)), c)), T.oneHot(labels, 3)), -1)));
        // The loss stays on the device; it is read (asynchronously) only at the ends.
        const step = (): T.Tensor => T.tidy(() => {
          const { value, grads } = T.valueAndGrad(loss)(w1!, b1!, w2!);
          [w1, b1, w2].forEach((v, i) => v!.assign(T.sub(v!, T.mul(grads[i]!, 0.1))));
          return value;
        });
        const snapshot = () => { const m = T.memory(); return [m.tensors, m.bytes, m.perBackend[ctx.name]!.buffers, m.perBackend[ctx.name]!.bytes]; };
        const first = step();
        const firstLoss = (await first.data())[0]!;
        first.dispose();
        step().dispose();
        const after2 = snapshot();
        for (let i = 2; i < 99; i++) step().dispose();
        const last = step();
        const lastLoss = (await last.data())[0]!;
        last.dispose();
        expect(snapshot()).toEqual(after2);
        expect(lastLoss).toBeLessThan(firstLoss); // and it learned something
      } finally {
        T.dispose([w1!, b1!, w2!, x, labels]);
      }
    },
  },
  {
    name: 'tidyAsync frees intermediates across await and keeps what it resolves to',
    check: async (ctx) => {
      const m0 = T.memory();
      const x = T.tensor([1, 2, 3]);
      const out = await T.tidyAsync(async () => {
        const y = T.square(x);
        const before = await y.data();
        const z = T.add(y, 1);
        await z.data();
        return { z, first: before[0]! };
      });
      // (1 + 1, 4 + 1, 9 + 1): only z and x outlive the scope
      await ctx.expectTensor(out.z, f32([2, 5, 10]));
      expect(out.first).toBe(1);
      expect(T.memory().tensors - m0.tensors).toBe(2);
      T.dispose([x, out.z]);
      await expect(T.tidyAsync(async () => {
        T.ones([4]);
        throw new Error('boom');
      })).rejects.toThrow('boom');
      expect(T.memory().tensors).toBe(m0.tensors);
      expect(T.memory().bytes).toBe(m0.bytes);
    },
  },
  {
    name: 'a composite op on a variable outside tidy frees its graph intermediates with its result',
    check: () => {
      const init = T.randn([4, 5], { seed: 1 });
      const w = T.variable(init);
      init.dispose();
      const m0 = T.memory();
      const y = T.variance(w);
      expect(y.requiresGrad).toBe(true);
      y.dispose();
      expect(T.memory().tensors).toBe(m0.tensors);
      expect(T.memory().bytes).toBe(m0.bytes);
      w.dispose();
    },
  },
  {
    name: 'memory() counts tensors, bytes and the backend\'s buffers',
    check: (ctx) => {
      const m0 = T.memory();
      const a = T.zeros([2, 3]);
      const b = T.zeros([5], 'int32');
      const c = T.zeros([3], 'bool');
      const m1 = T.memory();
      expect(m1.tensors - m0.tensors).toBe(3);
      // float32 and int32 take 4 bytes per element, bool 1
      expect(m1.bytes - m0.bytes).toBe(24 + 20 + 3);
      expect(m1.perBackend[ctx.name]!.buffers - m0.perBackend[ctx.name]!.buffers).toBe(3);
      expect(m1.perBackend[ctx.name]!.bytes).toBeGreaterThan(m0.perBackend[ctx.name]!.bytes);
      T.dispose([a, b, c]);
      const m2 = T.memory();
      expect(m2.tensors).toBe(m0.tensors);
      expect(m2.bytes).toBe(m0.bytes);
      expect(m2.perBackend[ctx.name]).toEqual(m0.perBackend[ctx.name]);
    },
  },
  {
    name: 'reshape shares the buffer; it lives until its last view is disposed',
    check: async (ctx) => {
      const m0 = T.memory();
      const a = T.tensor([1, 2, 3, 4]);
      const b = T.reshape(a, [2, 2]);
      const m1 = T.memory();
      expect(m1.tensors - m0.tensors).toBe(2);
      expect(m1.bytes - m0.bytes).toBe(16);
      expect(m1.perBackend[ctx.name]!.buffers - m0.perBackend[ctx.name]!.buffers).toBe(1);
      a.dispose();
      await ctx.expectTensor(b, f32([1, 2, 3, 4], [2, 2]), EXACT, 'view after the original is disposed');
      b.dispose();
      expect(T.memory().perBackend[ctx.name]).toEqual(m0.perBackend[ctx.name]);
    },
  },
  {
    name: 'the active backend is the one under test',
    check: (ctx) => {
      expect(T.listBackends()).toContain(ctx.name);
      const t = T.tensor([1]);
      try {
        expect(T.memory().perBackend[ctx.name]).toBeDefined();
        expect(T.backendOf(t)).toBe(T.getBackendName());
      } finally {
        t.dispose();
      }
    },
  },
  {
    name: 'setBackend to the active backend again changes nothing',
    check: async (ctx) => {
      const t = T.tensor([1, 2]);
      try {
        const before = T.memory();
        await T.setBackend(ctx.name);
        expect(T.memory()).toEqual(before);
        await ctx.expectTensor(t, f32([1, 2]), EXACT, 'value');
      } finally {
        t.dispose();
      }
    },
  },
  {
    name: "a failed setBackend('nope') leaves the active backend in place",
    check: async (ctx) => {
      const before = T.getBackend();
      await T.setBackend('nope').then(() => { throw new Error('setBackend(\'nope\') resolved'); }, (e: unknown) => {
        expect(e).toBeInstanceOf(T.BackendError);
      });
      expect(T.getBackend()).toBe(before);
      const t = T.tidy(() => T.add(T.tensor([1]), 1));
      try {
        await ctx.expectTensor(t, f32([2]), EXACT, 'an op after the failed switch');
      } finally {
        t.dispose();
      }
    },
  },
  {
    name: 'dataSync reads synchronously where the backend can, and throws a BackendError naming dataSync where not',
    check: async (ctx) => {
      const t = T.tensor([1, 2, 3]);
      try {
        if (ctx.caps.readSync) {
          expect(Array.from(t.dataSync())).toEqual([1, 2, 3]);
        } else {
          expect(() => t.dataSync()).toThrow(T.BackendError);
          expect(() => t.dataSync()).toThrow('dataSync');
        }
      } finally {
        t.dispose();
      }
    },
  },
  {
    name: 'switching backends keeps live tensors valid (lazy move, toBackend, back again)',
    check: (ctx) => switchBackends(ctx),
  },
];

async function switchBackends(ctx: SuiteContext): Promise<void> {
  const A = ctx.name;
  const B = `${ctx.name}-b`;
  T.registerBackend(B, ctx.factory);
  await T.setBackend(B);
  await T.setBackend(A);
  const a0 = buffers(A);
  const b0 = buffers(B);
  const tensors: T.Tensor[] = [];
  try {
    const a = T.tensor([1, 2, 3]);
    const b = T.tensor([10, 20, 30]);
    const i = T.tensor(new Int32Array([4, 5, 6]));
    tensors.push(a, b, i);
    expect(buffers(A) - a0).toBe(3);
    await T.setBackend(B);
    // Off a backend that reads synchronously, data moves lazily, on first use; off one that
    // cannot, setBackend has already moved it. Either way nothing is duplicated.
    const lazy = ctx.caps.readSync;
    expect(buffers(A) - a0, 'buffers left on the first instance after setBackend').toBe(lazy ? 3 : 0);
    expect(buffers(B) - b0, 'buffers on the second instance after setBackend').toBe(lazy ? 0 : 3);
    const c = T.add(a, b);
    tensors.push(c);
    // a and b now live on B, as does the result; i was not used yet
    expect(buffers(A) - a0, 'first instance after a + b').toBe(lazy ? 1 : 0);
    expect(buffers(B) - b0, 'second instance after a + b').toBe(lazy ? 3 : 4);
    await ctx.expectTensor(c, f32([11, 22, 33]), EXACT, 'a + b computed on the second instance');
    await ctx.expectTensor(a, f32([1, 2, 3]), EXACT, 'a after moving');
    await ctx.expectTensor(i, { values: [4, 5, 6], shape: [3], dtype: 'int32' }, EXACT, 'int32 tensor never used on B');
    // toBackend moves explicitly and keeps the tensor's identity
    const moved = await T.toBackend(a, A);
    expect(moved).toBe(a);
    expect(buffers(A) - a0 + buffers(B) - b0).toBe(4);
    await ctx.expectTensor(a, f32([1, 2, 3]), EXACT, 'a after toBackend back');
    await T.setBackend(A);
    const d = T.mul(a, c);
    const e = T.add(i, 1);
    tensors.push(d, e);
    await ctx.expectTensor(d, f32([11, 44, 99]), EXACT, 'a * c back on the first instance');
    await ctx.expectTensor(e, { values: [5, 6, 7], shape: [3], dtype: 'int32' }, EXACT, 'int32 after the round trip');
    expect(buffers(A) - a0 + buffers(B) - b0).toBe(6);
    for (const t of tensors) await T.toBackend(t);
    expect(buffers(B)).toBe(b0);
  } finally {
    T.dispose(tensors);
    await T.setBackend(A);
  }
  expect(buffers(A)).toBe(a0);
  expect(buffers(B)).toBe(b0);
}
