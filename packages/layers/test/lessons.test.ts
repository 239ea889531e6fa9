// The seeds' lessons, as tests: symmetric initialisation cannot break symmetry (and does not
// learn) where He initialisation does; Dropout acts only in training; deep sigmoid stacks
// starve their first layers of gradient where ReLU + He does not; a training loop under tidy
// keeps memory flat; and a disposed model gives all its memory back.
import { Tensor, Variable, dispose, memory, noGrad, randn, tensor, tidy } from '@tensile/core';
import { describe, expect, it } from 'vitest';
import {
  BatchNorm1d, Dropout, Linear, Module, ReLU, Sequential, Sigmoid, init, type TensorModule,
} from '../src/index.js';
import { crossEntropy, mseLoss } from '../src/functional.js';
import { useJs, values } from './helpers.js';

useJs();

/** Plain SGD written inline (no optimizer package yet): p <- p - lr * grad, then zero the grads. */
function sgdStep(model: Module<any[], any>, lr: number): void {
  noGrad(() => tidy(() => {
    for (const p of model.parameters()) if (p.grad) p.assign(p.sub(p.grad.mul(lr)));
  }));
  model.zeroGrad();
}

/** Trains on XOR with full-batch SGD and returns the final loss. */
function trainXor(model: TensorModule, steps: number, lr: number): number {
  const x = tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
  const y = tensor([[0], [1], [1], [0]]);
  let last = NaN;
  for (let i = 0; i < steps; i++) {
    last = tidy(() => {
      const loss = mseLoss(model.call(x), y);
      loss.backward();
      sgdStep(model, lr);
      return loss.dataSync()[0]!;
    }) as number;
  }
  dispose([x, y]);
  return last;
}

const rows = (w: Variable): number[][] => {
  const v = values(w);
  const n = w.shape[1]!;
  return Array.from({ length: w.shape[0]! }, (_, i) => v.slice(i * n, (i + 1) * n));
};

describe('lesson: initialisation', () => {
  it('symmetric initialisation keeps hidden units identical and does not learn XOR; He initialisation does', () => {
    const sym = new Sequential(new Linear(2, 8), new ReLU(), new Linear(8, 1));
    sym.apply((m) => {
      if (m instanceof Linear) {
        init.constant(m.weight, 0.5);
        init.zeros(m.bias!);
      }
    });
    const symLoss = trainXor(sym, 400, 0.1);
    const w1 = rows((sym.at(0) as Linear).weight);
    for (const r of w1) expect(r).toEqual(w1[0]); // every hidden unit is still the same unit
    expect(new Set(values((sym.at(0) as Linear).bias!)).size).toBe(1);
    expect(w1[0]).not.toEqual([0.5, 0.5]); // it did train, in lockstep
    // One effective ReLU unit cannot fit XOR: the best it can do is MSE 1/6.
    expect(symLoss).toBeGreaterThan(0.16);

    const he = new Sequential(new Linear(2, 8, { seed: 3 }), new ReLU(), new Linear(8, 1, { seed: 4 }));
    init.kaimingNormal((he.at(0) as Linear).weight, { nonlinearity: 'relu', seed: 5 });
    init.kaimingNormal((he.at(2) as Linear).weight, { nonlinearity: 'linear', seed: 6 });
    const heLoss = trainXor(he, 400, 0.1);
    expect(heLoss).toBeLessThan(0.02);
    const h = rows((he.at(0) as Linear).weight);
    expect(new Set(h.map((r) => r.join())).size).toBe(8);
    sym.dispose();
    he.dispose();
  });

  it('a deep sigmoid stack has vanishing gradients; ReLU with He initialisation does not', () => {
    const depth = 10, width = 32;
    const gradNorms = (act: () => TensorModule, he: boolean): number[] => {
      const layers: TensorModule[] = [];
      for (let i = 0; i < depth; i++) {
        const lin = new Linear(width, width, { seed: 100 + i });
        if (he) init.kaimingNormal(lin.weight, { nonlinearity: 'relu', seed: 200 + i });
        layers.push(lin, act());
      }
      const net = new Sequential(...layers);
      const x = randn([16, width], { seed: 1 });
      tidy(() => net.call(x).square().mean().backward());
      const norms = net.parameters().filter((p) => p.rank === 2).map((p) => Math.hypot(...values(p.grad!)));
      x.dispose();
      net.dispose();
      return norms;
    };
    const sig = gradNorms(() => new Sigmoid(), false);
    const relu = gradNorms(() => new ReLU(), true);
    const sigRatio = sig[0]! / sig[depth - 1]!;
    const reluRatio = relu[0]! / relu[depth - 1]!;
    expect(sigRatio).toBeLessThan(1e-4); // orders of magnitude below the last layer
    expect(reluRatio).toBeGreaterThan(0.1);
    expect(reluRatio).toBeLessThan(10);
  });
});

describe('lesson: Dropout', () => {
  it('changes outputs in training (a fresh seeded mask per call) and is the identity in evaluation', () => {
    const drop = new Dropout(0.5, { seed: 11 });
    const x = tidy(() => randn([1000], { seed: 2 }).abs().add(0.1));
    const xs = values(x);
    const a = drop.call(x), b = drop.call(x);
    const av = values(a), bv = values(b);
    const zeros = av.filter((v) => v === 0).length;
    expect(zeros).toBeGreaterThan(400);
    expect(zeros).toBeLessThan(600);
    av.forEach((v, i) => { if (v !== 0) expect(v).toBeCloseTo(xs[i]! * 2, 5); });
    expect(av).not.toEqual(bv);
    // The same seed replays the same sequence of masks.
    const again = new Dropout(0.5, { seed: 11 });
    const a2 = again.call(x);
    expect(values(a2)).toEqual(av);
    drop.eval();
    const e = drop.call(x);
    expect(values(e)).toEqual(xs);
    expect(e).not.toBe(x);
    const p0 = new Dropout(0).call(x);
    expect(values(p0)).toEqual(xs);
    dispose([x, a, b, a2, e, p0]);
  });
});

describe('lesson: memory', () => {
  it('a 100-step training loop with backward() and SGD under tidy keeps memory() flat; dispose() returns it', () => {
    const before = memory();
    const model = new Sequential(
      new Linear(8, 16, { seed: 1 }), new BatchNorm1d(16), new ReLU(), new Dropout(0.2, { seed: 2 }), new Linear(16, 3, { seed: 3 }));
    const x = randn([32, 8], { seed: 4 });
    const labels = tidy(() => x.slice([0, 0], [32, 3]).argmax(1));
    const losses: number[] = [];
    let afterFirst = { tensors: 0, bytes: 0 };
    for (let step = 0; step < 100; step++) {
      tidy(() => {
        const loss = crossEntropy(model.call(x), labels);
        loss.backward();
        sgdStep(model, 0.1);
        if (step % 10 === 0) losses.push(loss.dataSync()[0]!);
      });
      if (step === 0) afterFirst = memory();
    }
    const after = memory();
    expect(after.tensors).toBe(afterFirst.tensors);
    expect(after.bytes).toBe(afterFirst.bytes);
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]! * 0.7); // and it learned
    dispose([x, labels]);
    model.dispose();
    expect(memory().tensors).toBe(before.tensors);
    expect(memory().bytes).toBe(before.bytes);
  });

  it('grads live outside tidy and are freed by zeroGrad', () => {
    const before = memory();
    const m = new Linear(4, 2, { seed: 0 });
    const x = randn([3, 4], { seed: 1 });
    tidy(() => m.call(x).sum().backward());
    expect(m.weight.grad).toBeInstanceOf(Tensor);
    const withGrads = memory().tensors;
    m.zeroGrad();
    expect(memory().tensors).toBe(withGrads - 2);
    x.dispose();
    m.dispose();
    expect(memory().tensors).toBe(before.tensors);
  });
});
