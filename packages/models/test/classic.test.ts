// MLP and LeNet-5: parameter counts and state-dict layout worked by hand, forward values,
// training, and bad input.
import { ArgumentError, ShapeError, dispose, noGrad, ones, randn, tensor, tidy, zeros, type Tensor } from '@tensile/core';
import { CrossEntropyLoss, Dropout, Tanh, type AnyModule } from '@tensile/layers';
import { Adam } from '@tensile/optimizers';
import { describe, expect, it } from 'vitest';
import { lenet5Classic, lenet5Modern, mlp } from '../src/index.js';
import { BACKENDS, expectNoLeak, useBackend } from './helpers.js';

// conv 5x5: out·in·25 + out; linear: out·in + out.
const conv = (i: number, o: number) => o * i * 25 + o;
const lin = (i: number, o: number) => o * i + o;
const LENET_CLASSIC = conv(1, 6) + conv(6, 16) + lin(400, 120) + lin(120, 84) + lin(84, 10);

describe('parameter counts (worked by hand)', () => {
  it.each([
    ['lenet5Classic, 10 classes', () => lenet5Classic(), 61_706],
    ['the same sum, term by term', () => lenet5Classic(), LENET_CLASSIC],
    ['lenet5Modern adds BatchNorm γ, β (2·6 + 2·16)', () => lenet5Modern(), 61_706 + 44],
    ['lenet5Classic, 3 channels, 100 classes', () => lenet5Classic({ inChannels: 3, numClasses: 100 }), conv(3, 6) + conv(6, 16) + lin(400, 120) + lin(120, 84) + lin(84, 100)],
    ['mlp default 784-256-128-10', () => mlp(), lin(784, 256) + lin(256, 128) + lin(128, 10)],
    ['mlp 20-5-3', () => mlp({ inFeatures: 20, hidden: [5], numClasses: 3 }), lin(20, 5) + lin(5, 3)],
    ['mlp without hidden layers is logistic regression', () => mlp({ inFeatures: 4, hidden: [], numClasses: 2 }), lin(4, 2)],
  ] as const)('%s', async (_name, build, want) => {
    await useBackend('js');
    const m: AnyModule = build();
    expect(m.numParameters()).toBe(want);
    m.dispose();
  });
  it('61,706 is LeNet-5 in the paper (C1 156, C3 2,416, C5 48,120, F6 10,164, output 850)', () => {
    expect([conv(1, 6), conv(6, 16), lin(400, 120), lin(120, 84), lin(84, 10)]).toEqual([156, 2416, 48120, 10164, 850]);
  });
});

describe('state-dict layout', () => {
  it('lenet5Classic: features and classifier, as a torch model with those two Sequentials', async () => {
    await useBackend('js');
    const m = lenet5Classic();
    const sd = m.stateDict();
    expect(Object.entries(sd).map(([k, t]) => [k, t.shape])).toEqual([
      ['features.0.weight', [6, 1, 5, 5]], ['features.0.bias', [6]],
      ['features.3.weight', [16, 6, 5, 5]], ['features.3.bias', [16]],
      ['classifier.0.weight', [120, 400]], ['classifier.0.bias', [120]],
      ['classifier.2.weight', [84, 120]], ['classifier.2.bias', [84]],
      ['classifier.4.weight', [10, 84]], ['classifier.4.bias', [10]],
    ]);
    m.dispose();
  });
  it('lenet5Modern: BatchNorm after each convolution, with running statistics', async () => {
    await useBackend('js');
    const m = lenet5Modern();
    const keys = Object.keys(m.stateDict());
    expect(keys.slice(0, 7)).toEqual([
      'features.0.weight', 'features.0.bias', 'features.1.weight', 'features.1.bias',
      'features.1.running_mean', 'features.1.running_var', 'features.1.num_batches_tracked',
    ]);
    expect(keys).toContain('features.4.weight'); // the second conv, after BN, ReLU, pool
    expect(keys).toContain('features.5.running_var');
    m.dispose();
  });
  it('mlp: index keys, Dropout after each hidden activation only when asked', async () => {
    await useBackend('js');
    const plain = mlp({ inFeatures: 8, hidden: [4, 3], numClasses: 2 });
    expect(Object.keys(plain.stateDict())).toEqual(['1.weight', '1.bias', '3.weight', '3.bias', '5.weight', '5.bias']);
    const dropped = mlp({ inFeatures: 8, hidden: [4, 3], numClasses: 2, dropout: 0.5, activation: 'tanh' });
    expect(dropped.children().map((c) => c.constructor.name)).toEqual(['Flatten', 'Linear', 'Tanh', 'Dropout', 'Linear', 'Tanh', 'Dropout', 'Linear']);
    expect(dropped.children()[3]).toBeInstanceOf(Dropout);
    expect(dropped.children()[2]).toBeInstanceOf(Tanh);
    plain.dispose();
    dropped.dispose();
  });
});

describe.each(BACKENDS)('forward on %s', (backend) => {
  it('mlp with hand-set weights: relu(W1 x + b1) then W2 h + b2', async () => {
    await useBackend(backend);
    await expectNoLeak(() => {
      const m = mlp({ inFeatures: 2, hidden: [2], numClasses: 1, seed: 0 });
      const w = { '1.weight': tensor([[1, -1], [2, 1]]), '1.bias': tensor([0.5, -4]), '3.weight': tensor([[3, -2]]), '3.bias': tensor([1]) };
      m.loadStateDict(w);
      dispose(Object.values(w));
      // x = [1, 2]: h = relu([1 - 2 + 0.5, 2 + 2 - 4]) = [0, 0] -> 1; x = [3, -1]: h = relu([4.5, 1]) = [4.5, 1] -> 13.5 - 2 + 1
      const y = tidy(() => noGrad(() => m.call(tensor([[1, 2], [3, -1]]))));
      expect(Array.from(y.dataSync())).toEqual([1, 12.5]);
      y.dispose();
      m.dispose();
    });
  });
  it.each([
    ['lenet5Classic', () => lenet5Classic({ seed: 1 }), [2, 1, 28, 28], [2, 10]],
    ['lenet5Classic on 32x32 (padding 0)', () => lenet5Classic({ padding: 0, numClasses: 4, seed: 1 }), [1, 1, 32, 32], [1, 4]],
    ['lenet5Modern (eval)', () => lenet5Modern({ inChannels: 3, seed: 2 }).eval(), [1, 3, 28, 28], [1, 10]],
    ['mlp', () => mlp({ seed: 3 }), [3, 1, 28, 28], [3, 10]],
  ] as const)('%s maps %j to %j', async (_name, build, inShape, outShape) => {
    await useBackend(backend);
    await expectNoLeak(() => {
      const m: AnyModule = build();
      const y = tidy(() => noGrad(() => m.call(randn([...inShape], { seed: 4 })) as Tensor));
      expect(y.shape).toEqual(outShape);
      expect(Array.from(y.dataSync()).every(Number.isFinite)).toBe(true);
      y.dispose();
      m.dispose();
    });
  });
  it('lenet5Classic with zero weights outputs its last bias (the whole path is tanh(0) = 0)', async () => {
    await useBackend(backend);
    await expectNoLeak(() => {
      const m = lenet5Classic({ numClasses: 3 });
      const sd = m.stateDict();
      const zeroed = Object.fromEntries(Object.entries(sd).map(([k, t]) => [k, k === 'classifier.4.bias' ? tensor([1, -2, 0.25]) : zeros(t.shape)]));
      m.loadStateDict(zeroed);
      dispose([...Object.values(zeroed), ...Object.values(sd)]);
      const y = tidy(() => noGrad(() => m.call(ones([2, 1, 28, 28]))));
      expect(Array.from(y.dataSync())).toEqual([1, -2, 0.25, 1, -2, 0.25]);
      y.dispose();
      m.dispose();
    });
  });
});

describe.each(BACKENDS)('training on %s', (backend) => {
  it.each([
    ['lenet5Classic', () => lenet5Classic({ seed: 5 })],
    ['lenet5Modern', () => lenet5Modern({ seed: 6 })],
    ['mlp with dropout', () => mlp({ hidden: [64], dropout: 0.1, seed: 7 })],
  ] as const)('%s: twenty Adam steps on a fixed batch lower the loss by 10%', async (_name, build) => {
    await useBackend(backend);
    await expectNoLeak(() => {
      const m: AnyModule = build();
      const x = randn([16, 1, 28, 28], { seed: 8 });
      const y = tensor(Int32Array.from({ length: 16 }, (_, i) => i % 10), [16]);
      const lossFn = new CrossEntropyLoss();
      const opt = new Adam(m.parameters(), { lr: 3e-3 });
      const losses: number[] = [];
      for (let step = 0; step < 20; step++) {
        tidy(() => {
          const loss = lossFn.call(m.call(x) as Tensor, y);
          loss.backward();
          losses.push(loss.dataSync()[0]!);
          opt.step();
        });
        opt.zeroGrad();
      }
      expect(losses[19]!).toBeLessThan(losses[0]! * 0.9);
      dispose([x, y]);
      opt.dispose();
      m.dispose();
    });
  });
});

describe('bad input', () => {
  it.each([
    ['lenet5Classic: wrong channels', () => lenet5Classic(), [1, 3, 28, 28], /lenet5Classic: x must be \[N,1,28,28\] \(padding 2\), got \[1,3,28,28\]/],
    ['lenet5Modern: 32x32 with padding 2', () => lenet5Modern(), [1, 1, 32, 32], /lenet5Modern: x must be \[N,1,28,28\] \(padding 2\), got \[1,1,32,32\]/],
    ['lenet5Classic: unbatched', () => lenet5Classic(), [1, 28, 28], /lenet5Classic: x must be .*got \[1,28,28\]/],
    ['mlp: flattened size differs from inFeatures', () => mlp({ inFeatures: 10 }), [2, 3, 3], /Linear.*9/],
  ] as const)('forward, %s: a ShapeError naming the model and the shapes', async (_name, build, shape, message) => {
    await useBackend('js');
    await expectNoLeak(() => {
      const m: AnyModule = build();
      const x = zeros([...shape]);
      expect(() => tidy(() => { m.call(x); })).toThrow(ShapeError);
      expect(() => tidy(() => { m.call(x); })).toThrow(message);
      x.dispose();
      m.dispose();
    });
  });
  it.each([
    ['lenet5Classic: numClasses 0', () => lenet5Classic({ numClasses: 0 }), /lenet5Classic: numClasses must be an integer >= 1, got 0/],
    ['lenet5Modern: padding -1', () => lenet5Modern({ padding: -1 }), /lenet5Modern: padding must be an integer >= 0, got -1/],
    ['lenet5Classic: inChannels 1.5', () => lenet5Classic({ inChannels: 1.5 }), /lenet5Classic: inChannels must be an integer >= 1, got 1.5/],
    ['mlp: hidden width 0', () => mlp({ hidden: [8, 0] }), /mlp: hidden\[1\] must be a positive integer, got 0/],
    ['mlp: numClasses 2.5', () => mlp({ numClasses: 2.5 }), /mlp: numClasses must be a positive integer, got 2.5/],
    ['mlp: dropout 1', () => mlp({ dropout: 1 }), /mlp: dropout must be in \[0, 1\), got 1/],
    ['mlp: unknown activation', () => mlp({ activation: 'swish' as never }), /mlp: activation must be one of relu, tanh, sigmoid, gelu, elu, leakyRelu, got 'swish'/],
  ] as const)('config, %s: an ArgumentError before any parameter is made', async (_name, build, message) => {
    await useBackend('js');
    await expectNoLeak(() => {
      expect(build).toThrow(ArgumentError);
      expect(build).toThrow(message);
    });
  });
});
