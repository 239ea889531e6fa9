// No tensor leaks: a 100-step training loop keeps memory() flat for every optimizer (with
// every kind of state switched on, clipping and a scheduler in the loop), and dispose()
// frees the optimizer's state.
import { memory, setBackend } from '@tensile/core';
import '@tensile/backend-js/register';
import { beforeAll, describe, expect, it } from 'vitest';
import { CosineAnnealingLR, clipGradNorm_, clipGradValue_ } from './index.js';
import { makeModel, makeOptimizer } from './test_utils.js';

beforeAll(async () => {
  await setBackend('js');
});

const SETUPS = [
  { optimizer: 'SGD', options: { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01, maximize: false } },
  { optimizer: 'Adagrad', options: { lr: 0.1, lrDecay: 0.01, weightDecay: 0.01, initialAccumulatorValue: 0.1 } },
  { optimizer: 'RMSprop', options: { lr: 0.01, momentum: 0.9, centered: true, weightDecay: 0.01 } },
  { optimizer: 'Adam', options: { lr: 0.01, amsgrad: true, weightDecay: 0.01, maximize: false } },
  { optimizer: 'AdamW', options: { lr: 0.01, amsgrad: true } },
] as const;

describe('memory stays flat over 100 steps', () => {
  it.each(SETUPS.map((s) => [s.optimizer, s] as const))('%s', (_name, s) => {
    const start = memory();
    const m = makeModel();
    const opt = makeOptimizer(s.optimizer, m, s.options);
    const sched = new CosineAnnealingLR(opt, { tMax: 25 });
    const step = (): void => {
      opt.zeroGrad();
      const loss = m.loss();
      loss.backward();
      loss.dispose();
      clipGradNorm_([m.w, m.b], 1).dispose();
      clipGradValue_([m.w, m.b], 0.5);
      opt.step();
      sched.step();
    };
    step();
    const after1 = memory();
    for (let i = 1; i < 100; i++) {
      step();
      expect(memory().tensors, `tensors after step ${i + 1}`).toBe(after1.tensors);
      expect(memory().bytes, `bytes after step ${i + 1}`).toBe(after1.bytes);
    }
    // Grads and state go with zeroGrad and dispose; the model's own tensors last.
    opt.zeroGrad();
    opt.dispose();
    expect(opt.state.size).toBe(0);
    m.dispose();
    expect(memory().tensors).toBe(start.tensors);
    expect(memory().bytes).toBe(start.bytes);
  });
});
