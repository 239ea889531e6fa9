// The training command's loop on small subsets: far above chance, the loss read back once per
// logging interval (never synchronously), no tensor outliving an epoch, and a safetensors file
// that loads back into fresh models with identical outputs.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dispose, memory, noGrad, Tensor, tidy } from '@tensile/core';
import { DataLoader, loadFashionMnist } from '@tensile/data';
import { evaluate, loadWeights, parseSafetensorsHeader } from '@tensile/layers';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { buildModel } from './models.js';
import { defaultOut, train } from './train.js';

const tmp = mkdtempSync(join(tmpdir(), 'tensile-train-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(() => {
  vi.restoreAllMocks();
});

describe('train', () => {
  it('trains LeNet-5 on a Fashion-MNIST subset far above chance, with flat memory, reading the loss once per interval', async () => {
    const data = vi.spyOn(Tensor.prototype, 'data');
    const dataSync = vi.spyOn(Tensor.prototype, 'dataSync');
    const lines: string[] = [];
    const before = memory().tensors;
    const out = join(tmp, 'lenet5.safetensors');
    // 1280 images / batch 64 = 20 steps an epoch, read in intervals of 6: after steps 6, 12, 18 and 20.
    const r = await train({ epochs: 2, trainSize: 1280, testSize: 1000, logEvery: 6, progress: false, log: (l) => lines.push(l), out });
    expect(r.epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(r.losses).toHaveLength(2 * 4);
    // Each epoch's loss is the mean over its 1280 images: the interval means weighted by their steps.
    r.epochs.forEach((e, i) => {
      const [a, b, c, last] = r.losses.slice(4 * i, 4 * i + 4) as [number, number, number, number];
      expect(e.loss).toBeCloseTo(((a + b + c) * 6 + last * 2) / 20, 5);
    });
    expect(r.losses.at(-1)!).toBeLessThan(r.losses[0]! * 0.6);
    // 67-74% over seeds 1-3. Chance is 10%; 1000 test images make 60% impossible without learning (p < 1e-300).
    expect(r.testAccuracy).toBeGreaterThan(0.6);
    expect(r.epochs[1]!.testAccuracy).toBe(r.testAccuracy);
    // Reads: 4 intervals and 1 test pass per epoch, then one per state-dict tensor to save the weights.
    const stateEntries = parseSafetensorsHeader(readFileSync(out)).entries.length;
    expect(stateEntries).toBe(20);
    expect(data).toHaveBeenCalledTimes(2 * (4 + 1) + stateEntries);
    expect(dataSync).not.toHaveBeenCalled();
    // Adam's state appears at the first step; after that nothing accumulates, and at the end all is freed.
    expect(r.epochs[1]!.tensors).toBe(r.epochs[0]!.tensors);
    expect(memory().tensors).toBe(before);
    expect(lines[0]).toBe('backend: wasm');
    expect(lines[1]).toMatch(/^data: 1280 train \/ 1000 test Fashion-MNIST images; LeNet-5 with BatchNorm \(61,750 parameters\)/);
    expect(lines.filter((l) => /^epoch [12]\/2 {2}loss \d\.\d{4} {2}train acc [\d.]+% {2}test loss/.test(l))).toHaveLength(2);
  }, 120_000);

  it('saves weights that load into fresh models with identical outputs and the reported test accuracy', async () => {
    const out = join(tmp, 'lenet5.safetensors');
    const bytes = readFileSync(out);
    const header = parseSafetensorsHeader(bytes);
    expect(header.metadata).toMatchObject({ format: 'pt', model: 'lenet5', dataset: 'fashion-mnist', epochs: '2' });
    expect(header.entries.map((e) => e.name)).toContain('features.1.running_mean');
    const { test, train: trainSet } = await loadFashionMnist({ trainSize: 1, testSize: 1000 });
    const a = buildModel('lenet5', 7), b = buildModel('lenet5', 8);
    loadWeights(a, bytes);
    loadWeights(b, bytes);
    const { accuracy } = await evaluate(a, new DataLoader(test, { batchSize: 500 }), { metrics: ['accuracy'] });
    expect(accuracy).toBe(Number(header.metadata!.testAccuracy));
    a.eval();
    b.eval();
    const x = tidy(() => test.getItems!(Int32Array.from({ length: 16 }, (_, i) => i))[0]!);
    const [ya, yb] = noGrad(() => [a.call(x), b.call(x)]);
    expect(Array.from(ya!.dataSync())).toEqual(Array.from(yb!.dataSync()));
    dispose([x, ya!, yb!]);
    a.dispose();
    b.dispose();
    test.dispose();
    trainSet.dispose();
  }, 60_000);

  it('trains the MLP on the MNIST digits far above chance', async () => {
    const r = await train({ model: 'mlp', dataset: 'mnist', epochs: 1, trainSize: 2000, testSize: 1000, progress: false, log: () => {}, out: join(tmp, 'mlp.safetensors') });
    expect(r.testAccuracy).toBeGreaterThan(0.6); // 0.76-0.78 over seeds 1-3; chance is 0.1
    expect(r.epochs).toHaveLength(1);
  }, 60_000);

  it('names the default weights file after the model and the data set', () => {
    expect(defaultOut('lenet5', 'fashion-mnist')).toBe('lenet5-fashion-mnist.safetensors');
  });
});
