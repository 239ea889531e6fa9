// Transfer-learning helpers: freeze/unfreeze (and BatchNorm under each option), replaceHead, and
// paramGroups with a hand-worked SGD step per group; every bad input gets a typed error.
import { ArgumentError, dispose, noGrad, randn, tensor, tidy, type Tensor } from '@tensile/core';
import { BatchNorm2d, Linear, Sequential, type AnyModule } from '@tensile/layers';
import { SGD } from '@tensile/optimizers';
import { describe, expect, it } from 'vitest';
import { freeze, isFrozen, lenet5Classic, lenet5Modern, mlp, paramGroups, replaceHead, unfreeze } from '../src/index.js';
import { expectNoLeak, useBackend } from './helpers.js';

// Parameter counts by hand: conv 5x5 out·in·25 + out, linear out·in + out.
const C1 = 6 * 25 + 6; // 156
const C3 = 16 * 6 * 25 + 16; // 2,416
const LENET = 61_706;

/** Runs one forward/backward of a cross-entropy-like scalar (sum of logits²) on a batch of 2. */
function backwardOnce(model: AnyModule): void {
  tidy(() => {
    const x = randn([2, 1, 28, 28], { seed: 3 });
    const y = model.call(x) as Tensor;
    y.square().sum().backward();
  });
}

describe('freeze / unfreeze', () => {
  it("releases a pinned BatchNorm into its module's mode, even after a per-module mode save and restore (as fit's validation does)", () => {
    const bn = new BatchNorm2d(1);
    const model = new Sequential(bn);
    model.train();
    freeze(model, { batchNorm: 'eval' });
    // fit() reads every module's mode, runs evaluate() (model.eval()), then writes the modes back:
    // the pinned layer reads false, so false is what it is told afterwards.
    const modes = model.modules().map((m) => [m, m.training] as const);
    model.eval();
    for (const [m, training] of modes) m.training = training;
    expect(model.training).toBe(true);
    expect(bn.training).toBe(false); // still pinned
    unfreeze(model);
    expect(bn.training).toBe(true); // the model trains, so its BatchNorm does
    model.dispose();
  });

  it.each([
    ['lenet5Classic features', () => lenet5Classic({ seed: 0 }), 'features', LENET - C1 - C3],
    ['lenet5Classic classifier', () => lenet5Classic({ seed: 0 }), 'classifier', C1 + C3],
    ['lenet5Modern features (BatchNorm γ, β freeze too)', () => lenet5Modern({ seed: 0 }), 'features', LENET + 44 - C1 - C3 - 44],
  ] as const)('%s: the rest stays trainable, gradients reach only it', async (_name, build, part, trainable) => {
    await useBackend('js');
    await expectNoLeak(() => {
      const model = build();
      const frozenPart = model.getSubmodule(part);
      expect(freeze(frozenPart)).toBe(frozenPart);
      expect(isFrozen(frozenPart)).toBe(true);
      expect(isFrozen(model)).toBe(false);
      expect(model.numParameters({ trainableOnly: true })).toBe(trainable);
      backwardOnce(model);
      for (const [name, p] of model.namedParameters()) {
        const inFrozen = name.startsWith(`${part}.`);
        expect(p.grad === null, `${name} has ${p.grad === null ? 'no' : 'a'} gradient`).toBe(inFrozen);
      }
      model.zeroGrad();
      expect(unfreeze(frozenPart)).toBe(frozenPart);
      expect(model.numParameters({ trainableOnly: true })).toBe(model.numParameters());
      backwardOnce(model);
      expect(model.parameters().every((p) => p.grad !== null)).toBe(true);
      model.zeroGrad();
      model.dispose();
    });
  });

  it.each([
    // 'keep' is PyTorch's requires_grad_(False): BatchNorm still normalises with batch statistics
    // in training mode and moves its running mean (momentum 0.1 from 0 towards the batch mean).
    ['keep', true, true],
    // 'eval' is Keras' trainable = false: running statistics, even after model.train().
    ['eval', false, false],
  ] as const)("batchNorm: '%s': BatchNorm training %s, running mean moves: %s", async (mode, training, moves) => {
    await useBackend('js');
    await expectNoLeak(() => {
      const bn = new BatchNorm2d(1);
      const model = new Sequential(bn);
      freeze(model, { batchNorm: mode });
      model.train();
      expect(bn.training).toBe(training);
      const x = tensor([[[[2, 4]]], [[[6, 8]]]]); // batch mean 5
      const y = noGrad(() => model.call(x));
      const mean = bn.runningMean!.dataSync()[0]!;
      expect(mean).toBeCloseTo(moves ? 0.1 * 5 : 0, 6);
      // In eval mode the output is x / sqrt(1 + eps) (running mean 0, var 1, γ 1, β 0);
      // in training mode it is standardised with the batch statistics (mean 5).
      expect(y.dataSync()[0]!).toBeCloseTo(moves ? (2 - 5) / Math.sqrt(5 + 1e-5) : 2 / Math.sqrt(1 + 1e-5), 4);
      unfreeze(model);
      expect(bn.training).toBe(true); // back to the mode train() set
      model.eval();
      expect(bn.training).toBe(false);
      dispose([x, y]);
      model.dispose();
    });
  });

  it.each([
    ['freeze of a non-module', () => freeze({} as AnyModule), /freeze: argument 'module' must be a Module, got an object/],
    ['unfreeze of null', () => unfreeze(null as unknown as AnyModule), /unfreeze: argument 'module' must be a Module, got null/],
    ['an unknown batchNorm mode', () => freeze(new Linear(2, 2), { batchNorm: 'train' as 'keep' }), /freeze: batchNorm must be 'keep' or 'eval', got string train/],
    ['an unknown option', () => freeze(new Linear(2, 2), { bn: 'eval' } as object), /freeze: unknown option 'bn'/],
  ])('rejects %s', async (_name, run, message) => {
    await useBackend('js');
    expect(run).toThrow(ArgumentError);
    expect(run).toThrow(message);
  });
});

describe('replaceHead', () => {
  it.each([
    ['{ numClasses: 5 } makes a Linear(84, 5)', { numClasses: 5, seed: 1 }, 5, LENET - (84 * 10 + 10) + (84 * 5 + 5)],
    ['a given module is used as-is', () => new Linear(84, 3, { seed: 2 }), 3, LENET - (84 * 10 + 10) + (84 * 3 + 3)],
  ] as const)('lenet5Classic classifier.4: %s', async (_name, head, classes, params) => {
    await useBackend('js');
    await expectNoLeak(() => {
      const model = lenet5Classic({ seed: 0 });
      const old = model.getSubmodule('classifier.4');
      const fresh = replaceHead(model, 'classifier.4', typeof head === 'function' ? head() : head);
      expect(fresh).toBeInstanceOf(Linear);
      expect((fresh as Linear).inFeatures).toBe(84);
      expect(model.getSubmodule('classifier.4')).toBe(fresh);
      expect(old.isDisposed).toBe(true);
      expect(model.numParameters()).toBe(params);
      const sd = model.stateDict();
      expect(Object.keys(sd).slice(-2)).toEqual(['classifier.4.weight', 'classifier.4.bias']);
      dispose(sd);
      const y = tidy(() => model.call(randn([2, 1, 28, 28], { seed: 0 })));
      expect(y.shape).toEqual([2, classes]);
      y.dispose();
      model.dispose();
    });
  });

  it('keeps the old head with disposeOld: false', async () => {
    await useBackend('js');
    const model = mlp({ inFeatures: 4, hidden: [3], numClasses: 2, seed: 0 });
    const old = model.getSubmodule('3');
    replaceHead(model, '3', { numClasses: 7 }, { disposeOld: false });
    expect(old.isDisposed).toBe(false);
    expect((model.getSubmodule('3') as Linear).outFeatures).toBe(7);
    old.dispose();
    model.dispose();
  });

  it.each([
    ['a missing path', (m: AnyModule) => replaceHead(m, 'classifier.9', { numClasses: 2 }), /replaceHead: LeNet5 has no submodule 'classifier.9'/],
    ['an empty path', (m: AnyModule) => replaceHead(m, '', { numClasses: 2 }), /replaceHead: argument 'path' must be a dotted submodule path/],
    ['numClasses 0', (m: AnyModule) => replaceHead(m, 'classifier.4', { numClasses: 0 }), /replaceHead: numClasses must be a positive integer, got number 0/],
    ['{ numClasses } for a non-Linear head', (m: AnyModule) => replaceHead(m, 'classifier.3', { numClasses: 2 }), /replaceHead: 'classifier.3' is a Tanh, not a Linear/],
    ['a model that is not a Module', () => replaceHead({} as AnyModule, 'fc', { numClasses: 2 }), /replaceHead: argument 'model' must be a Module/],
  ])('rejects %s', async (_name, run, message) => {
    await useBackend('js');
    const model = lenet5Classic({ seed: 0 });
    expect(() => run(model)).toThrow(ArgumentError);
    expect(() => run(model)).toThrow(message);
    expect(model.getSubmodule('classifier.4').isDisposed).toBe(false);
    model.dispose();
  });
});

describe('paramGroups', () => {
  it('splits by dotted prefix; an SGD step moves each group by its own lr (hand-worked)', async () => {
    await useBackend('js');
    await expectNoLeak(() => {
      const model = lenet5Classic({ seed: 0 });
      const groups = paramGroups(model, [{ prefix: 'features', lr: 0.1 }, { prefix: 'classifier', lr: 0.01 }]);
      expect(groups.map((g) => [g.lr, g.params.length])).toEqual([[0.1, 4], [0.01, 6]]);
      expect(groups[0]!.params[0]).toBe(model.getParameter('features.0.weight'));
      expect(groups[1]!.params[5]).toBe(model.getParameter('classifier.4.bias'));
      const before = model.namedParameters().map(([n, p]) => [n, Array.from(p.dataSync())] as const);
      const opt = new SGD(groups, { lr: 1 });
      // loss = ½ Σ p² has gradient p, so plain SGD gives p' = p - lr·p = (1 - lr)·p.
      tidy(() => model.parameters().map((p) => p.square().sum()).reduce((a, b) => a.add(b)).mul(0.5).backward());
      opt.step();
      for (const [name, values] of before) {
        const lr = name.startsWith('features.') ? 0.1 : 0.01;
        const got = model.getParameter(name).dataSync();
        values.forEach((v, i) => expect(got[i]!, `${name}[${i}]`).toBeCloseTo((1 - lr) * v, 6));
      }
      opt.zeroGrad();
      opt.dispose();
      model.dispose();
    });
  });

  it.each([
    ["rest 'defaults' adds a last group with no options", { rest: 'defaults' } as const, [[0.5, 2], [undefined, 8]]],
    ["rest 'skip' leaves the others out", { rest: 'skip' } as const, [[0.5, 2]]],
  ])('%s', async (_name, options, want) => {
    await useBackend('js');
    const model = lenet5Classic({ seed: 0 });
    const groups = paramGroups(model, [{ prefix: 'classifier.4', lr: 0.5 }], options);
    expect(groups.map((g) => [(g as { lr?: number }).lr, g.params.length])).toEqual(want);
    model.dispose();
  });

  it('skips frozen parameters: a frozen features part needs no group', async () => {
    await useBackend('js');
    const model = lenet5Classic({ seed: 0 });
    freeze(model.features);
    const groups = paramGroups(model, [{ prefix: 'classifier', lr: 1e-3 }]);
    expect(groups[0]!.params).toHaveLength(6);
    expect(() => paramGroups(model, [{ prefix: 'features', lr: 1 }, { prefix: 'classifier', lr: 1 }])).toThrow(/groups\[0\] prefix 'features' matches only frozen parameters of LeNet5/);
    model.dispose();
  });

  it.each([
    ['a parameter under two prefixes', [{ prefix: 'features' }, { prefix: 'features.3', lr: 1 }, { prefix: 'classifier' }], /parameter 'features.3.weight' is under both groups\[0\] \('features'\) and groups\[1\] \('features.3'\)/],
    ['a prefix that matches nothing (not a name fragment)', [{ prefix: 'feat' }, { prefix: 'classifier' }], /groups\[0\] prefix 'feat' matches no parameter of LeNet5/],
    ['trainable parameters left over', [{ prefix: 'classifier' }], /4 trainable parameter\(s\) under no prefix: features.0.weight, features.0.bias, features.3.weight, features.3.bias/],
    ['an empty list', [], /paramGroups: argument 'groups' must be a non-empty array/],
    ['a group without a prefix', [{ lr: 1 }], /paramGroups: groups\[0\] must be an object with a string 'prefix'/],
    ['a group with params', [{ prefix: 'features', params: [] }], /groups\[0\] \('features'\) must not give 'params'/],
  ])('rejects %s', async (_name, groups, message) => {
    await useBackend('js');
    const model = lenet5Classic({ seed: 0 });
    const run = () => paramGroups(model, groups as { prefix: string }[]);
    expect(run).toThrow(ArgumentError);
    expect(run).toThrow(message);
    model.dispose();
  });
});
