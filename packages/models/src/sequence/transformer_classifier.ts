// A Transformer encoder classifier: token embeddings plus learned positional embeddings, a
// stack of self-attention encoder layers (batch first), a pooled summary (a learned [CLS]
// token prepended to the sequence, or the mean over the real tokens) and a Linear head.
import { ArgumentError, ShapeError, arange, broadcastTo, cast, concat, equal, fmt, full, logicalNot, sum, type Tensor, type Variable } from '@tensile/core';
import { Dropout, Embedding, LayerNorm, Linear, Module, TransformerEncoder, TransformerEncoderLayer, deriveSeed, init } from '@tensile/layers';
import { bool, choice, intIn, knownKeys, numberIn, shapeIs, tensorOf } from '../config_checks.js';

/** How the encoded sequence is summarised: the [CLS] token's vector, or the mean over the real tokens. */
export type TransformerPooling = 'cls' | 'mean';

/** Config of `transformerClassifier`: `vocabSize` is required, the rest has defaults. */
export interface TransformerClassifierConfig {
  /** Rows of the token embedding. */
  vocabSize: number;
  /** Longest token sequence accepted; the positional table has this many rows (one more with [CLS] pooling). Default 128. */
  maxLength?: number;
  /** Model width (default 64). */
  dModel?: number;
  /** Attention heads; must divide dModel (default 4). */
  numHeads?: number;
  /** Encoder layers (default 2). */
  numLayers?: number;
  /** Width of each feed-forward block (default 4 dModel). */
  dimFeedforward?: number;
  /** Dropout on the embeddings, in every encoder layer and before the head (default 0.1). */
  dropout?: number;
  /** Output classes (default 2). */
  numClasses?: number;
  /** Default 'cls'. */
  pooling?: TransformerPooling;
  /** The padding token: it is masked out as an attention key and from mean pooling. */
  paddingIdx?: number;
  /** Pre-norm encoder layers and a final LayerNorm (default false: post-norm, as Vaswani et al.). */
  normFirst?: boolean;
  /** Feed-forward activation (default 'relu'; BERT uses 'gelu'). */
  activation?: 'relu' | 'gelu';
  /** Philox seed of the initial weights and dropout masks. */
  seed?: number;
}

const KEYS = ['vocabSize', 'maxLength', 'dModel', 'numHeads', 'numLayers', 'dimFeedforward', 'dropout', 'numClasses', 'pooling', 'paddingIdx', 'normFirst', 'activation', 'seed'] as const;

/** The config with every default filled in. */
export type ResolvedTransformerClassifierConfig = Required<Omit<TransformerClassifierConfig, 'paddingIdx' | 'seed'>> & { paddingIdx: number | null; seed: number | undefined };

/**
 * A Transformer encoder classifier (Vaswani et al. 2017, "Attention Is All You Need"; the
 * [CLS] token and learned positions as BERT, Devlin et al. 2019): int32 tokens [batch, seq]
 * -> [batch, numClasses] logits. State-dict keys: token_embedding.weight,
 * position_embedding.weight, cls_token (with [CLS] pooling), encoder.layers.{i}.* (PyTorch's
 * nn.TransformerEncoder names), encoder.norm.* (pre-norm only), head.weight, head.bias.
 * @example const model = transformerClassifier({ vocabSize: 1000, maxLength: 64, numClasses: 4, paddingIdx: 0 }); const logits = model.call(tokens);
 */
export class TransformerClassifier extends Module {
  readonly config: ResolvedTransformerClassifierConfig;
  readonly tokenEmbedding: Embedding;
  readonly positionEmbedding: Embedding;
  readonly clsToken: Variable | null;
  readonly embeddingDropout: Dropout;
  readonly encoder: TransformerEncoder;
  readonly dropout: Dropout;
  readonly head: Linear;

  constructor(cfgIn: TransformerClassifierConfig) {
    super();
    const name = 'transformerClassifier';
    const c = knownKeys(name, cfgIn, KEYS);
    if (c.vocabSize === undefined) throw new ArgumentError(`${name}: 'vocabSize' is required (the rows of the token embedding)`);
    const vocabSize = intIn(name, c.vocabSize, 'vocabSize', 1, 1);
    const dModel = intIn(name, c.dModel, 'dModel', 64, 1);
    const numHeads = intIn(name, c.numHeads, 'numHeads', 4, 1);
    if (dModel % numHeads !== 0) throw new ArgumentError(`${name}: 'dModel' (${dModel}) must be divisible by 'numHeads' (${numHeads})`);
    const seed = c.seed === undefined ? undefined : intIn(name, c.seed, 'seed', 0, 0);
    this.config = {
      vocabSize, dModel, numHeads,
      maxLength: intIn(name, c.maxLength, 'maxLength', 128, 1),
      numLayers: intIn(name, c.numLayers, 'numLayers', 2, 1),
      dimFeedforward: intIn(name, c.dimFeedforward, 'dimFeedforward', 4 * dModel, 1),
      dropout: numberIn(name, c.dropout, 'dropout', 0.1, 0, 1),
      numClasses: intIn(name, c.numClasses, 'numClasses', 2, 1),
      pooling: choice(name, c.pooling, 'pooling', ['cls', 'mean'] as const, 'cls'),
      paddingIdx: c.paddingIdx === undefined ? null : intIn(name, c.paddingIdx, 'paddingIdx', 0, 0, vocabSize - 1),
      normFirst: bool(name, c.normFirst, 'normFirst', false),
      activation: choice(name, c.activation, 'activation', ['relu', 'gelu'] as const, 'relu'),
      seed,
    };
    const k = this.config;
    const sub = (i: number): number | undefined => (seed === undefined ? undefined : deriveSeed(seed, i));
    const cls = k.pooling === 'cls';
    this.tokenEmbedding = this.module('token_embedding', new Embedding(vocabSize, dModel, { paddingIdx: k.paddingIdx ?? undefined, seed: sub(1) }));
    this.positionEmbedding = this.module('position_embedding', new Embedding(k.maxLength + (cls ? 1 : 0), dModel, { seed: sub(2) }));
    // BERT and ViT start the [CLS] vector small: N(0, 0.02).
    this.clsToken = cls ? this.param('cls_token', () => init.normal([1, 1, dModel], { std: 0.02, seed: sub(3) })) : null;
    this.embeddingDropout = this.module('embedding_dropout', new Dropout(k.dropout, { seed: sub(4) }));
    const layer = new TransformerEncoderLayer(dModel, numHeads, {
      dimFeedforward: k.dimFeedforward, dropout: k.dropout, activation: k.activation, batchFirst: true, normFirst: k.normFirst, seed: sub(5),
    });
    this.encoder = this.module('encoder', new TransformerEncoder(layer, k.numLayers, { norm: k.normFirst ? new LayerNorm(dModel) : null }));
    this.dropout = this.module('dropout', new Dropout(k.dropout, { seed: sub(6) }));
    this.head = this.module('head', new Linear(dModel, k.numClasses, { seed: sub(7) }));
  }

  forward(tokens: Tensor): Tensor {
    const name = 'transformerClassifier';
    const k = this.config;
    shapeIs(name, tensorOf(name, tokens, 'tokens', ['int32']), 'tokens', [null, null], '[batch, seq]');
    const [batch, len] = tokens.shape as [number, number];
    if (len > k.maxLength) throw new ShapeError(`${name}: tokens ${fmt(tokens.shape)} has ${len} positions, more than maxLength = ${k.maxLength}`);
    const cls = this.clsToken !== null;
    let x = this.tokenEmbedding.forward(tokens);
    if (cls) x = concat([broadcastTo(this.clsToken!, [batch, 1, k.dModel]), x], 1);
    const n = len + (cls ? 1 : 0);
    x = this.embeddingDropout.forward(x.add(this.positionEmbedding.forward(arange(0, n, 1, 'int32'))));
    // true where a key is padding; the [CLS] position never is.
    let pad: Tensor | null = k.paddingIdx === null ? null : equal(tokens, k.paddingIdx);
    if (pad && cls) pad = concat([full([batch, 1], false, 'bool'), pad], 1);
    const h = this.encoder.forward(x, { srcKeyPaddingMask: pad });
    let pooled: Tensor;
    if (cls) {
      pooled = h.slice([0, 0, 0], [batch, 1, k.dModel]).reshape([batch, k.dModel]);
    } else if (pad) {
      const keep = cast(logicalNot(pad), 'float32').expandDims(-1);
      pooled = sum(h.mul(keep), 1).div(sum(keep, 1).maximum(1));
    } else {
      pooled = h.mean(1);
    }
    return this.head.forward(this.dropout.forward(pooled));
  }

  override extraRepr(): string {
    const k = this.config;
    return `pooling=${k.pooling}, max_length=${k.maxLength}, num_classes=${k.numClasses}`;
  }
}

/**
 * A Transformer encoder classifier (Vaswani et al. 2017, "Attention Is All You Need"): token
 * and learned positional embeddings, `numLayers` encoder layers, [CLS] or mean pooling, a
 * Linear head. With `paddingIdx`, padding tokens are masked as attention keys.
 * @example const model = transformerClassifier({ vocabSize: 30522, maxLength: 128, dModel: 128, numHeads: 4, numLayers: 2, numClasses: 2 });
 */
export function transformerClassifier(config: TransformerClassifierConfig): TransformerClassifier {
  return new TransformerClassifier(config);
}
