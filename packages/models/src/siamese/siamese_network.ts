// A Siamese network: one embedding network, shared weights, applied to both inputs of a
// pair, and the Euclidean distance between the two embeddings.
import { ArgumentError, ShapeError, concat, fmt, type Tensor } from '@tensile/core';
import { Module, type TensorModule } from '@tensile/layers';
import { knownKeys, numberIn, tensorOf } from '../config_checks.js';
import { siameseEmbeddingNet, type EmbeddingNetConfig } from './embedding_net.js';
import { pairwiseDistance } from './pairwise_distance.js';

/** Config of `siameseNetwork`: an embedding network of your own, or the default one's config. */
export interface SiameseNetworkConfig extends EmbeddingNetConfig {
  /** The shared branch, [N, ...] -> [N, D] (default `siameseEmbeddingNet` with the other fields). */
  embeddingNet?: TensorModule;
  /** Added to the difference before its norm, as torch.nn.functional.pairwise_distance, so the gradient at d = 0 is finite (default 1e-6). */
  eps?: number;
}

/** What the Siamese network returns for a pair batch (a type, not an interface, so that it is a TensorContainer for dispose and tidy). */
export type SiameseOutput = {
  /** [N, D]: the first inputs' embeddings. */
  embedding1: Tensor;
  /** [N, D]: the second inputs' embeddings. */
  embedding2: Tensor;
  /** [N]: || embedding1 - embedding2 + eps ||_2 per pair. */
  distance: Tensor;
};

/**
 * A Siamese network (Bromley et al. 1993; Hadsell, Chopra & LeCun 2006; Koch, Zemel &
 * Salakhutdinov 2015, "Siamese Neural Networks for One-shot Image Recognition"):
 * `call(x1, x2)` runs both [N, ...] inputs through the same embedding network (as one batch
 * of 2N) and returns both embeddings and their Euclidean distance. Train it with
 * `contrastiveLoss`; verify a pair by thresholding the distance. State-dict keys:
 * embedding_net.* (the shared branch's).
 * @example const net = siameseNetwork({ embeddingDim: 32 }); const { distance } = net.call(a, b);
 */
export class SiameseNetwork extends Module<[Tensor, Tensor], SiameseOutput> {
  readonly embeddingNet: TensorModule;
  readonly eps: number;

  constructor(cfgIn: SiameseNetworkConfig = {}) {
    super();
    const name = 'siameseNetwork';
    const { embeddingNet, eps, ...netCfg } = knownKeys(name, cfgIn,
      ['embeddingNet', 'eps', 'channels', 'imageSize', 'convWidths', 'hidden', 'embeddingDim', 'seed']) as SiameseNetworkConfig;
    this.eps = numberIn(name, eps, 'eps', 1e-6, 0, 1);
    if (embeddingNet !== undefined && !(embeddingNet instanceof Module)) {
      throw new ArgumentError(`${name}: 'embeddingNet' must be a Module, got ${String(embeddingNet)}`);
    }
    if (embeddingNet !== undefined && Object.keys(netCfg).length > 0) {
      throw new ArgumentError(`${name}: give either 'embeddingNet' or the default net's config (${Object.keys(netCfg).join(', ')}), not both`);
    }
    this.embeddingNet = this.module('embedding_net', embeddingNet ?? siameseEmbeddingNet(netCfg));
  }

  /** The embeddings of one batch of inputs: [N, ...] -> [N, D]. @example const e = net.embed(images); */
  embed(x: Tensor): Tensor {
    return this.embeddingNet.call(x);
  }

  forward(x1: Tensor, x2: Tensor): SiameseOutput {
    const name = 'siameseNetwork';
    tensorOf(name, x1, 'x1', ['float32']);
    tensorOf(name, x2, 'x2', ['float32']);
    if (x1.rank < 2 || x1.rank !== x2.rank || x1.shape.some((d, i) => d !== x2.shape[i])) {
      throw new ShapeError(`${name}: x1 ${fmt(x1.shape)} and x2 ${fmt(x2.shape)} must have the same shape [N, ...], one pair per row`);
    }
    const n = x1.shape[0]!;
    const both = this.embeddingNet.call(concat([x1, x2], 0));
    if (both.rank !== 2 || both.shape[0] !== 2 * n) {
      throw new ShapeError(`${name}: the embedding network must map [N, ...] to [N, D], got ${fmt(both.shape)} for 2N = ${2 * n} inputs`);
    }
    const dim = both.shape[1]!;
    const embedding1 = both.slice([0, 0], [n, dim]);
    const embedding2 = both.slice([n, 0], [2 * n, dim]);
    const distance = pairwiseDistance(embedding1, embedding2, this.eps);
    return { embedding1, embedding2, distance };
  }
}

/**
 * A Siamese network for one-shot verification (Koch, Zemel & Salakhutdinov 2015) from a
 * config with defaults: the default branch embeds 1x28x28 images in 32 dimensions.
 * @example const net = siameseNetwork(); const { distance } = net.call(x1, x2); const loss = contrastiveLoss(distance, y);
 */
export function siameseNetwork(config: SiameseNetworkConfig = {}): SiameseNetwork {
  return new SiameseNetwork(config);
}
