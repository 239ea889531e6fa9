// The vision zoo trains: a few steps on a fixed batch reduce the loss, GoogLeNet's auxiliary heads
// join the graph in training, and the initial weights follow torchvision's schemes.
import { ArgumentError, dispose, randn, tensor, tidy, type Tensor } from '@tensile/core';
import { CrossEntropyLoss } from '@tensile/layers';
import { SGD } from '@tensile/optimizers';
import { describe, expect, it } from 'vitest';
import { alexnet, googlenet, resnet, resnet18, vgg, vgg16, type ResNet } from '../src/index.js';
import { expectNoLeak, maxAbsDiff, use } from './vision_helpers.js';

const std = (t: Tensor): number => {
  const v = Array.from(t.dataSync());
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
};

describe('vision zoo: training', () => {
  // resnet18 at full width on wasm (its backward is ~25x slower on backend-js), its depth at 1/8 width on js.
  const runs: [string, 'js' | 'wasm', () => ResNet][] = [
    ['resnet18 (10 classes, 1x28x28) on wasm', 'wasm', () => resnet18({ numClasses: 10, inChannels: 1, seed: 0 })],
    ['resnet18 depth at 1/8 width (10 classes, 1x28x28) on js', 'js', () => resnet({ block: 'basic', layers: [2, 2, 2, 2], widths: [8, 16, 32, 64], numClasses: 10, inChannels: 1, seed: 0 })],
  ];
  it.each(runs)('%s: 4 SGD steps on a fixed batch of 8 halve the loss', async (_name, backend, build) => {
    await use(backend);
    await expectNoLeak(() => {
      const model = build();
      const x = randn([8, 1, 28, 28], { seed: 1 });
      const y = tensor(Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7]), [8]);
      const ce = new CrossEntropyLoss();
      const opt = new SGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
      const losses: number[] = [];
      for (let step = 0; step < 4; step++) {
        losses.push(tidy(() => {
          opt.zeroGrad();
          const loss = ce.call(model.call(x), y);
          loss.backward();
          opt.step();
          return loss.dataSync()[0]!;
        }) as number);
      }
      // ln 10 = 2.30 is chance; memorising 8 images drives the loss well below it.
      expect(losses[0]).toBeGreaterThan(1.5);
      expect(losses[3]!).toBeLessThan(0.5 * losses[0]!);
      opt.dispose();
      dispose([x, y]);
      model.dispose();
    });
  }, 120_000);

  it('googlenet with auxLogits: callWithAux gives three [N, classes] heads in training that all get gradients; eval drops them', async () => {
    await use('js');
    await expectNoLeak(() => {
      const model = googlenet({ numClasses: 4, auxLogits: true, seed: 1 });
      const x = randn([2, 3, 20, 20], { seed: 2 });
      const y = tensor(Int32Array.from([1, 3]), [2]);
      const ce = new CrossEntropyLoss();
      tidy(() => {
        const { logits, aux1, aux2 } = model.callWithAux(x);
        for (const t of [logits, aux1, aux2]) expect(t?.shape).toEqual([2, 4]);
        // The paper's loss: the main head plus 0.3 times each auxiliary one.
        ce.call(logits, y).add(ce.call(aux1!, y).add(ce.call(aux2!, y)).mul(0.3)).backward();
      });
      for (const name of ['fc.weight', 'aux1.fc2.weight', 'aux2.fc2.weight', 'aux1.conv.conv.weight', 'conv1.conv.weight']) {
        const g = model.getParameter(name).grad;
        expect(g, name).not.toBeNull();
        expect(Array.from(g!.dataSync()).some((v) => v !== 0), name).toBe(true);
      }
      model.zeroGrad();
      // call() is the plain classifier in either mode.
      const train = model.call(x);
      expect(train.shape).toEqual([2, 4]);
      model.eval();
      const out = model.callWithAux(x);
      expect([out.aux1, out.aux2]).toEqual([null, null]);
      const plain = model.call(x);
      expect(maxAbsDiff(plain, out.logits)).toBe(0);
      dispose([x, y, train, out.logits, plain]);
      model.dispose();
    });
  }, 60_000);

  it('googlenet transformInput maps (0.5, 0.5)-normalised inputs to ImageNet\'s normalisation first', async () => {
    await use('js');
    await expectNoLeak(() => {
      // Training mode (batch statistics) with dropout 0: N(0, 0.01^2) weights let an eval-mode signal fade to the bias.
      const a = googlenet({ numClasses: 3, transformInput: true, dropout: 0, seed: 2 });
      const b = googlenet({ numClasses: 3, dropout: 0, skipInit: true });
      const sd = a.stateDict();
      b.loadStateDict(sd);
      const x = randn([2, 3, 20, 20], { seed: 3 });
      // By hand: x * std / 0.5 + (mean - 0.5) / 0.5 with ImageNet's mean (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225).
      const scale = tensor([0.458, 0.448, 0.45], [1, 3, 1, 1]), shift = tensor([-0.03, -0.088, -0.188], [1, 3, 1, 1]);
      const xt = tidy(() => x.mul(scale).add(shift));
      const ya = a.call(x), yb = b.call(xt), untransformed = b.call(x);
      expect(maxAbsDiff(ya, yb)).toBeLessThan(1e-5);
      expect(maxAbsDiff(ya, untransformed)).toBeGreaterThan(1e-3);
      dispose([sd, x, scale, shift, xt, ya, yb, untransformed]);
      a.dispose();
      b.dispose();
    });
  }, 60_000);
});

describe('vision zoo: initial weights', () => {
  it('resnet: convolutions He-normal over fan_out, BatchNorm 1 and 0, fc PyTorch\'s uniform; zeroInitResidual zeroes each block\'s last BN', async () => {
    await use('js');
    await expectNoLeak(() => {
      const model = resnet({ block: 'basic', layers: [1, 1, 1, 1], widths: [16, 32, 64, 128], numClasses: 10, seed: 7 });
      // std sqrt(2 / fan_out), fan_out = 128 * 3 * 3 (147,456 draws: within 2%).
      const w = model.getParameter('layer4.0.conv2.weight');
      expect(std(w) / Math.sqrt(2 / (128 * 9))).toBeCloseTo(1, 1);
      expect(Array.from(model.getParameter('layer4.0.bn2.weight').dataSync()).every((v) => v === 1)).toBe(true);
      expect(Array.from(model.getParameter('layer4.0.bn2.bias').dataSync()).every((v) => v === 0)).toBe(true);
      const bound = 1 / Math.sqrt(128);
      expect(Array.from(model.getParameter('fc.weight').dataSync()).every((v) => Math.abs(v) <= bound)).toBe(true);
      model.dispose();
      const zero = resnet({ block: 'bottleneck', layers: [1, 1, 1, 1], widths: [4, 4, 4, 4], numClasses: 2, zeroInitResidual: true, seed: 1 });
      for (const k of ['layer1.0.bn3.weight', 'layer4.0.bn3.weight']) expect(Array.from(zero.getParameter(k).dataSync()).every((v) => v === 0)).toBe(true);
      expect(Array.from(zero.getParameter('layer1.0.bn2.weight').dataSync()).every((v) => v === 1)).toBe(true);
      zero.dispose();
    });
  });

  it('one seed makes a model reproducible; another seed changes every layer', async () => {
    await use('js');
    await expectNoLeak(() => {
      const build = (seed: number) => resnet({ block: 'basic', layers: [1, 1, 1, 1], widths: [4, 4, 8, 8], numClasses: 3, seed });
      const [a, b, c] = [build(5), build(5), build(6)];
      const pa = a.namedParameters(), pb = b.namedParameters(), pc = c.namedParameters();
      for (let i = 0; i < pa.length; i++) {
        const [name, p] = pa[i]!;
        expect(maxAbsDiff(p, pb[i]![1]), name).toBe(0);
        if (name.endsWith('conv1.weight') || name === 'fc.weight') expect(maxAbsDiff(p, pc[i]![1]), name).toBeGreaterThan(0);
      }
      for (const m of [a, b, c]) m.dispose();
    });
  });

  it('skipInit fills weights with zeros (for weights loaded next) and leaves BatchNorm at 1 and 0', async () => {
    await use('js');
    await expectNoLeak(() => {
      const model = googlenet({ numClasses: 5, skipInit: true });
      for (const [name, p] of model.namedParameters()) {
        const want = name.endsWith('bn.weight') ? 1 : 0;
        expect(Array.from(p.dataSync()).every((v) => v === want), name).toBe(true);
      }
      model.dispose();
    });
  });

  it('googlenet: convolution and Linear weights N(0, 0.01^2) as torchvision', async () => {
    await use('js');
    await expectNoLeak(() => {
      const model = googlenet({ numClasses: 10, seed: 11 });
      for (const name of ['inception5b.branch2.1.conv.weight', 'fc.weight']) {
        expect(std(model.getParameter(name)) / 0.01, name).toBeCloseTo(1, 1);
      }
      model.dispose();
    });
  });
});

describe('vision zoo: bad configurations are ArgumentErrors naming the model and the option', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ['numClasses 0', () => resnet18({ numClasses: 0 }), /^resnet18: numClasses must be a positive integer, got 0/],
    ['inChannels 1.5', () => alexnet({ inChannels: 1.5, skipInit: true }), /^alexnet: inChannels must be a positive integer, got 1\.5/],
    ['dropout 1', () => vgg16({ dropout: 1, skipInit: true }), /^vgg16: dropout must be a probability in \[0, 1\), got 1/],
    ['seed -1', () => googlenet({ seed: -1 }), /^googlenet: seed must be a non-negative safe integer, got -1/],
    ['skipInit "yes"', () => googlenet({ skipInit: 'yes' as unknown as boolean }), /^googlenet: skipInit must be a boolean, got "yes"/],
    ['an unknown block', () => resnet({ block: 'wide' as 'basic', layers: [1, 1, 1, 1] }), /^resnet: block must be 'basic' or 'bottleneck', got "wide"/],
    ['three stages', () => resnet({ block: 'basic', layers: [1, 1, 1] as unknown as [number, number, number, number] }), /^resnet: layers must be four positive block counts, got \[1,1,1\]/],
    ['a zero width', () => resnet({ block: 'basic', layers: [1, 1, 1, 1], widths: [8, 0, 8, 8] }), /^resnet: widths must be four positive channel counts, got \[8,0,8,8\]/],
    ['an unknown VGG layout', () => vgg({ layout: 'Z' as 'A' }), /^vgg: layout must be one of A, B, D, E or a non-empty list of channel counts and 'M', got "Z"/],
    ['transformInput on 1 channel', () => googlenet({ transformInput: true, inChannels: 1 }), /^googlenet: transformInput maps the 3 RGB channels, but inChannels is 1/],
  ];
  it.each(cases)('%s', (_name, build, message) => {
    expect(build).toThrow(ArgumentError);
    expect(build).toThrow(message);
  });
});
