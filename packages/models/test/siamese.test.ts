// The Siamese network and the contrastive loss: loss values and gradients worked by hand, a
// finite-difference check through the pairwise distance, shared weights, distances computed
// from the embeddings, training steps, backend-wasm, and bad inputs.
import { ArgumentError, DTypeError, ShapeError, concat, dispose, noGrad, randn, tensor, tidy, variable, zeros, type Tensor } from '@tensile/core';
import { Flatten, Linear, Sequential } from '@tensile/layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { contrastiveLoss, pairwiseDistance, siameseNetwork } from '../src/index.js';
import { adamSteps, expectAllClose, expectNoLeak, use } from './seqgen_helpers.js';


beforeAll(() => use('js'));

const t = (v: number[], dtype: 'float32' | 'int32' | 'bool' = 'float32'): Tensor => tensor(dtype === 'bool' ? v.map(Boolean) : v, [v.length], dtype);

describe('contrastiveLoss (y = 1: dissimilar pair)', () => {
  // L = (1 - y) d^2 / 2 + y max(0, m - d)^2 / 2, per pair:
  //   d 0.5 similar: 0.125; d 0.5 dissimilar, m 1: 0.5^2 / 2 = 0.125; d 2 dissimilar: 0 (beyond the margin); d 0.3 dissimilar: 0.7^2 / 2 = 0.245.
  //   m 2: d 1 dissimilar: 0.5; d 3 similar: 4.5; d 0 dissimilar: 2.
  it.each([
    { what: 'mean', d: [0.5, 0.5, 2, 0.3], y: [0, 1, 1, 1], opts: {}, want: [0.495 / 4] },
    { what: 'sum', d: [0.5, 0.5, 2, 0.3], y: [0, 1, 1, 1], opts: { reduction: 'sum' as const }, want: [0.495] },
    { what: 'none', d: [0.5, 0.5, 2, 0.3], y: [0, 1, 1, 1], opts: { reduction: 'none' as const }, want: [0.125, 0.125, 0, 0.245] },
    { what: 'margin 2', d: [1, 3, 0], y: [1, 0, 1], opts: { margin: 2, reduction: 'none' as const }, want: [0.5, 4.5, 2] },
    { what: 'int32 labels', d: [0.5, 0.5, 2, 0.3], y: [0, 1, 1, 1], dtype: 'int32' as const, opts: { reduction: 'none' as const }, want: [0.125, 0.125, 0, 0.245] },
    { what: 'bool labels', d: [0.5, 0.5, 2, 0.3], y: [0, 1, 1, 1], dtype: 'bool' as const, opts: { reduction: 'none' as const }, want: [0.125, 0.125, 0, 0.245] },
  ])('$what', async ({ d, y, dtype, opts, want }) => {
    await expectNoLeak(() => {
      const [dt, yt] = [t(d), t(y, dtype)];
      const loss = contrastiveLoss(dt, yt, opts);
      expectAllClose(loss.dataSync(), want, 1e-6, 'loss');
      dispose([dt, yt, loss]);
    });
  });

  it('gradient: d L / d d_i = ((1 - y) d - y max(0, m - d)) / N, by hand and by central differences', async () => {
    await expectNoLeak(() => {
      const d = tidy(() => variable(t([0.5, 0.5, 2, 0.3])));
      const y = t([0, 1, 1, 1]);
      const loss = tidy(() => contrastiveLoss(d, y));
      loss.backward();
      expectAllClose(d.grad!.dataSync(), [0.5 / 4, -0.5 / 4, 0, -0.7 / 4], 1e-6, 'by hand');
      // The loss is quadratic on each side of the hinge, so a step that does not cross it is exact up to rounding.
      const h = 1e-2, base = [0.5, 0.5, 2, 0.3];
      const at = (v: number[]): number => tidy(() => contrastiveLoss(t(v), y).dataSync()[0]!);
      const fd = base.map((_, i) => (at(base.map((v, j) => v + (i === j ? h : 0))) - at(base.map((v, j) => v - (i === j ? h : 0)))) / (2 * h));
      expectAllClose(d.grad!.dataSync(), fd, 1e-4, 'central differences');
      d.zeroGrad();
      dispose([d, y, loss]);
    });
  });

  it('gradient through the pairwise distance matches central differences', async () => {
    await expectNoLeak(() => {
      const a0 = [0.3, -1.2, 0.8, 0.1, 0.5, 0.5, -0.4, 1.1, 0.9], b = tensor([0.1, -0.2, 0.4, 0.1, 0.6, 0.2, 0.7, -0.3, 0.2], [3, 3]);
      const y = t([0, 1, 1]);
      const lossAt = (a: Tensor): Tensor => contrastiveLoss(pairwiseDistance(a, b), y, { margin: 2 });
      const a = tidy(() => variable(tensor(a0, [3, 3])));
      const loss = tidy(() => lossAt(a));
      loss.backward();
      const h = 1e-2;
      const at = (v: number[]): number => tidy(() => lossAt(tensor(v, [3, 3])).dataSync()[0]!);
      const fd = a0.map((_, i) => (at(a0.map((v, j) => v + (i === j ? h : 0))) - at(a0.map((v, j) => v - (i === j ? h : 0)))) / (2 * h));
      expectAllClose(a.grad!.dataSync(), fd, 2e-3, 'd loss / d a');
      a.zeroGrad();
      dispose([a, b, y, loss]);
    });
  });
});

describe('siameseNetwork', () => {
  it('shares one embedding network: keys, parameter count, embeddings and distances', async () => {
    await expectNoLeak(() => {
      const net = siameseNetwork({ seed: 1 }).eval();
      const sd = net.stateDict();
      expect(Object.fromEntries(Object.entries(sd).map(([k, v]) => [k, v.shape]))).toEqual({
        'embedding_net.0.weight': [16, 1, 3, 3], 'embedding_net.0.bias': [16], 'embedding_net.3.weight': [32, 16, 3, 3], 'embedding_net.3.bias': [32],
        'embedding_net.7.weight': [128, 32 * 7 * 7], 'embedding_net.7.bias': [128], 'embedding_net.9.weight': [32, 128], 'embedding_net.9.bias': [32],
      });
      dispose(sd);
      expect(net.numParameters()).toBe(16 * 9 + 16 + 32 * 16 * 9 + 32 + 1568 * 128 + 128 + 128 * 32 + 32);
      const x1 = randn([3, 1, 28, 28], { seed: 2 }), x2 = randn([3, 1, 28, 28], { seed: 3 });
      const out = net.call(x1, x2);
      expect([out.embedding1.shape, out.embedding2.shape, out.distance.shape]).toEqual([[3, 32], [3, 32], [3]]);
      // The same branch embeds each side alone.
      const [e1, e2] = noGrad(() => [net.embed(x1), net.embed(x2)]);
      expectAllClose(out.embedding1.dataSync(), e1!.dataSync(), 1e-5, 'embedding1');
      expectAllClose(out.embedding2.dataSync(), e2!.dataSync(), 1e-5, 'embedding2');
      // distance_i = sqrt(sum_k (e1_ik - e2_ik + 1e-6)^2), from the embeddings' numbers.
      const [a, b] = [out.embedding1.dataSync(), out.embedding2.dataSync()];
      const byHand = [0, 1, 2].map((i) => Math.sqrt(Array.from({ length: 32 }, (_, k) => (a[32 * i + k]! - b[32 * i + k]! + 1e-6) ** 2).reduce((s, v) => s + v, 0)));
      expectAllClose(out.distance.dataSync(), byHand, 1e-5, 'distance');
      // Symmetric (up to eps) and eps sqrt(D) for identical inputs.
      const back = net.call(x2, x1), same = net.call(x1, x1);
      expectAllClose(back.distance.dataSync(), out.distance.dataSync(), 1e-5, 'swapped');
      expectAllClose(same.distance.dataSync(), [1e-6 * Math.sqrt(32), 1e-6 * Math.sqrt(32), 1e-6 * Math.sqrt(32)], 1e-9, 'identical');
      dispose([x1, x2, out, e1!, e2!, back, same]);
      net.dispose();
    });
  });

  it('takes an embedding network of your own', async () => {
    await expectNoLeak(() => {
      const net = siameseNetwork({ embeddingNet: new Sequential(new Flatten(), new Linear(4, 2, { seed: 1 })) });
      const x = tensor([1, 0, 0, 0, 0, 1, 0, 0], [2, 2, 2]), z = zeros([2, 2, 2]);
      const out = net.call(x, z);
      expect(out.distance.shape).toEqual([2]);
      const sd = net.stateDict();
      expect(Object.keys(sd)).toEqual(['embedding_net.1.weight', 'embedding_net.1.bias']);
      dispose([x, z, out, sd]);
      net.dispose();
    });
  });

  it('training steps on a fixed batch of pairs reduce the contrastive loss', async () => {
    await expectNoLeak(() => {
      const net = siameseNetwork({ convWidths: [4, 8], hidden: 16, embeddingDim: 8, seed: 1 });
      // Two "classes": bright top half, bright bottom half, with noise; pairs alternate similar and dissimilar.
      const [x1, x2, y] = tidy(() => {
        const top = tensor(Array.from({ length: 784 }, (_, i) => (i < 392 ? 1 : 0)), [1, 1, 28, 28]);
        const bottom = top.neg().add(1);
        const img = (cls: number, seed: number): Tensor => (cls === 0 ? top : bottom).add(randn([1, 1, 28, 28], { seed, std: 0.3 }));
        const c1 = [0, 0, 1, 1, 0, 1, 0, 1], c2 = [0, 1, 1, 0, 0, 0, 1, 1];
        return [
          concat(c1.map((c, i) => img(c, i)), 0), concat(c2.map((c, i) => img(c, 100 + i)), 0),
          tensor(c1.map((c, i) => (c === c2[i] ? 0 : 1)), [8]),
        ];
      });
      const losses = adamSteps(net, () => contrastiveLoss(net.call(x1!, x2!).distance, y!), 8, 3e-3);
      expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.5);
      dispose([x1!, x2!, y!]);
      net.dispose();
    });
  });

  it('gives backend-js\'s distances on backend-wasm', async () => {
    const net = siameseNetwork({ seed: 4 });
    const x1 = randn([2, 1, 28, 28], { seed: 5 }), x2 = randn([2, 1, 28, 28], { seed: 6 });
    const want = Array.from(net.call(x1, x2).distance.dataSync());
    await use('wasm');
    const got = net.call(x1, x2);
    expectAllClose(got.distance.dataSync(), want, 1e-4, 'distance');
    dispose([x1, x2, got]);
    net.dispose();
    await use('js');
  });
});

describe('bad inputs name the function, the argument and the shapes', () => {
  it.each([
    { what: 'x1 and x2 of different shapes', run: () => siameseNetwork({ seed: 1 }), a: [2, 1, 28, 28], b: [3, 1, 28, 28], err: ShapeError, msg: 'siameseNetwork: x1 [2,1,28,28] and x2 [3,1,28,28] must have the same shape [N, ...], one pair per row' },
    { what: 'rank-1 inputs', run: () => siameseNetwork({ seed: 1 }), a: [4], b: [4], err: ShapeError, msg: 'siameseNetwork: x1 [4] and x2 [4] must have the same shape' },
    { what: 'a branch that does not give [N, D]', run: () => siameseNetwork({ embeddingNet: new Sequential(new Flatten(0)) }), a: [2, 3], b: [2, 3], err: ShapeError, msg: 'siameseNetwork: the embedding network must map [N, ...] to [N, D], got [12] for 2N = 4 inputs' },
  ])('network: $what', async ({ run, a, b, err, msg }) => {
    await expectNoLeak(() => {
      const net = run();
      const [x1, x2] = [zeros(a), zeros(b)];
      expect(() => net.call(x1, x2)).toThrow(err);
      expect(() => net.call(x1, x2)).toThrow(msg);
      dispose([x1, x2]);
      net.dispose();
    });
  });

  it.each([
    { d: [1, 2], y: [0], opts: {}, err: ShapeError, msg: 'contrastiveLoss: d [2] and y [1] must both be [N], one distance and one label per pair' },
    { d: [1, 2], y: [0, 1], dtype: 'int32' as const, dIsInt: true, opts: {}, err: DTypeError, msg: "contrastiveLoss: 'd' has dtype int32 (shape [2]); expected float32" },
    { d: [1, 2], y: [0, 1], opts: { margin: -1 }, err: ArgumentError, msg: "contrastiveLoss: 'margin' must be a finite number in [0, Infinity], got -1" },
    { d: [1, 2], y: [0, 1], opts: { reduction: 'avg' as never }, err: ArgumentError, msg: "contrastiveLoss: 'reduction' must be one of 'mean', 'sum', 'none', got 'avg'" },
  ])('contrastiveLoss: $msg', async ({ d, y, dIsInt, opts, err, msg }) => {
    await expectNoLeak(() => {
      const [dt, yt] = [t(d, dIsInt ? 'int32' : 'float32'), t(y)];
      expect(() => contrastiveLoss(dt, yt, opts)).toThrow(err);
      expect(() => contrastiveLoss(dt, yt, opts)).toThrow(msg);
      dispose([dt, yt]);
    });
  });

  it.each([
    { cfg: { embeddingNet: 'cnn' as never }, msg: "siameseNetwork: 'embeddingNet' must be a Module, got cnn" },
    { cfg: { embeddingNet: new Sequential(new Flatten()), embeddingDim: 8 }, msg: "siameseNetwork: give either 'embeddingNet' or the default net's config (embeddingDim), not both" },
    { cfg: { imageSize: 30 }, msg: "siameseEmbeddingNet: 'imageSize' 30 must be divisible by 4" },
    { cfg: { convWidths: [8] as never }, msg: "siameseEmbeddingNet: 'convWidths' must be a pair of integers >= 1" },
    { cfg: { margin: 1 } as never, msg: "siameseNetwork: unknown config key 'margin'" },
  ])('config: $msg', async ({ cfg, msg }) => {
    await expectNoLeak(() => {
      expect(() => siameseNetwork(cfg)).toThrow(ArgumentError);
      expect(() => siameseNetwork(cfg)).toThrow(msg);
    });
  });
});
