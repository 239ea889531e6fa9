// A multilayer perceptron from a list of hidden widths (Rumelhart, Hinton & Williams 1986).
import { ArgumentError } from '@tensile/core';
import { Dropout, Flatten, Linear, Sequential, type TensorModule } from '@tensile/layers';
import { activationLayer, checkActivation, type ActivationName } from './activation.js';
import { layerSeeds } from './seeds.js';

export interface MLPConfig {
  /** Features of one example after flattening (default 784, a 28x28 image). */
  inFeatures?: number;
  /** Widths of the hidden layers, in order (default [256, 128]). */
  hidden?: number[];
  /** Output features (default 10). */
  numClasses?: number;
  /** Activation after each hidden layer (default 'relu'). */
  activation?: ActivationName;
  /** Dropout probability after each hidden activation (default 0: no Dropout layers). */
  dropout?: number;
  /** Flatten every dimension after the batch first (default true, so images go straight in). */
  flatten?: boolean;
  /** Philox seed of the initial weights (default: the global stream). */
  seed?: number;
}

/**
 * An MLP as a `Sequential` with PyTorch's index keys: [Flatten,] then per hidden width Linear,
 * activation[, Dropout], then the output Linear. Rumelhart, Hinton & Williams, "Learning
 * representations by back-propagating errors", Nature 1986.
 * @example const model = mlp({ hidden: [256, 128], numClasses: 10, dropout: 0.2, seed: 0 });
 */
export function mlp(config: MLPConfig = {}): Sequential {
  const { inFeatures = 784, hidden = [256, 128], numClasses = 10, activation = 'relu', dropout = 0, flatten = true, seed } = config;
  const widths = [inFeatures, ...hidden, numClasses];
  widths.forEach((w, i) => {
    if (!Number.isInteger(w) || w < 1) {
      const what = i === 0 ? 'inFeatures' : i === widths.length - 1 ? 'numClasses' : `hidden[${i - 1}]`;
      throw new ArgumentError(`mlp: ${what} must be a positive integer, got ${w}`);
    }
  });
  checkActivation('mlp', activation);
  if (!(dropout >= 0 && dropout < 1)) throw new ArgumentError(`mlp: dropout must be in [0, 1), got ${dropout}`);
  const s = layerSeeds(seed);
  const layers: TensorModule[] = flatten ? [new Flatten()] : [];
  for (let i = 0; i + 1 < widths.length; i++) {
    layers.push(new Linear(widths[i]!, widths[i + 1]!, s(2 * i)));
    if (i + 2 === widths.length) break;
    layers.push(activationLayer('mlp', activation));
    if (dropout > 0) layers.push(new Dropout(dropout, s(2 * i + 1)));
  }
  return new Sequential(...layers);
}
