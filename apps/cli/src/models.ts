// The models `tensile train` builds (until the zoo package has them): LeNet-5 with BatchNorm
// and a one-hidden-layer MLP, as @tensile/layers Sequentials with PyTorch's state-dict names.
import { BatchNorm2d, Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential, deriveSeed } from '@tensile/layers';

export const MODELS = ['lenet5', 'mlp', 'mlp3'] as const;
export type ModelName = (typeof MODELS)[number];

/**
 * LeNet-5 with BatchNorm for 1x28x28 images: conv 6@5x5 (padding 2) + BN + ReLU + maxpool 2,
 * conv 16@5x5 + BN + ReLU + maxpool 2, flatten (16x5x5 = 400), 120, 84, 10 (61,750 parameters: 61,706 of LeNet-5 and 44 of BatchNorm).
 * The same layers in torch: nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.BatchNorm2d(6),
 * nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.BatchNorm2d(16), nn.ReLU(),
 * nn.MaxPool2d(2), nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84),
 * nn.ReLU(), nn.Linear(84, 10)) loads the saved weights unchanged.
 */
export function lenet5(seed: number, classes = 10): Sequential {
  const s = (i: number) => ({ seed: deriveSeed(seed, i + 1) });
  return new Sequential(
    new Conv2d(1, 6, 5, { padding: 2, ...s(0) }), new BatchNorm2d(6), new ReLU(), new MaxPool2d(2),
    new Conv2d(6, 16, 5, s(1)), new BatchNorm2d(16), new ReLU(), new MaxPool2d(2),
    new Flatten(),
    new Linear(400, 120, s(2)), new ReLU(),
    new Linear(120, 84, s(3)), new ReLU(),
    new Linear(84, classes, s(4)),
  );
}

/** 784 -> hidden -> 10 with ReLU, for 1x28x28 images (flattened first). */
export function mlp(seed: number, hidden = 128, classes = 10): Sequential {
  return new Sequential(
    new Flatten(),
    new Linear(784, hidden, { seed: deriveSeed(seed, 1) }), new ReLU(),
    new Linear(hidden, classes, { seed: deriveSeed(seed, 2) }),
  );
}

/**
 * 784 -> 256 -> 128 -> 100 -> 10 with ReLU: the MLP of Fashion-MNIST's benchmark table
 * (scikit-learn's MLPClassifier, hidden_layer_sizes [256, 128, 100], 0.883 test accuracy).
 */
export function mlp3(seed: number, classes = 10): Sequential {
  const s = (i: number) => ({ seed: deriveSeed(seed, i + 1) });
  return new Sequential(
    new Flatten(),
    new Linear(784, 256, s(0)), new ReLU(),
    new Linear(256, 128, s(1)), new ReLU(),
    new Linear(128, 100, s(2)), new ReLU(),
    new Linear(100, classes, s(3)),
  );
}

/** The model called `name`. */
export function buildModel(name: ModelName, seed: number): Sequential {
  return name === 'lenet5' ? lenet5(seed) : name === 'mlp3' ? mlp3(seed) : mlp(seed);
}

/** How the help and the logs describe each model. */
export const MODEL_TITLES: Record<ModelName, string> = {
  lenet5: 'LeNet-5 with BatchNorm',
  mlp: 'MLP 784-128-10',
  mlp3: 'MLP 784-256-128-100-10',
};
