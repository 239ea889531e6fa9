// The same layer-level workloads in @tensorflow/tfjs-layers on tfjs-backend-cpu: LeNet-5+BN
// through model.fit, and tf.layers.lstm's forward+backward step.
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensile/core';
import { loadFashionMnist } from '@tensile/data';
import { TFJS_FIT_IMAGES, type Case } from './workloads.js';

/** Images [n, 28, 28, 1] (NHWC; one channel, so the same order as NCHW) and one-hot labels, from Tensile's loader. */
async function fashionMnist(n: number): Promise<[tf.Tensor, tf.Tensor]> {
  const { train, test } = await loadFashionMnist({ trainSize: n, testSize: 1 });
  try {
    const [images, labels] = train.tensors as [Tensor, Tensor];
    const x = tf.tensor4d(await images.data() as Float32Array, [n, 28, 28, 1]);
    const classes = Int32Array.from(await labels.data());
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d(classes, 'int32'), 10));
    return [x, y];
  } finally {
    train.dispose();
    test.dispose();
  }
}

/** LeNet-5 with BatchNorm as a tf.Sequential (softmax output, categorical cross-entropy, Adam 1e-3). */
function lenet5Bn(): tf.Sequential {
  const relu = () => tf.layers.activation({ activation: 'relu' });
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 6, kernelSize: 5, padding: 'same' }),
      tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 }), relu(), tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 16, kernelSize: 5 }),
      tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 }), relu(), tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 120, activation: 'relu' }),
      tf.layers.dense({ units: 84, activation: 'relu' }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
}

/**
 * model.fit over the first TFJS_FIT_IMAGES of an `images`-image epoch (batch `batch`, shuffled,
 * silent) after one warm-up batch; `fraction` tells the timer to scale it to the whole epoch.
 */
export async function lenetFitCase(images: number, batch: number): Promise<Case> {
  const n = Math.min(images, TFJS_FIT_IMAGES);
  const [x, y] = await fashionMnist(n);
  const model = lenet5Bn();
  const optimizer = tf.train.adam(1e-3);
  model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const epoch = async (xs: tf.Tensor, ys: tf.Tensor): Promise<void> => {
    const h = await model.fit(xs, ys, { batchSize: batch, epochs: 1, shuffle: true, verbose: 0 });
    if (!Number.isFinite(h.history.loss![0] as number)) throw new Error('tfjs LeNet-5 fit: the loss is not finite');
  };
  return {
    warmup: async () => {
      const [wx, wy] = tf.tidy(() => [x.slice(0, batch), y.slice(0, batch)]);
      try {
        await epoch(wx!, wy!);
      } finally {
        tf.dispose([wx!, wy!]);
      }
    },
    run: () => epoch(x, y),
    fraction: n / images,
    dispose: () => {
      model.dispose();
      optimizer.dispose();
      tf.dispose([x, y]);
    },
  };
}

/** loss = sum(lstm(x) * W) and its gradients w.r.t. the layer's weights, read back and freed. */
export function lstmCase(batch: number, seq: number, features: number, hidden: number): Case {
  const layer = tf.layers.lstm({ units: hidden, returnSequences: true, inputShape: [seq, features] });
  const x = tf.randomNormal([batch, seq, features], 0, 1, 'float32', 3);
  const w = tf.randomNormal([batch, seq, hidden], 0, 1, 'float32', 4);
  tf.tidy(() => { layer.apply(x); }); // builds the weights
  const vars = layer.trainableWeights.map((v) => v.read() as tf.Variable);
  return {
    async run() {
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, w)) as tf.Scalar, vars);
      await grads[vars[0]!.name]!.data();
      tf.dispose([value, ...Object.values(grads)]);
    },
    dispose: () => {
      layer.dispose();
      tf.dispose([x, w]);
    },
  };
}
