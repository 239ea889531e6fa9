// Every loss variant against PyTorch (values and input gradients), functional and module
// forms, and the typed errors of bad targets.
import { ArgumentError, DTypeError, ShapeError, Tensor, dispose, grad, ones, tensor, tidy, zeros } from '@tensile/core';
import { describe, expect, it } from 'vitest';
import {
  BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, HuberLoss, L1Loss, MSELoss, NLLLoss, SmoothL1Loss, type Loss,
} from '../src/index.js';
import * as F from '../src/functional.js';
import { golden } from './fixtures/golden.js';
import type { GT } from './fixtures/types.js';
import { T, expectClose, expectNoLeak, useJs, values } from './helpers.js';

useJs();

type Fn = (input: Tensor, target: Tensor, opts: any) => Tensor;
const forms: Record<string, [Fn, new (opts: any) => Loss]> = {
  crossEntropy: [F.crossEntropy, CrossEntropyLoss],
  nllLoss: [F.nllLoss, NLLLoss],
  binaryCrossEntropy: [F.binaryCrossEntropy, BCELoss],
  bceWithLogits: [F.bceWithLogits, BCEWithLogitsLoss],
  mseLoss: [F.mseLoss, MSELoss],
  l1Loss: [F.l1Loss, L1Loss],
  smoothL1Loss: [F.smoothL1Loss, SmoothL1Loss],
  huberLoss: [F.huberLoss, HuberLoss],
};

const isGT = (v: unknown): v is GT => typeof v === 'object' && v !== null && 'shape' in v && 'data' in v;
/** Golden options with tensors made real (weight, posWeight). */
const realOpts = (o: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, isGT(v) ? T(v) : v]));
const tol = { rtol: 2e-4, atol: 2e-5 };

for (const [name, [fn, Mod]] of Object.entries(forms)) {
  describe(`${name} against PyTorch`, () => {
    for (const c of golden[name]) {
      it(c.name, () => {
        expectNoLeak(() => {
          const opts = realOpts(c.opts);
          const input = T(c.input), target = T(c.target);
          const loss = fn(input, target, opts);
          expectClose(loss, c.loss, tol, 'loss');
          const dy = T(c.dy);
          const [dx] = grad((x: Tensor) => fn(x, target, opts).mul(dy).sum())(input);
          expectClose(dx, c.dinput, tol, 'dinput');
          // The module form gives the same value.
          const m = new Mod(opts);
          const lm = m.call(input, target);
          expectClose(lm, c.loss, tol, 'module loss');
          m.dispose();
          dispose([input, target, loss, dy, dx!, lm]);
          dispose(Object.values(opts).filter((v): v is Tensor => v instanceof Tensor));
        });
      });
    }
  });
}

describe('losses: edge values and stability', () => {
  it('binaryCrossEntropy clamps its logs at -100 (probabilities 0 and 1)', () => {
    const c = golden.binaryCrossEntropyEdges;
    const x = T(c.input), t = T(c.target);
    const loss = F.binaryCrossEntropy(x, t, { reduction: 'none' });
    expectClose(loss, c.loss);
    const [dx] = grad((v: Tensor) => F.binaryCrossEntropy(v, t))(x);
    expect(values(dx!).every(Number.isFinite)).toBe(true);
    dispose([x, t, loss, dx!]);
  });

  it('crossEntropy of huge logits stays finite with finite gradients', () => {
    const x = tensor([[1e30, -1e30, 0], [-3e38, 3e38, 1]]), t = tensor(new Int32Array([1, 1]));
    const loss = F.crossEntropy(x, t, { reduction: 'none' });
    expect(values(loss)[0]).toBeCloseTo(2e30, -25);
    expect(values(loss)[1]).toBeCloseTo(0, 6);
    const [dx] = grad((v: Tensor) => F.crossEntropy(v, t))(x);
    expect(values(dx!).every(Number.isFinite)).toBe(true);
    dispose([x, t, loss, dx!]);
  });

  it('crossEntropy with masked (-Infinity) logits of other classes stays finite, as PyTorch', () => {
    const x = tensor([[0, -Infinity, Math.log(3)], [-Infinity, 2, 2]]), t = tensor(new Int32Array([2, 1]));
    const loss = F.crossEntropy(x, t, { reduction: 'none', weight: tensor([1, 1, 1]) });
    expectClose(loss, [Math.log(4 / 3), Math.log(2)]);
    const [dx] = grad((v: Tensor) => F.crossEntropy(v, t, { reduction: 'sum' }))(x);
    expectClose(dx, [0.25, 0, -0.25, 0, -0.5, 0.5]);
    dispose([x, t, loss, dx!]);
  });

  it('bceWithLogits is stable for |x| = 100', () => {
    const x = tensor([100, -100, 100, -100]), t = tensor([1, 0, 0, 1]);
    expectClose(F.bceWithLogits(x, t, { reduction: 'none' }), [0, 0, 100, 100]);
  });
});

describe('losses: typed errors', () => {
  const logits = tidy(() => zeros([4, 3]));
  const labels = tensor(new Int32Array([0, 1, 2, 0]));

  it('crossEntropy with float targets of the wrong shape', () => {
    const bad = zeros([4]);
    expect(() => F.crossEntropy(logits, bad)).toThrow(ShapeError);
    expect(() => F.crossEntropy(logits, bad)).toThrow(/crossEntropy: float target \[4\] is read as class probabilities and must have input's shape \[4,3\]; class indices must be int32 \[4\]/);
    const lossFn = new CrossEntropyLoss();
    expect(() => lossFn.call(logits, bad)).toThrow(/^CrossEntropyLoss: float target \[4\]/);
    bad.dispose();
  });

  it('crossEntropy with index targets of the wrong shape or dtype', () => {
    const wrong = tensor(new Int32Array([0, 1, 2]));
    expect(() => F.crossEntropy(logits, wrong)).toThrow(/crossEntropy: class-index target \[3\] must be \[4\] for input \[4,3\]/);
    const b = tensor([true, false, true, true]);
    expect(() => F.crossEntropy(logits, b)).toThrow(DTypeError);
    expect(() => F.crossEntropy(labels, labels)).toThrow(/crossEntropy: 'input' has dtype int32/);
    const w = ones([4]);
    expect(() => F.crossEntropy(logits, labels, { weight: w })).toThrow(/crossEntropy: 'weight' must be \[3\] \(one per class\), got \[4\]/);
    expect(() => F.crossEntropy(logits, labels, { reduction: 'avg' as 'mean' })).toThrow(ArgumentError);
    expect(() => F.crossEntropy(logits, labels, { labelSmoothing: 1.5 })).toThrow(ArgumentError);
    const p = zeros([4, 3]);
    expect(() => F.crossEntropy(logits, p, { ignoreIndex: 0 })).toThrow(ArgumentError);
    expect(() => F.crossEntropy(logits, 3 as unknown as Tensor)).toThrow(ArgumentError);
    dispose([wrong, b, w, p]);
  });

  it('elementwise losses refuse shapes that would broadcast silently', () => {
    const a = zeros([4, 1]), b = zeros([4]);
    expect(() => F.mseLoss(a, b)).toThrow(/mseLoss: target \[4\] must have the shape of input \[4,1\]/);
    expect(() => new L1Loss().call(a, b)).toThrow(/^L1Loss: target/);
    const ti = tensor(new Int32Array(4), [4, 1]);
    expect(() => F.binaryCrossEntropy(a, ti)).toThrow(DTypeError);
    const pw = ones([3]);
    expect(() => F.bceWithLogits(a, a, { posWeight: pw })).toThrow(/bceWithLogits|binaryCrossEntropyWithLogits: 'posWeight' \[3\] does not broadcast to input \[4,1\]/);
    expect(() => F.huberLoss(a, a, { delta: 0 })).toThrow(ArgumentError);
    expect(() => F.smoothL1Loss(a, a, { beta: -1 })).toThrow(ArgumentError);
    dispose([a, b, ti, pw]);
  });

  it('nllLoss checks its weight and target', () => {
    const t = tensor(new Int32Array([0, 1]));
    expect(() => F.nllLoss(logits, t)).toThrow(/nllLoss: class-index target \[2\] must be \[4\]/);
    expect(() => new NLLLoss({ ignoreIndex: 0.5 })).toThrow(ArgumentError);
    t.dispose();
  });

  it('loss modules register class weights as buffers (in the state dict, as PyTorch)', () => {
    const w = tensor([1, 2, 3]);
    const m = new CrossEntropyLoss({ weight: w, labelSmoothing: 0.1 });
    const sd = m.stateDict();
    expect(Object.keys(sd)).toEqual(['weight']);
    expect(m.toString()).toBe("CrossEntropyLoss(reduction='mean')");
    const pw = new BCEWithLogitsLoss({ posWeight: w });
    const sd2 = pw.stateDict();
    expect(Object.keys(sd2)).toEqual(['pos_weight']);
    dispose([sd, sd2]);
    m.dispose();
    pw.dispose();
    // The caller's tensor survives the module.
    expect(values(w)).toEqual([1, 2, 3]);
    w.dispose();
  });
});
