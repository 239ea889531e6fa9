// Optimizer behaviour beyond the goldens: PyTorch's first steps by hand, parameter groups,
// skipped parameters, zeroGrad, closures, addParamGroup.
import { memory, noGrad, setBackend, tensor, tidy, variable, keep, type Variable } from '@tensile/core';
import '@tensile/backend-js/register';
import { beforeAll, describe, expect, it } from 'vitest';
import { Adagrad, Adam, AdamW, RMSprop, SGD, type Optimizer } from './index.js';

beforeAll(async () => {
  await setBackend('js');
});

function param(values: number[]): Variable {
  return tidy(() => variable(tensor(values)));
}

/** Sets p.grad explicitly (as PyTorch's p.grad = ...), kept like an accumulated gradient. */
function setGrad(p: Variable, values: number[]): void {
  p.zeroGrad();
  p.grad = keep(tensor(values));
}

function values(p: Variable): number[] {
  return Array.from(p.dataSync());
}

function closeTo(actual: number[], expected: number[], digits = 6): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expect(a).toBeCloseTo(expected[i]!, digits));
}

describe('first steps by hand (PyTorch rules)', () => {
  it('SGD momentum: the first buffer is the gradient, then buf = m*buf + (1 - dampening)*g', () => {
    const p = param([1, 2]);
    const opt = new SGD([p], { lr: 0.1, momentum: 0.9, dampening: 0.5 });
    setGrad(p, [0.5, -1]);
    opt.step();
    closeTo(values(p), [1 - 0.05, 2 + 0.1]);
    opt.step();
    // buf = 0.9 * g + 0.5 * g = 1.4 g
    closeTo(values(p), [0.95 - 0.1 * 1.4 * 0.5, 2.1 + 0.1 * 1.4]);
    opt.zeroGrad();
    opt.dispose();
    p.dispose();
  });

  it('SGD nesterov: g + m*buf', () => {
    const p = param([0]);
    const opt = new SGD([p], { lr: 1, momentum: 0.5, nesterov: true });
    setGrad(p, [1]);
    opt.step(); // buf = 1, g = 1 + 0.5
    closeTo(values(p), [-1.5]);
    opt.step(); // buf = 1.5, g = 1 + 0.75
    closeTo(values(p), [-3.25]);
    opt.zeroGrad();
    opt.dispose();
    p.dispose();
  });

  it('Adam: the bias-corrected first step moves each weight by about lr against the gradient', () => {
    const p = param([1, -1, 0.5]);
    const opt = new Adam([p], { lr: 0.1 });
    setGrad(p, [3, -0.2, 1e-3]);
    opt.step();
    // m_hat = g, v_hat = g^2: the step is lr * g / (|g| + eps).
    closeTo(values(p), [0.9, -0.9, 0.4], 5);
    opt.zeroGrad();
    opt.dispose();
    p.dispose();
  });

  it('AdamW decays the weight by lr*weightDecay before the update, Adam adds it to the gradient', () => {
    const p = param([2]);
    const q = param([2]);
    const adamw = new AdamW([p], { lr: 0.1, weightDecay: 0.5 });
    const adam = new Adam([q], { lr: 0.1, weightDecay: 0.5 });
    setGrad(p, [0]);
    setGrad(q, [0]);
    adamw.step();
    adam.step();
    closeTo(values(p), [2 * (1 - 0.05)]); // zero gradient: only the decay moves it
    closeTo(values(q), [2 - 0.1], 5); // gradient 0.5 * 2 = 1: Adam's step is ~lr
    for (const o of [adamw, adam]) { o.zeroGrad(); o.dispose(); }
    p.dispose();
    q.dispose();
  });

  it('Adagrad: clr = lr / (1 + (t - 1) * lrDecay)', () => {
    const p = param([0]);
    const opt = new Adagrad([p], { lr: 1, lrDecay: 1, eps: 0 });
    setGrad(p, [2]);
    opt.step(); // sum 4, clr 1: -= 2/2
    closeTo(values(p), [-1]);
    opt.step(); // sum 8, clr 1/2: -= 0.5 * 2/sqrt(8)
    closeTo(values(p), [-1 - 0.5 * 2 / Math.sqrt(8)]);
    opt.zeroGrad();
    opt.dispose();
    p.dispose();
  });

  it('RMSprop: v = alpha*v + (1 - alpha)*g^2, p -= lr*g/(sqrt(v) + eps)', () => {
    const p = param([0]);
    const opt = new RMSprop([p], { lr: 0.1, alpha: 0.75, eps: 0 });
    setGrad(p, [2]);
    opt.step(); // v = 1
    closeTo(values(p), [-0.2]);
    opt.zeroGrad();
    opt.dispose();
    p.dispose();
  });

  it('maximize climbs', () => {
    const p = param([0]);
    const opt = new SGD([p], { lr: 0.5, maximize: true });
    setGrad(p, [1]);
    opt.step();
    closeTo(values(p), [0.5]);
    opt.zeroGrad();
    opt.dispose();
    p.dispose();
  });
});

describe('parameters and groups', () => {
  it('a parameter whose grad is null is skipped and gets no state', () => {
    const [a, b] = [param([1]), param([1])];
    const opts: Optimizer[] = [new SGD([a, b], { lr: 1, momentum: 0.9 }), new Adam([a, b]), new RMSprop([a, b])];
    for (const opt of opts) {
      setGrad(a, [1]);
      b.zeroGrad();
      opt.step();
      expect(opt.state.has(a)).toBe(true);
      expect(opt.state.has(b)).toBe(false);
      expect(values(b)).toEqual([1]);
      opt.dispose();
    }
    a.zeroGrad();
    a.dispose();
    b.dispose();
  });

  it('Adagrad creates its state with the groups, as PyTorch does (step 0, sum = initialAccumulatorValue)', async () => {
    const p = param([1, 2]);
    const opt = new Adagrad([p], { initialAccumulatorValue: 0.25 });
    const sd = await opt.stateDict();
    expect(sd.state[0]!.step).toBe(0);
    expect(Array.from((sd.state[0]!.sum as { data: Float32Array }).data)).toEqual([0.25, 0.25]);
    opt.dispose();
    p.dispose();
  });

  it('a non-trainable variable never gets a gradient and never moves', () => {
    const w = param([1, 2]);
    const frozen = tidy(() => variable(tensor([3, 4]), { trainable: false }));
    const opt = new SGD([w, frozen], { lr: 0.1 });
    const loss = tidy(() => w.mul(frozen).sum());
    loss.backward();
    loss.dispose();
    expect(frozen.grad).toBeNull();
    opt.step();
    closeTo(values(w), [1 - 0.3, 2 - 0.4]);
    expect(values(frozen)).toEqual([3, 4]);
    opt.zeroGrad();
    opt.dispose();
    w.dispose();
    frozen.dispose();
  });

  it('groups take their own options, the rest from the defaults; group.lr can change between steps', () => {
    const [w, b] = [param([1]), param([1])];
    const opt = new SGD([{ params: [w], lr: 0.5 }, { params: b }], { lr: 0.1 });
    expect(opt.paramGroups.map((g) => g.lr)).toEqual([0.5, 0.1]);
    expect(opt.paramGroups[1]!.params).toEqual([b]);
    setGrad(w, [1]);
    setGrad(b, [1]);
    opt.step();
    closeTo([...values(w), ...values(b)], [0.5, 0.9]);
    opt.paramGroups[1]!.lr = 0.2;
    opt.step();
    closeTo([...values(w), ...values(b)], [0, 0.7]);
    opt.zeroGrad();
    opt.dispose();
    w.dispose();
    b.dispose();
  });

  it('addParamGroup adds a group with the defaults', () => {
    const [w, head] = [param([1]), param([1])];
    const opt = new Adam([w], { lr: 0.01, betas: [0.8, 0.9] });
    opt.addParamGroup({ params: [head], lr: 0.1 });
    expect(opt.paramGroups[1]).toMatchObject({ lr: 0.1, betas: [0.8, 0.9], params: [head] });
    expect(opt.paramGroups[1]!.betas).not.toBe(opt.defaults.betas);
    setGrad(head, [1]);
    opt.step();
    closeTo(values(head), [0.9], 5);
    opt.zeroGrad();
    opt.dispose();
    w.dispose();
    head.dispose();
  });

  it('zeroGrad frees every gradient and sets it to null', () => {
    const [w, b] = [param([1]), param([2])];
    const opt = new SGD([w, b]);
    setGrad(w, [1]);
    setGrad(b, [1]);
    const grads = [w.grad!, b.grad!];
    opt.zeroGrad();
    expect([w.grad, b.grad]).toEqual([null, null]);
    expect(grads.every((g) => g.isDisposed)).toBe(true);
    opt.dispose();
    w.dispose();
    b.dispose();
  });

  it('step(closure) calls the closure first and returns its loss', () => {
    const w = param([3]);
    const opt = new SGD([w], { lr: 0.25 });
    const loss = opt.step(() => {
      opt.zeroGrad();
      const l = tidy(() => w.square().sum());
      l.backward();
      return l;
    });
    expect(Array.from(loss!.dataSync())).toEqual([9]);
    closeTo(values(w), [3 - 0.25 * 6]);
    loss!.dispose();
    opt.zeroGrad();
    opt.dispose();
    w.dispose();
  });

  it('step runs under noGrad and inside tidy: nothing recorded, nothing left over', () => {
    const w = param([1, 2]);
    const opt = new Adam([w], { lr: 0.1 });
    setGrad(w, [1, 1]);
    opt.step(); // creates the state
    const before = memory().tensors;
    opt.step();
    expect(memory().tensors).toBe(before);
    expect(w.node).toBeNull();
    noGrad(() => opt.step());
    opt.zeroGrad();
    opt.dispose();
    w.dispose();
  });
});
