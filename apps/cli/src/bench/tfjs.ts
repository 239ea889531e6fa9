// The same workloads on TensorFlow.js's CPU backend (NHWC activations, HWIO filters).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// tfjs-core's Node bundle registers no gradients; the union package's bundle registers them all.
import '@tensorflow/tfjs';
import { lenetFitCase, lstmCase } from './tfjs_layers.js';
import { BENCH_LR, labelsFor, type Case, type Spec } from './workloads.js';

/** Activates tfjs's 'cpu' backend in production mode (no debug checks, no console notices). */
export async function initTfjs(): Promise<string> {
  tf.enableProdMode();
  if (!(await tf.setBackend('cpu'))) throw new Error("tfjs: backend 'cpu' failed to initialise");
  await tf.ready();
  return `tfjs ${tf.version_core} ${tf.getBackend()}`;
}

/**
 * Activates tfjs-backend-wasm (XNNPACK) with SIMD on one thread, its .wasm files read from its
 * package directory; returns a description.
 */
export async function initTfjsWasm(): Promise<string> {
  const { setThreadsCount, setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
  const { createRequire } = await import('node:module');
  const { dirname } = await import('node:path');
  setThreadsCount(1);
  setWasmPaths(`${dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'))}/`);
  tf.enableProdMode();
  if (!(await tf.setBackend('wasm'))) throw new Error("tfjs: backend 'wasm' failed to initialise");
  await tf.ready();
  return `tfjs ${tf.version_core} wasm (SIMD ${tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? 'on' : 'off'}, 1 thread)`;
}

/** Live tfjs tensors (to check the workloads free what they make). */
export function tfjsTensors(): number {
  return tf.memory().numTensors;
}

/** Builds `spec` on tfjs. */
export function buildTfjs(spec: Spec): Case | Promise<Case> {
  switch (spec.kind) {
    case 'matmul': {
      const a = tf.randomNormal([spec.n, spec.n], 0, 1, 'float32', 1), b = tf.randomNormal([spec.n, spec.n], 0, 1, 'float32', 2);
      return forwardCase([a, b], () => tf.matMul(a, b, spec.transposeA ?? false, spec.transposeB ?? false));
    }
    case 'conv2d': {
      const x = tf.randomNormal([spec.batch, spec.size, spec.size, spec.cin], 0, 1, 'float32', 1);
      const w = tf.randomNormal([spec.k, spec.k, spec.cin, spec.cout], 0, 1, 'float32', 2);
      return forwardCase([x, w], () => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, spec.stride ?? 1, spec.pad));
    }
    case 'gradMatmul': {
      const a = tf.randomNormal([spec.n, spec.n], 0, 1, 'float32', 1), b = tf.randomNormal([spec.n, spec.n], 0, 1, 'float32', 2);
      const g = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.matMul(x, y)));
      return {
        async run() {
          const [da, db] = g([a, b]);
          await Promise.all([da!.data(), db!.data()]);
          tf.dispose([da!, db!]);
        },
        dispose: () => tf.dispose([a, b]),
      };
    }
    case 'tiny': {
      const a = tf.tensor1d([1, 2, 3, 4]), b = tf.tensor1d([5, 6, 7, 8]);
      return forwardCase([a, b], () => tf.add(a, b));
    }
    case 'add': {
      const a = tf.randomNormal([spec.size], 0, 1, 'float32', 1), b = tf.randomNormal([spec.size], 0, 1, 'float32', 2);
      return forwardCase([a, b], () => tf.add(a, b));
    }
    case 'softmax': {
      const x = tf.randomNormal([spec.rows, spec.cols], 0, 1, 'float32', 1);
      return forwardCase([x], () => tf.softmax(x, -1));
    }
    case 'lenet':
      return trainCase(spec.batch, [spec.batch, 28, 28, 1], lenetParams(), lenetForward);
    case 'mlp':
      return trainCase(spec.batch, [spec.batch, spec.sizes[0]!], denseParams(spec.sizes), mlpForward);
    case 'lenetFit':
      return lenetFitCase(spec.images, spec.batch);
    case 'lstm':
      return lstmCase(spec.batch, spec.seq, spec.features, spec.hidden);
  }
}

function forwardCase(inputs: tf.Tensor[], f: () => tf.Tensor): Case {
  return {
    async run() {
      const y = f();
      await y.data();
      y.dispose();
    },
    dispose: () => tf.dispose(inputs),
  };
}

type Forward = (x: tf.Tensor, params: tf.Variable[]) => tf.Tensor;

/** One step: forward, loss, backward (variableGrads) and the SGD update, then reads loss and a weight back. */
function trainCase(batch: number, xShape: number[], params: tf.Variable[], net: Forward): Case {
  const x = tf.randomNormal(xShape, 0, 1, 'float32', 3);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(labelsFor(batch, 10), 'int32'), 10));
  const lossFn = (): tf.Scalar => {
    const logits = net(x, params);
    return tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(logits, -1), y), -1))) as tf.Scalar;
  };
  return {
    async run() {
      const loss = tf.tidy(() => {
        const { value, grads } = tf.variableGrads(lossFn, params);
        for (const p of params) p.assign(tf.sub(p, tf.mul(grads[p.name]!, BENCH_LR)));
        return value;
      });
      await loss.data();
      loss.dispose();
      await params[0]!.data();
    },
    dispose: () => tf.dispose([x, y, ...params]),
  };
}

/** He-normal weight of `shape` with `fanIn` inputs per output, as a variable. */
function weight(shape: number[], fanIn: number, seed: number): tf.Variable {
  return tf.tidy(() => tf.variable(tf.randomNormal(shape, 0, Math.sqrt(2 / fanIn), 'float32', seed)));
}

function bias(n: number): tf.Variable {
  return tf.tidy(() => tf.variable(tf.zeros([n])));
}

function lenetParams(): tf.Variable[] {
  return [
    weight([5, 5, 1, 6], 25, 10), bias(6), weight([5, 5, 6, 16], 150, 11), bias(16),
    ...denseParams([400, 120, 84, 10], 12),
  ];
}

function denseParams(sizes: number[], seed = 20): tf.Variable[] {
  return sizes.slice(1).flatMap((out, i) => [weight([sizes[i]!, out], sizes[i]!, seed + i), bias(out)]);
}

function mlpForward(x: tf.Tensor, ps: tf.Variable[]): tf.Tensor {
  let h = x;
  for (let i = 0; i < ps.length; i += 2) {
    // tfjs's own fused path, as tf.layers.dense uses.
    h = tf.fused.matMul({ a: h as tf.Tensor2D, b: ps[i]! as tf.Tensor2D, bias: ps[i + 1]!, activation: i + 2 < ps.length ? 'relu' : 'linear' });
  }
  return h;
}

function lenetForward(x: tf.Tensor, ps: tf.Variable[]): tf.Tensor {
  const [c1, b1, c2, b2, ...dense] = ps as [tf.Variable, tf.Variable, tf.Variable, tf.Variable, ...tf.Variable[]];
  const conv = (h: tf.Tensor, w: tf.Variable, b: tf.Variable, pad: 'valid' | number) =>
    tf.maxPool(tf.relu(tf.add(tf.conv2d(h as tf.Tensor4D, w as tf.Tensor4D, 1, pad), b)) as tf.Tensor4D, 2, 2, 'valid');
  const h2 = conv(conv(x, c1, b1, 2), c2, b2, 'valid');
  return mlpForward(tf.reshape(h2, [h2.shape[0], -1]), dense);
}
