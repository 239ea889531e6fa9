// The committed LeNet-5 weights pretrained on MNIST (scripts/pretrain_lenet_mnist.mjs): they
// load into lenet5Classic, and score on the 2,000 held-out digits what the script recorded.
import { argmax, dispose, noGrad, tidy } from '@tensile/core';
import { DataLoader, loadMnist } from '@tensile/data';
import { loadWeights, parseSafetensorsHeader } from '@tensile/layers';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lenet5Classic } from '../src/index.js';
import { expectNoLeak, useBackend } from './helpers.js';

const bytes = readFileSync(new URL('../weights/lenet5_mnist.safetensors', import.meta.url));
const info = JSON.parse(readFileSync(new URL('../weights/lenet5_mnist.json', import.meta.url), 'utf8')) as {
  testAccuracy: number; testImages: number; trainFraction: number; splitSeed: number;
};

describe('weights/lenet5_mnist.safetensors', () => {
  it('holds the 10 float32 tensors of lenet5Classic (61,706 values)', () => {
    const header = parseSafetensorsHeader(bytes);
    const entries = header.entries;
    expect(entries.map((e) => e.name).sort()).toEqual([
      'classifier.0.bias', 'classifier.0.weight', 'classifier.2.bias', 'classifier.2.weight', 'classifier.4.bias', 'classifier.4.weight',
      'features.0.bias', 'features.0.weight', 'features.3.bias', 'features.3.weight',
    ]);
    expect(entries.every((e) => e.dtype === 'F32')).toBe(true);
    expect(entries.reduce((n, e) => n + e.shape.reduce((a, b) => a * b, 1), 0)).toBe(61_706);
  });

  it('scores the recorded accuracy on the held-out MNIST digits (wasm, where it was trained)', async () => {
    await useBackend('wasm');
    const { train, test } = await loadMnist({ trainSize: 0, trainFraction: info.trainFraction, seed: info.splitSeed });
    await expectNoLeak(async () => {
      const model = lenet5Classic();
      loadWeights(model, bytes);
      model.eval();
      let right = 0;
      for await (const [x, y] of new DataLoader(test, { batchSize: 500 })) {
        const hits = noGrad(() => tidy(() => argmax(model.call(x), 1).equal(y).cast('int32').sum()));
        right += hits.dataSync()[0]!;
        dispose([x, y, hits]);
      }
      expect(test.length).toBe(info.testImages);
      expect(right / test.length).toBeCloseTo(info.testAccuracy, 3);
      expect(right / test.length).toBeGreaterThan(0.95);
      model.dispose();
    });
    train.dispose();
    test.dispose();
  }, 30_000);
});
