// Transfer learning on small data: LeNet-5 pretrained on MNIST digits, fine-tuned on a few
// hundred Fashion-MNIST images, against the same model trained from scratch on the same images
// with the same budget, both scored on the full Fashion-MNIST test set and compared image by
// image with McNemar's test.
import { argmax, dispose, noGrad, tidy, type Tensor } from '@tensile/core';
import { DataLoader, compose, loadFashionMnist, randomCrop, randomHorizontalFlip, type TensorDataset } from '@tensile/data';
import { CrossEntropyLoss, loadWeights, type AnyModule } from '@tensile/layers';
import { freeze, lenet5Classic, paramGroups, replaceHead } from '@tensile/models';
import { Adam } from '@tensile/optimizers';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { mcnemar, type McNemarResult } from './mcnemar.js';

/** How the pretrained features are treated while fine-tuning. */
export type FeaturesMode = 'freeze' | 'finetune';

export interface TransferConfig {
  /** Fashion-MNIST training images both models learn from (the first N; default 500). */
  trainSize: number;
  /** Fashion-MNIST test images both are scored on (default 10,000: the full test set). */
  testSize: number;
  /** Passes over the training images, the same for both models (default 5: 80 steps of 32). */
  epochs: number;
  /** Images per Adam step (default 32). */
  batchSize: number;
  /** Adam's learning rate of the scratch model and of the fine-tuned classifier (default 0.003). */
  lr: number;
  /** 'freeze' the pretrained features, or 'finetune' them at lr · featuresLrScale (default). */
  features: FeaturesMode;
  /** The features' share of lr when they are fine-tuned (default 0.1: discriminative rates). */
  featuresLrScale: number;
  /** One paired comparison per seed (init of the new head and of the scratch model, batch order, augmentation). */
  seeds: readonly number[];
}

export const TRANSFER_DEFAULTS: TransferConfig = {
  trainSize: 500, testSize: 10_000, epochs: 5, batchSize: 32, lr: 0.003, features: 'finetune', featuresLrScale: 0.1, seeds: [0],
};

/** One seed's paired comparison. */
export interface TransferRun {
  seed: number;
  /** Test accuracy of the pretrained, fine-tuned model. */
  fineTuned: number;
  /** Test accuracy of the model trained from scratch. */
  scratch: number;
  /** McNemar's test, A = fine-tuned, B = scratch. */
  test: McNemarResult;
}

/** What the pretraining script recorded beside the weights (packages/models/weights/lenet5_mnist.json). */
export interface PretrainedInfo {
  trainImages: number;
  testImages: number;
  testAccuracy: number;
  epochs: number;
}

/** The committed LeNet-5 weights pretrained on MNIST and what was recorded about them. */
export function pretrainedLenet(): { path: string; bytes: Uint8Array; info: PretrainedInfo } {
  const root = dirname(createRequire(import.meta.url).resolve('@tensile/models/package.json'));
  const path = join(root, 'weights', 'lenet5_mnist.safetensors');
  const info = JSON.parse(readFileSync(join(root, 'weights', 'lenet5_mnist.json'), 'utf8')) as PretrainedInfo;
  return { path, bytes: readFileSync(path), info };
}

/**
 * Runs the comparison once per seed on the active backend; `onRun` hears each seed's result.
 * @example const runs = await transferExperiment({ ...TRANSFER_DEFAULTS, seeds: [0, 1] });
 */
export async function transferExperiment(config: TransferConfig, onRun?: (run: TransferRun) => void): Promise<TransferRun[]> {
  const { bytes } = pretrainedLenet();
  const { train, test } = await loadFashionMnist({ trainSize: config.trainSize, testSize: config.testSize });
  const loss = new CrossEntropyLoss();
  const runs: TransferRun[] = [];
  try {
    for (const seed of config.seeds) {
      const fineTuned = await trainAndScore(config, seed, train, test, loss, bytes);
      const scratch = await trainAndScore(config, seed, train, test, loss, null);
      const run = { seed, fineTuned: mean(fineTuned), scratch: mean(scratch), test: mcnemar(fineTuned, scratch) };
      runs.push(run);
      onRun?.(run);
    }
  } finally {
    train.dispose();
    test.dispose();
    loss.dispose();
  }
  return runs;
}

/**
 * Builds LeNet-5 (from the pretrained weights with a new head, or from scratch), trains it for
 * the budget, and returns which test images it gets right. Both models of a seed see the same
 * batches in the same order with the same augmentation draws.
 */
async function trainAndScore(
  config: TransferConfig, seed: number, train: TensorDataset<[Tensor, Tensor]>, test: TensorDataset<[Tensor, Tensor]>,
  loss: CrossEntropyLoss, pretrained: Uint8Array | null,
): Promise<Uint8Array> {
  const model = lenet5Classic({ seed: 1000 + seed });
  const optimizer = new Adam(pretrained ? fineTuneGroups(model, config, pretrained, seed) : model.parameters(), { lr: config.lr });
  // Fashion-MNIST photos are centred and left-right symmetric enough for flips; small shifts
  // (a 28x28 crop of the image padded by 2) add the translations 500 images lack.
  const augment = compose([randomCrop(28, { padding: 2, seed: 2000 + seed }), randomHorizontalFlip({ seed: 3000 + seed })]);
  const loader = new DataLoader(train, { batchSize: config.batchSize, shuffle: true, seed: 4000 + seed, transform: ([x, y]) => [augment(x), y] });
  try {
    model.train();
    for (let epoch = 0; epoch < config.epochs; epoch++) {
      for await (const [x, y] of loader) {
        tidy(() => loss.call(model.call(x), y).backward());
        optimizer.step();
        optimizer.zeroGrad();
        dispose([x, y]);
      }
    }
    model.eval();
    const correct = new Uint8Array(test.length);
    let at = 0;
    for await (const [x, y] of new DataLoader(test, { batchSize: 1000 })) {
      const right = noGrad(() => tidy(() => argmax(model.call(x), 1).equal(y)));
      const values = await right.data();
      correct.set(values, at);
      at += values.length;
      dispose([x, y, right]);
    }
    return correct;
  } finally {
    optimizer.dispose();
    model.dispose();
  }
}

/** Loads the MNIST weights, gives the model a new 10-class head, and the optimizer's groups. */
function fineTuneGroups(model: AnyModule & { features: AnyModule }, config: TransferConfig, weights: Uint8Array, seed: number) {
  loadWeights(model, weights);
  // Digits and clothes share the number of classes but not their meaning: a fresh head.
  replaceHead(model, 'classifier.4', { numClasses: 10, seed: 5000 + seed });
  if (config.features === 'freeze') {
    freeze(model.features);
    return paramGroups(model, [{ prefix: 'classifier', lr: config.lr }]);
  }
  return paramGroups(model, [{ prefix: 'features', lr: config.lr * config.featuresLrScale }, { prefix: 'classifier', lr: config.lr }]);
}

function mean(xs: Uint8Array): number {
  return xs.reduce((s, v) => s + v, 0) / xs.length;
}
