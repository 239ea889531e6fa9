// The Siamese network's default embedding branch: a small convolutional net for small
// grayscale images (two conv + ReLU + max-pool blocks, then two Linear layers).
import { Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential, deriveSeed } from '@tensile/layers';
import { ArgumentError } from '@tensile/core';
import { intIn, knownKeys } from '../config_checks.js';

/** Config of `siameseEmbeddingNet` (defaults fit 1x28x28 Fashion-MNIST). */
export interface EmbeddingNetConfig {
  /** Image channels (default 1). */
  channels?: number;
  /** Image side; divisible by 4 (default 28). */
  imageSize?: number;
  /** Output channels of the two 3x3 convolutions (default [16, 32]). */
  convWidths?: [number, number];
  /** Width of the hidden Linear layer (default 128). */
  hidden?: number;
  /** Length of the embedding (default 32). */
  embeddingDim?: number;
  /** Philox seed of the initial weights. */
  seed?: number;
}

const KEYS = ['channels', 'imageSize', 'convWidths', 'hidden', 'embeddingDim', 'seed'] as const;

/**
 * A small CNN mapping images [N, channels, S, S] to embeddings [N, embeddingDim]:
 * Conv2d(3x3, padding 1) + ReLU + MaxPool2d(2), twice, Flatten, Linear + ReLU, Linear
 * (the shape of Koch et al. 2015's branch, scaled down to 28x28). State-dict keys
 * 0.weight, 3.weight, 7.weight, 9.weight and their biases, as the same nn.Sequential.
 * @example const net = siameseEmbeddingNet({ embeddingDim: 16 }); const e = net.call(images); // [N, 16]
 */
export function siameseEmbeddingNet(cfgIn: EmbeddingNetConfig = {}): Sequential {
  const name = 'siameseEmbeddingNet';
  const c = knownKeys(name, cfgIn, KEYS);
  const channels = intIn(name, c.channels, 'channels', 1, 1);
  const size = intIn(name, c.imageSize, 'imageSize', 28, 4);
  if (size % 4 !== 0) throw new ArgumentError(`${name}: 'imageSize' ${size} must be divisible by 4 (two 2x2 max-pools)`);
  const widths = c.convWidths ?? [16, 32];
  if (!Array.isArray(widths) || widths.length !== 2) throw new ArgumentError(`${name}: 'convWidths' must be a pair of integers >= 1, got ${String(widths)}`);
  const [w0, w1] = [intIn(name, widths[0], 'convWidths[0]', 1, 1), intIn(name, widths[1], 'convWidths[1]', 1, 1)];
  const hidden = intIn(name, c.hidden, 'hidden', 128, 1);
  const dim = intIn(name, c.embeddingDim, 'embeddingDim', 32, 1);
  const seed = c.seed === undefined ? undefined : intIn(name, c.seed, 'seed', 0, 0);
  const sub = (i: number): number | undefined => (seed === undefined ? undefined : deriveSeed(seed, i));
  const side = size / 4;
  return new Sequential(
    new Conv2d(channels, w0, 3, { padding: 1, seed: sub(1) }), new ReLU(), new MaxPool2d(2),
    new Conv2d(w0, w1, 3, { padding: 1, seed: sub(2) }), new ReLU(), new MaxPool2d(2),
    new Flatten(), new Linear(w1 * side * side, hidden, { seed: sub(3) }), new ReLU(), new Linear(hidden, dim, { seed: sub(4) }),
  );
}
