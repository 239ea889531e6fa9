// stateDict()/loadStateDict(): 10 steps, save, restore into fresh variables and a fresh
// optimizer (and scheduler), 10 more steps: bit for bit the 20 uninterrupted steps.
import { ArgumentError, ShapeError, memory, setBackend, tensor, tidy, variable } from '@tensile/core';
import '@tensile/backend-js/register';
import { beforeAll, describe, expect, it } from 'vitest';
import { Adam, OneCycleLR, SGD, StepLR, type LRScheduler, type Optimizer, type OptimizerStateDict } from './index.js';
import { makeModel, makeOptimizer, trainStep, type Model } from './test_utils.js';

beforeAll(async () => {
  await setBackend('js');
});

interface Setup {
  name: string;
  optimizer: 'SGD' | 'Adagrad' | 'RMSprop' | 'Adam' | 'AdamW';
  options: Record<string, unknown>;
  groups?: { params: string[]; [k: string]: unknown }[];
  scheduler?: (opt: Optimizer) => LRScheduler;
}

const SETUPS: Setup[] = [
  { name: 'SGD nesterov + weight decay', optimizer: 'SGD', options: { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01 } },
  { name: 'SGD groups + StepLR', optimizer: 'SGD', options: { lr: 0.05 }, groups: [{ params: ['w'], momentum: 0.9 }, { params: ['b'], lr: 0.01 }], scheduler: (o) => new StepLR(o, { stepSize: 4, gamma: 0.5 }) },
  { name: 'Adagrad with lrDecay', optimizer: 'Adagrad', options: { lr: 0.1, lrDecay: 0.05, initialAccumulatorValue: 0.1 } },
  { name: 'RMSprop centered + momentum', optimizer: 'RMSprop', options: { lr: 0.01, momentum: 0.9, centered: true, weightDecay: 0.01 } },
  { name: 'Adam amsgrad', optimizer: 'Adam', options: { lr: 0.05, amsgrad: true } },
  { name: 'Adam + OneCycleLR (betas cycle)', optimizer: 'Adam', options: { lr: 0.05 }, scheduler: (o) => new OneCycleLR(o, { maxLr: 0.05, totalSteps: 20 }) },
  { name: 'AdamW', optimizer: 'AdamW', options: { lr: 0.05, weightDecay: 0.1 } },
];

function modelFrom(w: Float32Array, b: Float32Array): Model {
  const m = makeModel();
  tidy(() => {
    m.w.assign(tensor(w, m.w.shape));
    m.b.assign(tensor(b, m.b.shape));
  });
  return m;
}

describe('stateDict round trip is bit for bit', () => {
  it.each(SETUPS.map((s) => [s.name, s] as const))('%s', async (_name, s) => {
    const before = memory().tensors;
    // 20 uninterrupted steps.
    const a = makeModel();
    const optA = makeOptimizer(s.optimizer, a, s.options, s.groups);
    const schedA = s.scheduler?.(optA);
    for (let i = 0; i < 20; i++) { trainStep(a, optA); schedA?.step(); }

    // 10 steps, then everything saved as plain data (structuredClone: what a file or a worker sees).
    const b = makeModel();
    const optB = makeOptimizer(s.optimizer, b, s.options, s.groups);
    const schedB = s.scheduler?.(optB);
    for (let i = 0; i < 10; i++) { trainStep(b, optB); schedB?.step(); }
    const saved = structuredClone({
      w: await b.w.data() as Float32Array, b: await b.b.data() as Float32Array,
      opt: await optB.stateDict(), sched: schedB?.stateDict(),
    });

    // Fresh variables, optimizer and scheduler (made before loading, as PyTorch advises).
    const c = modelFrom(saved.w, saved.b);
    const optC = makeOptimizer(s.optimizer, c, s.options, s.groups);
    const schedC = s.scheduler?.(optC);
    optC.loadStateDict(saved.opt);
    if (schedC) schedC.loadStateDict(saved.sched!);
    for (let i = 0; i < 10; i++) { trainStep(c, optC); schedC?.step(); }

    expect(c.w.dataSync()).toEqual(a.w.dataSync());
    expect(c.b.dataSync()).toEqual(a.b.dataSync());
    expect(optC.paramGroups.map((g) => g.lr)).toEqual(optA.paramGroups.map((g) => g.lr));
    for (const [m, o] of [[a, optA], [b, optB], [c, optC]] as const) {
      o.zeroGrad();
      o.dispose();
      m.dispose();
    }
    expect(memory().tensors).toBe(before);
  });
});

describe('stateDict layout (PyTorch state_dict, camelCase)', () => {
  it('Adam: step, expAvg and expAvgSq per parameter index; groups list indices', async () => {
    const m = makeModel();
    const opt = new Adam([{ params: [m.w], lr: 0.1 }, { params: [m.b] }], { lr: 0.01, amsgrad: true });
    trainStep(m, opt);
    trainStep(m, opt);
    const sd = await opt.stateDict();
    expect(Object.keys(sd.state)).toEqual(['0', '1']);
    expect(Object.keys(sd.state[0]!)).toEqual(['step', 'expAvg', 'expAvgSq', 'maxExpAvgSq']);
    expect(sd.state[0]!.step).toBe(2);
    const expAvg = sd.state[1]!.expAvg as { shape: number[]; dtype: string; data: Float32Array };
    expect(expAvg.shape).toEqual([4]);
    expect(expAvg.dtype).toBe('float32');
    expect(expAvg.data).toBeInstanceOf(Float32Array);
    expect(sd.paramGroups).toEqual([
      { lr: 0.1, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: true, maximize: false, decoupledWeightDecay: false, params: [0] },
      { lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: true, maximize: false, decoupledWeightDecay: false, params: [1] },
    ]);
    // A copy: changing the dict changes nothing in the optimizer.
    (sd.paramGroups[0]!.betas as number[])[0] = 0.5;
    expect(opt.paramGroups[0]!.betas[0]).toBe(0.9);
    opt.zeroGrad();
    opt.dispose();
    m.dispose();
  });

  it('SGD: momentumBuffer; a parameter that never had a gradient has no state', async () => {
    const m = makeModel();
    const unused = tidy(() => variable(tensor([1, 2, 3])));
    const opt = new SGD([m.w, m.b, unused], { lr: 0.1, momentum: 0.9 });
    trainStep(m, opt);
    const sd = await opt.stateDict();
    expect(Object.keys(sd.state)).toEqual(['0', '1']);
    expect(Object.keys(sd.state[0]!)).toEqual(['momentumBuffer']);
    expect(sd.paramGroups[0]!.params).toEqual([0, 1, 2]);
    opt.zeroGrad();
    opt.dispose();
    m.dispose();
    unused.dispose();
  });
});

describe('loadStateDict checks before it changes anything', () => {
  async function savedAdam(): Promise<{ m: Model; opt: Optimizer; sd: OptimizerStateDict }> {
    const m = makeModel();
    const opt = makeOptimizer('Adam', m, { lr: 0.05 });
    trainStep(m, opt);
    return { m, opt, sd: await opt.stateDict() };
  }

  const cases: [string, (sd: OptimizerStateDict, m: Model) => [Optimizer, OptimizerStateDict], typeof ArgumentError, RegExp][] = [
    ['another group count', (sd, m) => [new Adam([{ params: [m.w] }, { params: [m.b] }]), sd], ArgumentError,
      /^Adam\.loadStateDict: the state dict has 1 parameter groups, the optimizer 2$/],
    ['another parameter count', (sd, m) => [new Adam([m.w]), sd], ArgumentError,
      /^Adam\.loadStateDict: paramGroups\[0\] has \[0, 1\] as params; the optimizer's group has 1 parameters$/],
    ['another optimizer\'s state dict', (sd, m) => [new SGD([m.w, m.b]), sd], ArgumentError,
      /^SGD\.loadStateDict: paramGroups\[0\]: unknown group option 'betas'/],
    ['a bad option value', (sd, m) => [new Adam([m.w, m.b]), { ...sd, paramGroups: [{ ...sd.paramGroups[0]!, lr: -1 }] }], ArgumentError,
      /^Adam\.loadStateDict: paramGroups\[0\]: option 'lr' must be a finite number >= 0, got -1$/],
    ['swapped parameters (shapes differ)', (sd, m) => [new Adam([m.b, m.w]), sd], ShapeError,
      /^Adam\.loadStateDict: state\[0\]\.expAvg has shape \[5,4\] \(20 values\); parameter 0 has shape \[4\]$/],
    ['not a state dict', (_sd, m) => [new Adam([m.w, m.b]), { state: {} } as never], ArgumentError,
      /^Adam\.loadStateDict: expected \{ state, paramGroups \}/],
  ];

  it.each(cases)('%s', async (_name, build, ErrorClass, message) => {
    const { m, opt, sd } = await savedAdam();
    const [target, dict] = build(sd, m);
    trainStep(m, target);
    const snapshot = await target.stateDict();
    expect(() => target.loadStateDict(dict)).toThrow(ErrorClass);
    expect(() => target.loadStateDict(dict)).toThrow(message);
    expect(await target.stateDict()).toEqual(snapshot);
    for (const o of [opt, target]) { o.zeroGrad(); o.dispose(); }
    m.dispose();
  });
});
