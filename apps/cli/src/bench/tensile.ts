// The workloads on Tensile (NCHW activations, OIHW filters).
import {
  conv2d, fusedMatMul, grad, matmul, maxPool2d, randn, softmax, tensor, tidy, valueAndGrad, variable, zeros, type Tensor, type Variable,
} from '@tensile/core';
import { crossEntropy, sgdStep } from '../mlp.js';
import { lenetFitCase, lstmCase } from './tensile_layers.js';
import { BENCH_LR, labelsFor, type Case, type Spec } from './workloads.js';

/** Builds `spec` on the active Tensile backend. */
export function buildTensile(spec: Spec): Case | Promise<Case> {
  switch (spec.kind) {
    case 'matmul': {
      const a = randn([spec.n, spec.n], { seed: 1 }), b = randn([spec.n, spec.n], { seed: 2 });
      const opts = { transposeA: spec.transposeA ?? false, transposeB: spec.transposeB ?? false };
      return forwardCase([a, b], () => matmul(a, b, opts));
    }
    case 'conv2d': {
      const x = randn([spec.batch, spec.cin, spec.size, spec.size], { seed: 1 });
      const w = randn([spec.cout, spec.cin, spec.k, spec.k], { seed: 2 });
      return forwardCase([x, w], () => conv2d(x, w, { padding: spec.pad, stride: spec.stride ?? 1 }));
    }
    case 'gradMatmul': {
      const a = randn([spec.n, spec.n], { seed: 1 }), b = randn([spec.n, spec.n], { seed: 2 });
      const g = grad((x: Tensor, y: Tensor) => x.matmul(y).sum());
      return {
        async run() {
          const [da, db] = g(a, b);
          await Promise.all([da!.data(), db!.data()]);
          da!.dispose();
          db!.dispose();
        },
        dispose: () => [a, b].forEach((t) => t.dispose()),
      };
    }
    case 'tiny': {
      const a = tensor([1, 2, 3, 4]), b = tensor([5, 6, 7, 8]);
      return forwardCase([a, b], () => a.add(b));
    }
    case 'add': {
      const a = randn([spec.size], { seed: 1 }), b = randn([spec.size], { seed: 2 });
      return forwardCase([a, b], () => a.add(b));
    }
    case 'softmax': {
      const x = randn([spec.rows, spec.cols], { seed: 1 });
      return forwardCase([x], () => softmax(x, -1));
    }
    case 'lenet':
      return trainCase(spec.batch, [spec.batch, 1, 28, 28], lenetParams(), lenetForward);
    case 'mlp':
      return trainCase(spec.batch, [spec.batch, spec.sizes[0]!], denseParams(spec.sizes), mlpForward);
    case 'lenetFit':
      return lenetFitCase(spec.images, spec.batch);
    case 'lstm':
      return lstmCase(spec.batch, spec.seq, spec.features, spec.hidden);
  }
}

function forwardCase(inputs: Tensor[], f: () => Tensor): Case {
  return {
    async run() {
      const y = f();
      await y.data();
      y.dispose();
    },
    dispose: () => inputs.forEach((t) => t.dispose()),
  };
}

type Forward = (x: Tensor, params: Tensor[]) => Tensor;

/** One step: forward, loss, backward (valueAndGrad) and the SGD update, then reads loss and a weight back. */
function trainCase(batch: number, xShape: number[], params: Variable[], net: Forward): Case {
  const x = randn(xShape, { seed: 3 });
  const y = tensor(labelsFor(batch, 10), [batch], 'int32');
  const lossFn = (...ps: Tensor[]) => crossEntropy(net(x, ps), y);
  return {
    async run() {
      const loss = tidy(() => {
        const { value, grads } = valueAndGrad(lossFn)(...params);
        sgdStep(params, grads, BENCH_LR);
        return value;
      });
      await loss.data();
      loss.dispose();
      await params[0]!.data();
    },
    dispose: () => [x, y, ...params].forEach((t) => t.dispose()),
  };
}

/** He-normal weight of `shape` with `fanIn` inputs per output, as a variable. */
function weight(shape: number[], fanIn: number, seed: number): Variable {
  return tidy(() => variable(randn(shape, { seed, std: Math.sqrt(2 / fanIn) })));
}

function bias(n: number): Variable {
  return tidy(() => variable(zeros([n])));
}

function lenetParams(): Variable[] {
  return [
    weight([6, 1, 5, 5], 25, 10), bias(6), weight([16, 6, 5, 5], 150, 11), bias(16),
    ...denseParams([400, 120, 84, 10], 12),
  ];
}

function denseParams(sizes: number[], seed = 20): Variable[] {
  return sizes.slice(1).flatMap((out, i) => [weight([sizes[i]!, out], sizes[i]!, seed + i), bias(out)]);
}

function mlpForward(x: Tensor, ps: Tensor[]): Tensor {
  let h = x;
  for (let i = 0; i < ps.length; i += 2) {
    h = fusedMatMul(h, ps[i]!, { bias: ps[i + 1]!, activation: i + 2 < ps.length ? 'relu' : 'linear' });
  }
  return h;
}

function lenetForward(x: Tensor, ps: Tensor[]): Tensor {
  const [c1, b1, c2, b2, ...dense] = ps as [Tensor, Tensor, Tensor, Tensor, ...Tensor[]];
  const h1 = maxPool2d(conv2d(x, c1, { bias: b1, padding: 2 }).relu(), { kernelSize: 2 });
  const h2 = maxPool2d(conv2d(h1, c2, { bias: b2 }).relu(), { kernelSize: 2 });
  return mlpForward(h2.flatten(1), dense);
}
