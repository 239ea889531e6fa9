// The models `tensile train` builds, from the zoo (@tensile/models).
import type { Module } from '@tensile/layers';
import { lenet5Modern, mlp } from '@tensile/models';

export const MODELS = ['lenet5', 'mlp', 'mlp3'] as const;
export type ModelName = (typeof MODELS)[number];

/**
 * The model called `name` for 1x28x28 images and 10 classes, its weights drawn from `seed`:
 * lenet5 is LeNet-5 with BatchNorm (61,750 parameters), mlp 784-128-10, and mlp3
 * 784-256-128-100-10 (the MLP of Fashion-MNIST's benchmark table: scikit-learn's
 * MLPClassifier with hidden_layer_sizes [256, 128, 100], 0.883 test accuracy).
 */
export function buildModel(name: ModelName, seed: number): Module {
  switch (name) {
    case 'lenet5': return lenet5Modern({ seed });
    case 'mlp': return mlp({ hidden: [128], seed });
    case 'mlp3': return mlp({ hidden: [256, 128, 100], seed });
  }
}

/** How the help and the logs describe each model. */
export const MODEL_TITLES: Record<ModelName, string> = {
  lenet5: 'LeNet-5 with BatchNorm',
  mlp: 'MLP 784-128-10',
  mlp3: 'MLP 784-256-128-100-10',
};
