// The layer-level workloads on Tensile: a fit() epoch of LeNet-5+BN on Fashion-MNIST, and an
// LSTM forward+backward step, through @tensile/layers as a user writes them.
import { randn, tidy, type Tensor } from '@tensile/core';
import { DataLoader, loadFashionMnist } from '@tensile/data';
import { LSTM, fit } from '@tensile/layers';
import { crossEntropy } from '@tensile/layers/functional';
import { Adam } from '@tensile/optimizers';
import { lenet5Modern } from '@tensile/models';
import { FIT_WARMUP_IMAGES, type Case } from './workloads.js';

/** One epoch of fit() (Adam lr 1e-3, accuracy metric, shuffled) over `images` training images. */
export async function lenetFitCase(images: number, batch: number): Promise<Case> {
  const { train, test } = await loadFashionMnist({ trainSize: images, testSize: 1 });
  test.dispose();
  const warm = await loadFashionMnist({ trainSize: FIT_WARMUP_IMAGES, testSize: 1 });
  warm.test.dispose();
  const model = lenet5Modern({ seed: 1 });
  const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
  const epoch = async (data: typeof train): Promise<void> => {
    await fit(model, new DataLoader(data, { batchSize: batch, shuffle: true, seed: 1 }), { optimizer, loss: crossEntropy, epochs: 1, metrics: ['accuracy'] });
  };
  return {
    warmup: () => epoch(warm.train),
    run: () => epoch(train),
    dispose: () => {
      model.dispose();
      optimizer.dispose();
      train.dispose();
      warm.train.dispose();
    },
  };
}

/** loss = sum(lstm(x) * W) and its backward into the parameters' grads, which are read and cleared. */
export function lstmCase(batch: number, seq: number, features: number, hidden: number): Case {
  const lstm = new LSTM(features, hidden, { batchFirst: true, seed: 1 });
  const x = randn([batch, seq, features], { seed: 3 });
  const w = randn([batch, seq, hidden], { seed: 4 });
  const params = lstm.parameters();
  return {
    async run() {
      tidy(() => {
        const [out] = lstm.call(x) as [Tensor, unknown];
        out.mul(w).sum().backward();
      });
      await params[0]!.grad!.data();
      for (const p of params) p.zeroGrad();
    },
    dispose: () => {
      lstm.dispose();
      x.dispose();
      w.dispose();
    },
  };
}
