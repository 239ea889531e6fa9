import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArgumentError, TensileError, type Tensor } from '@tensile/core';
import { DatasetNotFoundError } from './errors.js';
import { FASHION_MNIST_DIR, FASHION_MNIST_FILES, loadFashionMnist } from './fashion_mnist.js';
import type { ImageSplits } from './tensors.js';
import { useBackend } from './test_utils.js';

useBackend();

// Expected values were read from the Debian package's files independently of this code, with
// Python's gzip module (IDX header: 16 bytes for images, 8 for labels), e.g.
//   python3 -c "import gzip; b = gzip.open('/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz').read()[16:]; print(b[14*28+12])"
// train image 0: pixel (14, 12) = 237, pixel sum 76247; image 1: pixel (10, 10) = 252;
// image 59999: pixel 509 (row 18, col 5) = 255, pixel 400 = 129;
// test image 0: pixel (14, 12) = 98, sum 33456; test image 9999: pixel (14, 14) = 132, sum 24390;
// train labels: first ten 9 0 0 3 0 2 7 2 5 5, label 1000 = 1, the last = 5, 6000 of each class;
// test labels: first ten 9 2 1 1 6 1 4 6 5 7, the last = 5, 1000 of each class.
const px = (values: ArrayLike<number>, image: number, index: number): number => values[image * 784 + index]!;

describe('loadFashionMnist (the files of Debian dataset-fashion-mnist)', () => {
  let data: ImageSplits;
  let trainX: Float32Array, trainY: Int32Array, testX: Float32Array, testY: Int32Array;

  beforeAll(async () => {
    data = await loadFashionMnist();
    [trainX, trainY] = data.train.tensors.map((t) => t.dataSync()) as [Float32Array, Int32Array];
    [testX, testY] = data.test.tensors.map((t) => t.dataSync()) as [Float32Array, Int32Array];
  }, 60000);
  afterAll(() => {
    data?.train.dispose();
    data?.test.dispose();
  });

  it('installs its four files where the loader looks', () => {
    expect(FASHION_MNIST_DIR).toBe('/usr/share/datasets/fashion-mnist');
    expect(Object.values(FASHION_MNIST_FILES)).toEqual([
      'train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz',
    ]);
  });

  it('has 60000 training and 10000 test samples: float32 [N, 1, 28, 28] images and int32 [N] labels', () => {
    expect(data.train.length).toBe(60000);
    expect(data.test.length).toBe(10000);
    const desc = (ts: Tensor[]) => ts.map((t) => `${t.dtype}[${t.shape.join(',')}]`);
    expect(desc(data.train.tensors)).toEqual(['float32[60000,1,28,28]', 'int32[60000]']);
    expect(desc(data.test.tensors)).toEqual(['float32[10000,1,28,28]', 'int32[10000]']);
  });

  it('scales pixels to [0, 1] as byte / 255', () => {
    let min = Infinity, max = -Infinity;
    for (let i = 0; i < trainX.length; i++) { const v = trainX[i]!; if (v < min) min = v; if (v > max) max = v; }
    expect([min, max]).toEqual([0, 1]);
    expect(px(trainX, 0, 14 * 28 + 12)).toBe(Math.fround(237 / 255));
    expect(px(trainX, 1, 10 * 28 + 10)).toBe(Math.fround(252 / 255));
    expect(px(trainX, 59999, 509)).toBe(1);
    expect(px(trainX, 59999, 400)).toBe(Math.fround(129 / 255));
    expect(px(testX, 0, 14 * 28 + 12)).toBe(Math.fround(98 / 255));
    expect(px(testX, 9999, 14 * 28 + 14)).toBe(Math.fround(132 / 255));
    const sum = (x: Float32Array, image: number) => x.subarray(image * 784, (image + 1) * 784).reduce((a, v) => a + Math.round(v * 255), 0);
    expect(sum(trainX, 0)).toBe(76247);
    expect(sum(testX, 0)).toBe(33456);
    expect(sum(testX, 9999)).toBe(24390);
  });

  it('has labels 0..9, balanced, with the known first and last values', () => {
    const counts = (y: Int32Array) => Array.from({ length: 10 }, (_, c) => y.filter((v) => v === c).length);
    expect(counts(trainY)).toEqual(Array(10).fill(6000));
    expect(counts(testY)).toEqual(Array(10).fill(1000));
    expect(Array.from(trainY.subarray(0, 10))).toEqual([9, 0, 0, 3, 0, 2, 7, 2, 5, 5]);
    expect([trainY[1000], trainY[59999]]).toEqual([1, 5]);
    expect(Array.from(testY.subarray(0, 10))).toEqual([9, 2, 1, 1, 6, 1, 4, 6, 5, 7]);
    expect(testY[9999]).toBe(5);
  });

  it('trainSize / testSize keep the first N samples', async () => {
    const small = await loadFashionMnist({ trainSize: 3, testSize: 0 });
    try {
      expect(small.train.tensors[0].shape).toEqual([3, 1, 28, 28]);
      expect(small.test.tensors.map((t) => t.shape)).toEqual([[0, 1, 28, 28], [0]]);
      expect(Array.from(small.train.tensors[1].dataSync())).toEqual([9, 0, 0]);
      expect(Array.from(small.train.tensors[0].dataSync())).toEqual(Array.from(trainX.subarray(0, 3 * 784)));
    } finally {
      small.train.dispose();
      small.test.dispose();
    }
  });
});

describe('loadFashionMnist errors', () => {
  it('names the Debian package and its install command when the files are missing', async () => {
    const err = await loadFashionMnist({ dir: '/nonexistent/fashion-mnist', trainSize: 1, testSize: 1 }).catch((e) => e);
    expect(err).toBeInstanceOf(DatasetNotFoundError);
    expect(err).toBeInstanceOf(TensileError);
    expect(err.name).toBe('DatasetNotFoundError');
    expect(err.packageName).toBe('dataset-fashion-mnist');
    expect(err.installCommand).toBe('sudo apt-get install dataset-fashion-mnist');
    expect(err.path).toMatch(/^\/nonexistent\/fashion-mnist\/(train|t10k)-(images-idx3|labels-idx1)-ubyte\.gz$/);
    expect(err.message).toMatch(/^loadFashionMnist: \/nonexistent\/fashion-mnist\/.*ubyte\.gz is missing: .*Debian package 'dataset-fashion-mnist'; install it with `sudo apt-get install dataset-fashion-mnist`/);
  });

  it.each([
    [{ trainSize: 60001 }, /loadFashionMnist: trainSize must be at most 60000 \(the samples there are\), got 60001/],
    [{ testSize: -1 }, /loadFashionMnist: testSize must be an integer >= 0, got -1/],
    [{ trainSize: 2.5 }, /loadFashionMnist: trainSize must be an integer >= 0, got 2.5/],
    [{ dir: 3 }, /loadFashionMnist: dir must be a string, got 3/],
    ['all', /loadFashionMnist: options must be an object, got "all"/],
  ])('rejects options %j with ArgumentError', async (options, message) => {
    const p = loadFashionMnist(options as never);
    await expect(p).rejects.toThrow(ArgumentError);
    await expect(p).rejects.toThrow(message);
  });
});
