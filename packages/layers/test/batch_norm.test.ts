// BatchNorm against PyTorch: training steps (outputs, gradients, running statistics after
// each step with PyTorch's unbiased running variance), then evaluation with the running stats.
import { ArgumentError, ShapeError, Variable, dispose, ones, randn, tidy, variable, zeros } from '@tensile/core';
import { describe, expect, it } from 'vitest';
import { BatchNorm1d, BatchNorm2d } from '../src/index.js';
import { batchNorm } from '../src/functional.js';
import { golden } from './fixtures/golden.js';
import { T, V, expectClose, expectNoLeak, loadGolden, useJs, values } from './helpers.js';

useJs();

const tol = { rtol: 3e-4, atol: 3e-5 };

describe('BatchNorm against PyTorch', () => {
  for (const [name, c] of Object.entries(golden.batchNorm as Record<string, any>)) {
    it(name, () => {
      expectNoLeak(() => {
        const Cls = name.startsWith('BatchNorm1d') ? BatchNorm1d : BatchNorm2d;
        const m = new Cls(c.numFeatures, { momentum: c.momentum, trackRunningStats: c.trackRunningStats, affine: c.affine });
        const sd = m.stateDict();
        expect(Object.keys(sd).sort()).toEqual(Object.keys(c.state).sort());
        dispose(sd);
        loadGolden(m, c.state);
        c.steps.forEach((s: any, k: number) => {
          const x = V(s.x);
          const y = m.call(x);
          expectClose(y, s.y, tol, `step ${k} y`);
          tidy(() => y.mul(T(s.dy)).sum().backward());
          expectClose(x.grad, s.dx, tol, `step ${k} dx`);
          if (c.affine) {
            expectClose(m.weight!.grad, s.dweight, tol, `step ${k} dweight`);
            expectClose(m.bias!.grad, s.dbias, tol, `step ${k} dbias`);
          }
          if (c.trackRunningStats) {
            expectClose(m.runningMean, s.running_mean, tol, `step ${k} running_mean`);
            expectClose(m.runningVar, s.running_var, tol, `step ${k} running_var`);
            expect(m.numBatchesTracked!.dtype).toBe('int32');
            expect(values(m.numBatchesTracked!)).toEqual(s.num_batches_tracked.data);
          }
          m.zeroGrad();
          dispose([x, y]);
        });
        m.eval();
        const x = V(c.eval.x);
        const y = m.call(x);
        expectClose(y, c.eval.y, tol, 'eval y');
        tidy(() => y.mul(T(c.eval.dy)).sum().backward());
        expectClose(x.grad, c.eval.dx, tol, 'eval dx');
        dispose([x, y]);
        m.dispose();
      });
    });
  }
});

describe('BatchNorm behaviour', () => {
  it('registers PyTorch names: weight, bias, running_mean, running_var, num_batches_tracked', () => {
    const m = new BatchNorm2d(3);
    expect(m.namedParameters().map(([n]) => n)).toEqual(['weight', 'bias']);
    expect(m.namedBuffers().map(([n]) => n)).toEqual(['running_mean', 'running_var', 'num_batches_tracked']);
    expect(values(m.weight!)).toEqual([1, 1, 1]);
    expect(values(m.bias!)).toEqual([0, 0, 0]);
    expect(values(m.runningMean!)).toEqual([0, 0, 0]);
    expect(values(m.runningVar!)).toEqual([1, 1, 1]);
    expect(m.numBatchesTracked!.shape).toEqual([]);
    expect(m.runningMean!.requiresGrad).toBe(false);
    expect(m.momentum).toBe(0.1);
    expect(m.eps).toBe(1e-5);
    expect(m.toString()).toBe('BatchNorm2d(3, eps=0.00001, momentum=0.1, affine=true, track_running_stats=true)');
    m.dispose();
  });

  it('in eval uses the running statistics, not the batch\'s, and leaves them unchanged', () => {
    const m = new BatchNorm1d(2);
    const x = tidy(() => randn([64, 2], { seed: 5 }).mul(3).add(10));
    // One training step moves the running mean 10% of the way to ~10.
    tidy(() => { m.call(x); });
    const rm = values(m.runningMean!), rv = values(m.runningVar!);
    m.eval();
    const y = m.call(x);
    const want = values(x).map((v, i) => (v - rm[i % 2]!) / Math.sqrt(rv[i % 2]! + 1e-5));
    expectClose(y, want, { rtol: 1e-4, atol: 1e-4 });
    // Batch statistics would have centred the output; the running ones leave it far from 0.
    const mean = values(y).reduce((a, b) => a + b, 0) / y.size;
    expect(mean).toBeGreaterThan(2);
    expect(values(m.runningMean!)).toEqual(rm);
    expect(values(m.numBatchesTracked!)).toEqual([1]);
    dispose([x, y]);
    m.dispose();
  });

  it('typed errors name the layer and the shapes', () => {
    const m = new BatchNorm2d(3);
    const x = ones([2, 4, 5, 5]);
    expect(() => m.call(x)).toThrow(ShapeError);
    expect(() => m.call(x)).toThrow(/BatchNorm2d: x \[2,4,5,5\] has 4 channels \(dim 1\) but numFeatures is 3/);
    const x3 = ones([2, 3, 5]);
    expect(() => m.call(x3)).toThrow(/BatchNorm2d: x must be \[N, C, H, W\], got \[2,3,5\]/);
    const one = ones([1, 3]);
    expect(() => new BatchNorm1d(3).call(one)).toThrow(/expected more than 1 value per channel when training, got x \[1,3\]/);
    expect(() => new BatchNorm1d(3, { momentum: 2 })).toThrow(ArgumentError);
    dispose([x, x3, one]);
    m.dispose();
  });

  it('functional batchNorm: eval needs running stats; training updates Variables', () => {
    const x = tidy(() => randn([8, 2], { seed: 1 }));
    const rm = variable(zeros([2]), { trainable: false }), rv = variable(ones([2]), { trainable: false });
    expect(() => batchNorm(x, null, null)).toThrow(ArgumentError);
    const plain = zeros([2]);
    expect(() => batchNorm(x, plain, plain, { training: true })).toThrow(/must be Variables/);
    const y = batchNorm(x, rm, rv, { training: true, momentum: 1 });
    const xs = values(x);
    const mean0 = (xs[0]! + xs[2]! + xs[4]! + xs[6]! + xs[8]! + xs[10]! + xs[12]! + xs[14]!) / 8;
    expect(values(rm)[0]).toBeCloseTo(mean0, 5);
    expect(rm).toBeInstanceOf(Variable);
    dispose([x, rm, rv, plain, y]);
  });
});
