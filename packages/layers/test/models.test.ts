// Whole models against PyTorch: their state dicts (PyTorch's keys, int64 counters as int32)
// load unchanged, and the loss, every parameter's gradient, BatchNorm's running statistics
// after a training step and the evaluation output all match.
import { dispose, tidy } from '@tensile/core';
import { describe, expect, it } from 'vitest';
import { BatchNorm2d, Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential } from '../src/index.js';
import { crossEntropy } from '../src/functional.js';
import { golden } from './fixtures/golden.js';
import { T, expectClose, expectNoLeak, loadGolden, useJs } from './helpers.js';

useJs();

const tol = { rtol: 3e-4, atol: 3e-5 };

describe('models with PyTorch state dicts', () => {
  it('MLP: Sequential(Linear, ReLU, Linear) loss and gradients', () => {
    const g = golden.mlp;
    expectNoLeak(() => {
      const mlp = new Sequential(new Linear(6, 8), new ReLU(), new Linear(8, 3));
      loadGolden(mlp, g.state);
      const x = T(g.x), target = T(g.target);
      const loss = mlp.call(x);
      const l = tidy(() => crossEntropy(loss, target));
      expectClose(l, g.loss, tol, 'loss');
      l.backward();
      for (const [name, p] of mlp.namedParameters()) expectClose(p.grad, g.grads[name], tol, `grad ${name}`);
      dispose([x, target, loss, l]);
      mlp.dispose();
    });
  });

  it('CNN: Conv2d, BatchNorm2d, ReLU, MaxPool2d, Flatten, Linear in train and eval', () => {
    const g = golden.cnn;
    expectNoLeak(() => {
      const cnn = new Sequential(new Conv2d(2, 4, 3, { padding: 1 }), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(36, 5));
      const sd = cnn.stateDict();
      expect(Object.keys(sd)).toEqual(Object.keys(g.state));
      dispose(sd);
      loadGolden(cnn, g.state);
      const x = T(g.x), target = T(g.target);
      cnn.train();
      const logits = cnn.call(x);
      expectClose(logits, g.logitsTrain, tol, 'train logits');
      const loss = tidy(() => crossEntropy(logits, target));
      expectClose(loss, g.loss, tol, 'loss');
      loss.backward();
      for (const [name, p] of cnn.namedParameters()) expectClose(p.grad, g.grads[name], tol, `grad ${name}`);
      const buffers = Object.fromEntries(cnn.namedBuffers());
      for (const [name, want] of Object.entries(g.buffersAfter as Record<string, any>)) expectClose(buffers[name], want, tol, name);
      cnn.eval();
      const evalLogits = cnn.call(x);
      expectClose(evalLogits, g.logitsEval, tol, 'eval logits');
      dispose([x, target, logits, loss, evalLogits]);
      cnn.dispose();
    });
  });
});
