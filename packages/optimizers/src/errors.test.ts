// Every bad optimizer input throws a typed @tensile/core error whose message names the
// optimizer, the option and the value; nothing is half-built and nothing leaks.
import { ArgumentError, DisposedError, memory, setBackend, tensor, tidy, variable, type TensileError, type Variable } from '@tensile/core';
import '@tensile/backend-js/register';
import { beforeAll, describe, expect, it } from 'vitest';
import { Adagrad, Adam, AdamW, RMSprop, SGD } from './index.js';

beforeAll(async () => {
  await setBackend('js');
});

type Ctor = new (params: never, options?: never) => unknown;
const make = (C: unknown, params: unknown, options?: unknown) => (): unknown => new (C as Ctor)(params as never, options as never);

describe('bad optimizer inputs', () => {
  const cases: [string, (w: Variable, b: Variable) => () => unknown, new (...a: never[]) => TensileError, RegExp][] = [
    ['negative lr', (w) => make(SGD, [w], { lr: -0.1 }), ArgumentError, /^SGD: option 'lr' must be a finite number >= 0, got -0\.1$/],
    ['NaN lr', (w) => make(Adam, [w], { lr: NaN }), ArgumentError, /^Adam: option 'lr' must be a finite number >= 0, got NaN$/],
    ['string lr', (w) => make(RMSprop, [w], { lr: '0.1' }), ArgumentError, /^RMSprop: option 'lr' must be a finite number >= 0, got '0\.1'$/],
    ['Infinity lr', (w) => make(Adagrad, [w], { lr: Infinity }), ArgumentError, /^Adagrad: option 'lr' must be a finite number >= 0, got Infinity$/],
    ['negative momentum', (w) => make(SGD, [w], { momentum: -0.9 }), ArgumentError, /^SGD: option 'momentum' must be a finite number >= 0, got -0\.9$/],
    ['negative weightDecay', (w) => make(SGD, [w], { weightDecay: -1 }), ArgumentError, /^SGD: option 'weightDecay' must be a finite number >= 0, got -1$/],
    ['nesterov without momentum', (w) => make(SGD, [w], { nesterov: true }), ArgumentError, /^SGD: option 'nesterov' true needs momentum > 0 and dampening 0, got momentum 0 and dampening 0$/],
    ['nesterov with dampening', (w) => make(SGD, [w], { nesterov: true, momentum: 0.9, dampening: 0.1 }), ArgumentError, /^SGD: option 'nesterov' true needs momentum > 0 and dampening 0, got momentum 0\.9 and dampening 0\.1$/],
    ['nesterov not a boolean', (w) => make(SGD, [w], { nesterov: 'yes', momentum: 0.9 }), ArgumentError, /^SGD: option 'nesterov' must be true or false, got 'yes'$/],
    ['misspelt option', (w) => make(SGD, [w], { learningRate: 0.1 }), ArgumentError, /^SGD: unknown option 'learningRate' \(known: lr, momentum, dampening, weightDecay, nesterov, maximize\)$/],
    ['beta1 of 1', (w) => make(Adam, [w], { betas: [1, 0.999] }), ArgumentError, /^Adam: option 'betas\[0\]' must be in \[0, 1\), got 1$/],
    ['negative beta2', (w) => make(AdamW, [w], { betas: [0.9, -0.1] }), ArgumentError, /^AdamW: option 'betas\[1\]' must be in \[0, 1\), got -0\.1$/],
    ['betas not a pair', (w) => make(Adam, [w], { betas: [0.9] }), ArgumentError, /^Adam: option 'betas' must be a pair \[beta1, beta2\], got \[0\.9\]$/],
    ['negative eps', (w) => make(Adam, [w], { eps: -1e-8 }), ArgumentError, /^Adam: option 'eps' must be a finite number >= 0, got -1e-8$/],
    ['amsgrad not a boolean', (w) => make(Adam, [w], { amsgrad: 1 }), ArgumentError, /^Adam: option 'amsgrad' must be true or false, got 1$/],
    ['AdamW without decoupled decay', (w) => make(AdamW, [w], { decoupledWeightDecay: false }), ArgumentError, /^AdamW: option 'decoupledWeightDecay' is always true for AdamW, got false/],
    ['negative lrDecay', (w) => make(Adagrad, [w], { lrDecay: -0.1 }), ArgumentError, /^Adagrad: option 'lrDecay' must be a finite number >= 0, got -0\.1$/],
    ['negative initialAccumulatorValue', (w) => make(Adagrad, [w], { initialAccumulatorValue: -1 }), ArgumentError, /^Adagrad: option 'initialAccumulatorValue' must be a finite number >= 0, got -1$/],
    ['negative alpha', (w) => make(RMSprop, [w], { alpha: -0.5 }), ArgumentError, /^RMSprop: option 'alpha' must be a finite number >= 0, got -0\.5$/],
    ['centered not a boolean', (w) => make(RMSprop, [w], { centered: 'no' }), ArgumentError, /^RMSprop: option 'centered' must be true or false, got 'no'$/],
    ['options not an object', (w) => make(SGD, [w], 0.1), ArgumentError, /^SGD: options must be an object, got 0\.1$/],
    ['a plain tensor as a parameter', () => make(SGD, [tensor([1, 2])]), ArgumentError, /^SGD paramGroups\[0\]: params\[0\] must be a Variable \(make one with variable\(\)\), got Tensor\[2\]$/],
    ['a number among the parameters', (w) => make(Adam, [w, 3]), ArgumentError, /^Adam paramGroups\[0\]: params\[1\] must be a Variable \(make one with variable\(\)\), got 3$/],
    ['params not an array', (w) => make(SGD, w), ArgumentError, /^SGD: params must be an array of Variables or of parameter groups, got Tensor\[2,2\]$/],
    ['empty parameter list', () => make(SGD, []), ArgumentError, /^SGD: got an empty parameter list$/],
    ['a parameter twice', (w) => make(SGD, [w, w]), ArgumentError, /^SGD paramGroups\[0\]: params\[1\] appears twice in the group$/],
    ['a parameter in two groups', (w, b) => make(Adam, [{ params: [w, b] }, { params: [b] }]), ArgumentError, /^Adam paramGroups\[1\]: params\[0\] is already in another parameter group$/],
    ['a bad group option', (w, b) => make(Adam, [{ params: [w] }, { params: [b], lr: -1 }]), ArgumentError, /^Adam paramGroups\[1\]: option 'lr' must be a finite number >= 0, got -1$/],
    ['an unknown group option', (w) => make(SGD, [{ params: [w], Lr: 0.1 }]), ArgumentError, /^SGD paramGroups\[0\]: unknown option 'Lr'/],
    ['a group without params', () => make(SGD, [{ lr: 0.1 }]), ArgumentError, /^SGD paramGroups\[0\]: 'params' must be an array of Variables, got undefined$/],
    ['an empty group', () => make(SGD, [{ params: [] }]), ArgumentError, /^SGD paramGroups\[0\]: 'params' is empty$/],
    ['a disposed variable', (w) => { w.dispose(); return make(SGD, [w]); }, DisposedError, /^SGD paramGroups\[0\]: params\[0\] \(Tensor\[2,2\]\) is disposed$/],
  ];

  it.each(cases)('%s', (_name, build, ErrorClass, message) => {
    const [w, b] = tidy(() => [variable(tensor([[1, 2], [3, 4]])), variable(tensor([0.5]))]);
    const f = build(w!, b!);
    const before = memory().tensors;
    expect(f).toThrow(ErrorClass);
    expect(f).toThrow(message);
    expect(memory().tensors).toBe(before);
    w!.dispose();
    b!.dispose();
  });

  it('a disposed optimizer cannot step', () => {
    const w = tidy(() => variable(tensor([1])));
    const opt = new SGD([w]);
    opt.dispose();
    expect(() => opt.step()).toThrow(DisposedError);
    expect(() => opt.step()).toThrow(/^SGD\.step: the optimizer was disposed$/);
    w.dispose();
  });
});
