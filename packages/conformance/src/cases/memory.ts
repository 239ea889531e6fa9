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
    name: 'a backend whose async factory rejects: setBackend rejects naming it and the cause, the active backend stays',
    check: async (ctx) => {
      const name = `${ctx.name}-no-adapter`;
      T.registerBackend(name, async () => { throw new Error('no GPU adapter'); });
      try {
        const before = T.getBackend();
        const err = await T.setBackend(name).then(() => undefined, (e: unknown) => e);
        expect(err).toBeInstanceOf(T.BackendError);
        expect((err as Error).message).toContain(`'${name}'`);
        expect((err as Error).message).toContain('no GPU adapter');
        expect(T.getBackend()).toBe(before);
        // asking again retries (and fails again) instead of caching a dead promise
        await expect(T.setBackend(name)).rejects.toThrow('no GPU adapter');
        const t = T.tidy(() => T.add(T.tensor([1]), 1));
        await ctx.expectTensor(t, f32([2]), EXACT, 'an op after the failed switch');
        t.dispose();
      } finally {
        T.removeBackend(name);
      }
    },
  },
  {
    name: 'a tensor disposed while its asynchronous move is in flight is freed once, on the right backend',
    check: async (ctx) => {
      const B = `${ctx.name}-b`;
      T.registerBackend(B, ctx.factory);
      await T.setBackend(B);
      await T.setBackend(ctx.name);
      const a0 = buffers(ctx.name);
      const b0 = buffers(B);
      // Dispose after 0..4 microtask turns and after a macrotask: before, during and after the read.
      const waits: (() => Promise<unknown>)[] = [
        async () => undefined,
        ...[1, 2, 3, 4].map((n) => async () => { for (let i = 0; i < n; i++) await Promise.resolve(); }),
        () => new Promise((r) => setTimeout(r, 0)),
      ];
      for (const wait of waits) {
        const t = T.tensor([1, 2, 3]);
        const moving = T.toBackend(t, B);
        await wait();
        t.dispose();
        await moving;
        expect(buffers(ctx.name), 'buffers left on the source').toBe(a0);
        expect(buffers(B), 'buffers left on the destination').toBe(b0);
      }
      // Two moves of one tensor at once end in one place, with one buffer.
      const t = T.tensor([4, 5]);
      try {
        await Promise.all([T.toBackend(t, B), T.toBackend(t, B)]);
        expect(T.backendOf(t)).toBe(B);
        expect(buffers(B) - b0).toBe(1);
        expect(buffers(ctx.name)).toBe(a0);
        await ctx.expectTensor(t, f32([4, 5]), EXACT, 'after two concurrent moves');
      } finally {
        t.dispose();
      }
    },
  },
  {
    name: 'toBackend of a disposed tensor is a DisposedError naming toBackend',
    check: async () => {
      const t = T.tensor([1]);
      t.dispose();
      await expect(T.toBackend(t)).rejects.toThrow(T.DisposedError);
      await expect(T.toBackend(t)).rejects.toThrow('toBackend');
    },
  },
  {
    name: 'a JS scalar operand uploads nothing: x.mul(2) and where(c, 1, 0) raise peak bytes by their output only',
    check: async (ctx) => {
      const x = T.tensor([1, 2, 3, 4]);
      const c = T.tensor([true, false, true, false]);
      try {
        for (const [label, run, outBytes] of [
          ['x.mul(2)', () => x.mul(2), 16],
          ['x.add(1).sub(0.5) under tidy', () => T.tidy(() => x.add(1).sub(0.5)), 32],
          ['where(c, 1, 0)', () => T.where(c, 1, 0), 16],
          ['zeros([4])', () => T.zeros([4]), 16],
          // value (4) + seed (4) + gradient (16); the old broadcast uploaded a mask on top
          ['sum backward (broadcasts dy, no mask)', () => T.grad((v: T.Tensor) => T.sum(v))(x)[0]!, 4 + 4 + 16],
        ] as const) {
          const before = T.memory().bytes;
          T.resetPeakMemory();
          const y = run();
          expect(T.memory().peakBytes - before, `${label}: peak bytes above the start`).toBeLessThanOrEqual(outBytes);
          y.dispose();
        }
        const y = x.mul(2);
        await ctx.expectTensor(y, f32([2, 4, 6, 8]), EXACT, 'x.mul(2)');
        y.dispose();
      } finally {
        T.dispose([x, c]);
      }
    },
  },
  {
    name: 'an allocation that cannot be made is an AllocationError naming the op, shape and bytes',
    check: () => {
      const before = T.memory();
      expect(() => T.zeros([1e6, 1e6])).toThrow(T.AllocationError);
      expect(() => T.zeros([1e6, 1e6])).toThrow(/zeros: cannot allocate float32\[1000000,1000000\] \(4000000000000 bytes\)/);
      expect(T.memory().tensors).toBe(before.tensors);
      expect(T.memory().bytes).toBe(before.bytes);
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
