// clipGradNorm_ and clipGradValue_ against PyTorch (fixtures/gen.py), leaks and bad inputs.
import { ArgumentError, Tensor, keep, memory, setBackend, tensor, tidy, variable, zeros, type Variable } from '@tensile/core';
import '@tensile/backend-js/register';
import { beforeAll, describe, expect, it } from 'vitest';
import { golden } from './fixtures/golden.js';
import { clipGradNorm_, clipGradValue_ } from './index.js';
import { expectClose } from './test_utils.js';

/** float32 reductions of 10 values (PyTorch sums per tensor with its own order and FMA). */
const RTOL = 1e-6;

beforeAll(async () => {
  await setBackend('js');
});

/** Three parameters: two with the recorded gradients, one without (skipped). */
function setup(): Variable[] {
  const g = golden.clipInputs;
  const [p1, p2, p3] = tidy(() => [variable(zeros(g.g1Shape)), variable(zeros(g.g2Shape)), variable(zeros([2]))]);
  p1!.grad = keep(tensor(g.g1, g.g1Shape));
  p2!.grad = keep(tensor(g.g2, g.g2Shape));
  return [p1!, p2!, p3!];
}

describe('clipping matches PyTorch', () => {
  it.each(golden.clipCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const before = memory().tensors;
    const ps = setup();
    if (c.kind === 'norm') {
      const total = clipGradNorm_(ps, c.limit, c.normType);
      expect(total.shape).toEqual([]);
      expect(total.dtype).toBe('float32');
      expectClose(`${c.name} total norm`, total.dataSync(), [c.total!], RTOL, 0);
      total.dispose();
    } else {
      clipGradValue_(ps, c.limit);
    }
    expectClose(`${c.name} grad 1`, ps[0]!.grad!.dataSync(), c.g1, RTOL, 0);
    expectClose(`${c.name} grad 2`, ps[1]!.grad!.dataSync(), c.g2, RTOL, 0);
    expect(ps[2]!.grad).toBeNull();
    for (const p of ps) p.dispose();
    expect(memory().tensors).toBe(before);
  });

  it('returns a zero norm when no parameter has a gradient', () => {
    const p = variable(zeros([3]));
    const total = clipGradNorm_(p, 1);
    expect(Array.from(total.dataSync())).toEqual([0]);
    total.dispose();
    p.dispose();
  });

  it('accepts one tensor and replaces its grad (the old one is freed)', () => {
    const [p1, , p3] = setup();
    const old = p1!.grad!;
    clipGradValue_(p1!, 0.5);
    expect(old.isDisposed).toBe(true);
    expect(p1!.grad).toBeInstanceOf(Tensor);
    expect(Math.max(...Array.from(p1!.grad!.dataSync(), Math.abs))).toBe(0.5);
    for (const p of [p1!, p3!]) p.dispose();
  });
});

describe('clipping bad inputs throw ArgumentError naming the function, the option and the value', () => {
  const cases: [string, (ps: Variable[]) => unknown, RegExp][] = [
    ['negative maxNorm', (ps) => clipGradNorm_(ps, -1), /clipGradNorm_: option 'maxNorm' must be a number >= 0, got -1/],
    ['NaN maxNorm', (ps) => clipGradNorm_(ps, NaN), /clipGradNorm_: option 'maxNorm' must be a number >= 0, got NaN/],
    ['normType 0', (ps) => clipGradNorm_(ps, 1, 0), /clipGradNorm_: option 'normType' must be a number > 0 or Infinity, got 0/],
    ['a non-tensor param', (ps) => clipGradNorm_([ps[0]!, 3 as never], 1), /clipGradNorm_: params\[1\] must be a Tensor \(a Variable\), got 3/],
    ['negative clipValue', (ps) => clipGradValue_(ps, -0.5), /clipGradValue_: option 'clipValue' must be a number >= 0, got -0\.5/],
    ['params not a list', (_ps) => clipGradValue_('w' as never, 1), /clipGradValue_: 'params' must be a Tensor or an array of Tensors, got 'w'/],
  ];
  it.each(cases)('%s', (_name, f, message) => {
    const ps = setup();
    const before = memory().tensors;
    expect(() => f(ps)).toThrow(ArgumentError);
    expect(() => f(ps)).toThrow(message);
    expect(memory().tensors).toBe(before);
    for (const p of ps) p.dispose();
  });
});
