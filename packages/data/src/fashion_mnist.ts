// Fashion-MNIST (Zalando, MIT) from Debian's `dataset-fashion-mnist` package: 60,000 training
// and 10,000 test images of 28x28 clothes in 10 classes, as gzipped IDX files.
import { ArgumentError, ShapeError, fmt, type Tensor } from '@tensile/core';
import { checkOptions, describe } from './check.js';
import { DatasetNotFoundError } from './errors.js';
import { decodeIdx, type IdxArray } from './idx.js';
import { TensorDataset } from './tensor_dataset.js';
import { imagesToTensor, labelsToTensor, subsetSize, type ImageDatasetOptions, type ImageSplits } from './tensors.js';

/** Where `dataset-fashion-mnist` installs the files. */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** The Debian package that provides the files, and how to install it. */
export const FASHION_MNIST_PACKAGE = 'dataset-fashion-mnist';
export const FASHION_MNIST_INSTALL = 'sudo apt-get install dataset-fashion-mnist';

/** The four files of the dataset, as the Debian package names them. */
export const FASHION_MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte.gz',
  trainLabels: 'train-labels-idx1-ubyte.gz',
  testImages: 't10k-images-idx3-ubyte.gz',
  testLabels: 't10k-labels-idx1-ubyte.gz',
} as const;

/** The class names, by label. */
export const FASHION_MNIST_CLASSES = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
] as const;

export interface FashionMnistOptions extends ImageDatasetOptions {
  /** The directory of the four .gz files (default FASHION_MNIST_DIR). */
  dir?: string;
}

/**
 * Loads Fashion-MNIST from the files of Debian's `dataset-fashion-mnist` (Node only; nothing is
 * downloaded). Throws DatasetNotFoundError, naming the package and its install command, when
 * the files are missing. Only the head of each file is decompressed for a subset.
 * @example const { train, test } = await loadFashionMnist({ trainSize: 1000 }); // train.tensors: [[1000,1,28,28], [1000]]
 */
export async function loadFashionMnist(options?: FashionMnistOptions): Promise<ImageSplits> {
  const fn = 'loadFashionMnist';
  const o = checkOptions(fn, options);
  const dir = o.dir ?? FASHION_MNIST_DIR;
  if (typeof dir !== 'string') throw new ArgumentError(`${fn}: dir must be a string, got ${describe(dir)}`);
  const trainN = subsetSize(fn, 'trainSize', o.trainSize, 60000);
  const testN = subsetSize(fn, 'testSize', o.testSize, 10000);
  const f = FASHION_MNIST_FILES;
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all([
    readIdx(fn, dir, f.trainImages, trainN), readIdx(fn, dir, f.trainLabels, trainN),
    readIdx(fn, dir, f.testImages, testN), readIdx(fn, dir, f.testLabels, testN),
  ]);
  check(fn, trainImages, trainLabels, trainN, 'train');
  check(fn, testImages, testLabels, testN, 'test');
  return { train: toDataset(trainImages, trainLabels, trainN), test: toDataset(testImages, testLabels, testN) };
}

async function readIdx(fn: string, dir: string, file: string, limit: number): Promise<IdxArray> {
  const { readFile } = await import('node:fs/promises');
  const path = `${dir.replace(/\/+$/, '')}/${file}`;
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
    throw new DatasetNotFoundError(
      `${fn}: ${path} is missing: Fashion-MNIST comes from the Debian package '${FASHION_MNIST_PACKAGE}'; ` +
      `install it with \`${FASHION_MNIST_INSTALL}\` (nothing is downloaded at run time)`,
      path, FASHION_MNIST_PACKAGE, FASHION_MNIST_INSTALL, { cause: err });
  }
  return decodeIdx(bytes, { limit });
}

/** Checks that the decoded files hold n 28x28 uint8 images and n uint8 labels. */
function check(fn: string, images: IdxArray, labels: IdxArray, n: number, name: string): void {
  if (images.dtype !== 'uint8' || images.shape.length !== 3 || images.shape[0] !== n || images.shape[1] !== 28 || images.shape[2] !== 28) {
    throw new ShapeError(`${fn}: the ${name} images are ${images.dtype} ${fmt(images.shape)}, expected uint8 [${n},28,28]`);
  }
  if (labels.dtype !== 'uint8' || labels.shape.length !== 1 || labels.shape[0] !== n) {
    throw new ShapeError(`${fn}: the ${name} labels are ${labels.dtype} ${fmt(labels.shape)}, expected uint8 [${n}]`);
  }
}

function toDataset(images: IdxArray, labels: IdxArray, n: number): TensorDataset<[Tensor, Tensor]> {
  return new TensorDataset<[Tensor, Tensor]>(imagesToTensor(images.data as Uint8Array, n, 28, 28), labelsToTensor(labels.data, n));
}
