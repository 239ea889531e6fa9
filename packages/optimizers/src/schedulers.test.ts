// LR schedulers against PyTorch's learning rates (fixtures/gen.py), their state dicts, and
// their bad inputs.
import { ArgumentError, setBackend, tensor, variable, type Variable } from '@tensile/core';
import '@tensile/backend-js/register';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { golden } from './fixtures/golden.js';
import type { GoldenSchedulerCase } from './fixtures/types.js';
import {
  Adagrad, Adam, CosineAnnealingLR, ExponentialLR, LinearLR, MultiStepLR, OneCycleLR, ReduceLROnPlateau, SGD, StepLR,
  type LRScheduler, type Optimizer,
} from './index.js';
import { expectClose } from './test_utils.js';

/**
 * Learning rates are float64 on both sides and follow PyTorch's recursive formulas step for
 * step; what may differ is the last bit of Math.cos / ** against CPython's libm.
 */
const LR_RTOL = 1e-12;

let live: Variable[] = [];
beforeAll(async () => {
  await setBackend('js');
});
afterEach(() => {
  for (const v of live) v.dispose();
  live = [];
});

function params(n: number): Variable[] {
  const vs = Array.from({ length: n }, (_, i) => variable(tensor([i + 1, -i])));
  live.push(...vs);
  return vs;
}

function optimizerFor(c: GoldenSchedulerCase): Optimizer {
  const [w, b] = params(2);
  const groups = [{ params: [w!], lr: c.groupLrs[0]! }, { params: [b!], lr: c.groupLrs[1]! }];
  return c.optimizer === 'Adam' ? new Adam(groups, c.optimizerOptions) : new SGD(groups, c.optimizerOptions);
}

type AnyScheduler = LRScheduler | ReduceLROnPlateau;

function schedulerFor(c: GoldenSchedulerCase, opt: Optimizer): AnyScheduler {
  const o = c.options as never;
  switch (c.scheduler) {
    case 'StepLR': return new StepLR(opt, o);
    case 'MultiStepLR': return new MultiStepLR(opt, o);
    case 'ExponentialLR': return new ExponentialLR(opt, o);
    case 'CosineAnnealingLR': return new CosineAnnealingLR(opt, o);
    case 'LinearLR': return new LinearLR(opt, o);
    case 'OneCycleLR': return new OneCycleLR(opt, o);
    case 'ReduceLROnPlateau': return new ReduceLROnPlateau(opt, o);
    default: throw new Error(`unknown scheduler ${c.scheduler}`);
  }
}

function momenta(opt: Optimizer): number[] {
  return opt.paramGroups.map((g) => {
    const m = g as unknown as { momentum?: number; betas?: number[] };
    return m.betas ? m.betas[0]! : m.momentum!;
  });
}

function advance(s: AnyScheduler, c: GoldenSchedulerCase, epoch: number): void {
  if (s instanceof ReduceLROnPlateau) s.step(c.metrics![epoch]!);
  else s.step();
}

describe('schedulers match PyTorch', () => {
  it.each(golden.schedulerCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const opt = optimizerFor(c);
    const s = schedulerFor(c, opt);
    expectClose(`${c.name} lr after construction`, opt.paramGroups.map((g) => g.lr), c.lr[0]!, LR_RTOL, 0);
    if (c.momentum) expectClose(`${c.name} momentum after construction`, momenta(opt), c.momentum[0]!, LR_RTOL, 0);
    for (let e = 0; e < c.epochs; e++) {
      opt.step();
      advance(s, c, e);
      expectClose(`${c.name} epoch ${e + 1} getLastLr()`, s.getLastLr(), c.lr[e + 1]!, LR_RTOL, 0);
      expectClose(`${c.name} epoch ${e + 1} group lr`, opt.paramGroups.map((g) => g.lr), c.lr[e + 1]!, LR_RTOL, 0);
      if (c.momentum) expectClose(`${c.name} epoch ${e + 1} momentum`, momenta(opt), c.momentum[e + 1]!, LR_RTOL, 0);
    }
    opt.dispose();
  });

  it.each(golden.schedulerCases.map((c) => [c.name, c] as const))('%s: stateDict round trip midway continues identically', (_name, c) => {
    const half = Math.floor(c.epochs / 2);
    const a = optimizerFor(c);
    const sa = schedulerFor(c, a);
    for (let e = 0; e < half; e++) advance(sa, c, e);
    // A fresh optimizer and scheduler, restored from plain (JSON) data.
    const b = optimizerFor(c);
    const sb = schedulerFor(c, b);
    b.paramGroups.forEach((g, i) => Object.assign(g, JSON.parse(JSON.stringify({ ...a.paramGroups[i], params: undefined }))));
    sb.loadStateDict(structuredClone(sa.stateDict()));
    for (let e = half; e < c.epochs; e++) {
      advance(sa, c, e);
      advance(sb, c, e);
      expect(sb.getLastLr()).toEqual(sa.getLastLr());
      expect(b.paramGroups.map((g) => g.lr)).toEqual(c.lr[e + 1]!.map((_, i) => a.paramGroups[i]!.lr));
    }
  });
});

describe('scheduler behaviour', () => {
  it('records initialLr on the groups and uses it as baseLrs (chaining keeps the first)', () => {
    const opt = new SGD([{ params: params(1), lr: 0.5 }]);
    const s1 = new StepLR(opt, { stepSize: 1, gamma: 0.5 });
    s1.step();
    expect(opt.paramGroups[0]!.lr).toBe(0.25);
    const s2 = new ExponentialLR(opt, { gamma: 0.5 });
    expect(opt.paramGroups[0]!.initialLr).toBe(0.5);
    expect(s2.baseLrs).toEqual([0.5]);
    s1.step();
    s2.step();
    expect(opt.paramGroups[0]!.lr).toBe(0.0625);
  });

  it('stateDict is plain data without the optimizer and survives JSON', () => {
    const opt = new SGD(params(1), { lr: 0.1 });
    const s = new CosineAnnealingLR(opt, { tMax: 4 });
    s.step();
    const sd = s.stateDict();
    expect(Object.keys(sd)).not.toContain('optimizer');
    expect(JSON.parse(JSON.stringify(sd))).toEqual(sd);
    expect(sd.lastEpoch).toBe(1);
  });

  it('ReduceLROnPlateau respects cooldown and minLr', () => {
    const opt = new SGD(params(1), { lr: 1 });
    const s = new ReduceLROnPlateau(opt, { patience: 0, factor: 0.5, cooldown: 2, minLr: 0.2 });
    const lrs = [1, 1, 1, 1, 1, 1, 1].map((m) => { s.step(m); return opt.paramGroups[0]!.lr; });
    // 1st epoch sets best; 2nd is bad (> patience 0) -> 0.5, then 2 epochs of cooldown, ...
    expect(lrs).toEqual([1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25]);
    for (let i = 0; i < 10; i++) s.step(1);
    expect(s.getLastLr()).toEqual([0.2]);
  });
});

describe('scheduler bad inputs throw ArgumentError naming the scheduler, the option and the value', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ['not an optimizer', () => new StepLR({} as never, { stepSize: 1 }), /StepLR: 'optimizer' must be an Optimizer, got Object/],
    ['StepLR stepSize 0', () => new StepLR(new SGD(params(1)), { stepSize: 0 }), /StepLR: option 'stepSize' must be an integer >= 1, got 0/],
    ['StepLR stepSize 1.5', () => new StepLR(new SGD(params(1)), { stepSize: 1.5 }), /StepLR: option 'stepSize' .* got 1\.5/],
    ['StepLR gamma NaN', () => new StepLR(new SGD(params(1)), { stepSize: 2, gamma: NaN }), /StepLR: option 'gamma' must be a finite number, got NaN/],
    ['StepLR unknown option', () => new StepLR(new SGD(params(1)), { stepSize: 2, step_size: 3 } as never), /StepLR: unknown option 'step_size'/],
    ['MultiStepLR milestones', () => new MultiStepLR(new SGD(params(1)), { milestones: [1, 2.5] }), /MultiStepLR: option 'milestones' must be an array of integers, got \[1, 2\.5\]/],
    ['ExponentialLR gamma missing', () => new ExponentialLR(new SGD(params(1)), {} as never), /ExponentialLR: option 'gamma' must be a finite number, got undefined/],
    ['CosineAnnealingLR tMax 0', () => new CosineAnnealingLR(new SGD(params(1)), { tMax: 0 }), /CosineAnnealingLR: option 'tMax' must be an integer >= 1, got 0/],
    ['LinearLR startFactor 0', () => new LinearLR(new SGD(params(1)), { startFactor: 0 }), /LinearLR: option 'startFactor' must be in \(0, 1\], got 0/],
    ['LinearLR endFactor 1.5', () => new LinearLR(new SGD(params(1)), { endFactor: 1.5 }), /LinearLR: option 'endFactor' must be in \[0, 1\], got 1\.5/],
    ['OneCycleLR without steps', () => new OneCycleLR(new SGD(params(1)), { maxLr: 0.1 }), /OneCycleLR: give option 'totalSteps'/],
    ['OneCycleLR pctStart 1.5', () => new OneCycleLR(new SGD(params(1)), { maxLr: 0.1, totalSteps: 10, pctStart: 1.5 }), /OneCycleLR: option 'pctStart' must be in \[0, 1\], got 1\.5/],
    ['OneCycleLR annealStrategy', () => new OneCycleLR(new SGD(params(1)), { maxLr: 0.1, totalSteps: 10, annealStrategy: 'exp' as never }), /OneCycleLR: option 'annealStrategy' must be one of 'cos', 'linear', got 'exp'/],
    ['OneCycleLR maxLr per group', () => new OneCycleLR(new SGD(params(1)), { maxLr: [0.1, 0.2], totalSteps: 10 }), /OneCycleLR: option 'maxLr' must have one value per parameter group \(1\), got \[0\.1, 0\.2\]/],
    ['OneCycleLR momentum on Adagrad', () => new OneCycleLR(new Adagrad(params(1)), { maxLr: 0.1, totalSteps: 10 }), /OneCycleLR: option 'cycleMomentum' true needs an optimizer with 'momentum' or 'betas' \(Adagrad has neither\)/],
    ['ReduceLROnPlateau factor 1', () => new ReduceLROnPlateau(new SGD(params(1)), { factor: 1 }), /ReduceLROnPlateau: option 'factor' must be in \[0, 1\), got 1/],
    ['ReduceLROnPlateau mode', () => new ReduceLROnPlateau(new SGD(params(1)), { mode: 'median' as never }), /ReduceLROnPlateau: option 'mode' must be one of 'min', 'max', got 'median'/],
    ['ReduceLROnPlateau thresholdMode', () => new ReduceLROnPlateau(new SGD(params(1)), { thresholdMode: 'x' as never }), /ReduceLROnPlateau: option 'thresholdMode' must be one of 'rel', 'abs', got 'x'/],
    ['ReduceLROnPlateau minLr per group', () => new ReduceLROnPlateau(new SGD(params(1)), { minLr: [0, 0] }), /ReduceLROnPlateau: option 'minLr' must have one value per parameter group \(1\), got \[0, 0\]/],
    ['ReduceLROnPlateau metric NaN', () => new ReduceLROnPlateau(new SGD(params(1))).step(NaN), /ReduceLROnPlateau.step: 'metric' must be a number, got NaN/],
    ['loadStateDict of another scheduler', () => new StepLR(new SGD(params(1)), { stepSize: 1 }).loadStateDict({ tMax: 3 }), /StepLR.loadStateDict: unknown field 'tMax'/],
  ];
  it.each(cases)('%s', (_name, f, message) => {
    expect(f).toThrow(ArgumentError);
    expect(f).toThrow(message);
  });

  it('OneCycleLR stepping past totalSteps', () => {
    const s = new OneCycleLR(new SGD(params(1)), { maxLr: 0.1, totalSteps: 2 });
    s.step();
    s.step();
    expect(() => s.step()).toThrow(ArgumentError);
    expect(() => s.step()).toThrow(/OneCycleLR: tried to step 4 times; the specified number of total steps is 2/);
  });
});
