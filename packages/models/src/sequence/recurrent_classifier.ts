// LSTM and GRU sequence classifiers: tokens through an Embedding (or float features as they
// are), a stacked, optionally bidirectional recurrent network, a pooled summary of the
// sequence (the last hidden state, or the mean of the outputs), dropout and a Linear head.
import { ArgumentError, cast, concat, notEqual, reshape, sum, type Tensor } from '@tensile/core';
import { Dropout, Embedding, GRU, LSTM, Linear, Module, deriveSeed } from '@tensile/layers';
import { bool, choice, intIn, knownKeys, numberIn, shapeIs, tensorOf } from '../config_checks.js';

/** How the sequence is summarised before the head. */
export type RecurrentPooling = 'last' | 'mean';

/** The recurrent cell of the classifier. */
export type RecurrentCellKind = 'lstm' | 'gru';

/** Config of `lstmClassifier` and `gruClassifier` (every field optional but one input kind). */
export interface RecurrentClassifierConfig {
  /** Token input: int32 [batch, seq] indices into an Embedding of this many rows. Give this or `inputSize`. */
  vocabSize?: number;
  /** Float-feature input: [batch, seq, inputSize], no embedding. Give this or `vocabSize`. */
  inputSize?: number;
  /** Width of the token embedding (default 64; token input only). */
  embeddingDim?: number;
  /** The token that pads short sequences (token input only): its embedding row stays zero and mean pooling skips it. */
  paddingIdx?: number;
  /** Hidden units per direction (default 128). */
  hiddenSize?: number;
  /** Stacked recurrent layers (default 1). */
  numLayers?: number;
  /** Run each layer in both directions and concatenate them (default false). */
  bidirectional?: boolean;
  /** Dropout between recurrent layers and before the head, in training mode (default 0). */
  dropout?: number;
  /** Output classes (default 2). */
  numClasses?: number;
  /** 'last': the final hidden state of the last layer (both directions' when bidirectional); 'mean': the outputs averaged over time (default 'last'). */
  pooling?: RecurrentPooling;
  /** Philox seed of the initial weights and dropout masks. */
  seed?: number;
}

const KEYS = ['vocabSize', 'inputSize', 'embeddingDim', 'paddingIdx', 'hiddenSize', 'numLayers', 'bidirectional', 'dropout', 'numClasses', 'pooling', 'seed'] as const;

/** The config with every default filled in (exactly one of vocabSize and inputSize is set). */
export interface ResolvedRecurrentClassifierConfig {
  cell: RecurrentCellKind;
  vocabSize: number | null;
  inputSize: number | null;
  embeddingDim: number;
  paddingIdx: number | null;
  hiddenSize: number;
  numLayers: number;
  bidirectional: boolean;
  dropout: number;
  numClasses: number;
  pooling: RecurrentPooling;
  seed: number | undefined;
}

/**
 * A recurrent sequence classifier: [batch, seq] tokens (or [batch, seq, inputSize] features)
 * -> [batch, numClasses] logits. State-dict keys: embedding.weight, rnn.weight_ih_l0, ...
 * (PyTorch's nn.LSTM/nn.GRU names), fc.weight, fc.bias. Build it with `lstmClassifier` or
 * `gruClassifier`. All sequences of a batch have the same length; pad short ones with
 * `paddingIdx` and use mean pooling, which ignores padding.
 * @example const model = new RecurrentClassifier('gru', { vocabSize: 1000, numClasses: 4 }); const logits = model.call(tokens);
 */
export class RecurrentClassifier extends Module {
  readonly config: ResolvedRecurrentClassifierConfig;
  readonly embedding: Embedding | null;
  readonly rnn: LSTM | GRU;
  readonly dropout: Dropout;
  readonly fc: Linear;
  readonly #name: string;

  constructor(cell: RecurrentCellKind, cfgIn: RecurrentClassifierConfig = {}) {
    super();
    const name = cell === 'lstm' ? 'lstmClassifier' : 'gruClassifier';
    this.#name = name;
    const c = knownKeys(name, cfgIn, KEYS);
    if ((c.vocabSize === undefined) === (c.inputSize === undefined)) {
      throw new ArgumentError(`${name}: give exactly one of 'vocabSize' (token input) and 'inputSize' (float features), got vocabSize ${String(c.vocabSize)} and inputSize ${String(c.inputSize)}`);
    }
    const vocabSize = c.vocabSize === undefined ? null : intIn(name, c.vocabSize, 'vocabSize', 1, 1);
    const inputSize = c.inputSize === undefined ? null : intIn(name, c.inputSize, 'inputSize', 1, 1);
    if (vocabSize === null && (c.paddingIdx !== undefined || c.embeddingDim !== undefined)) {
      throw new ArgumentError(`${name}: 'paddingIdx' and 'embeddingDim' need token input ('vocabSize'); float features have no embedding`);
    }
    const seed = c.seed === undefined ? undefined : intIn(name, c.seed, 'seed', 0, 0);
    this.config = {
      cell, vocabSize, inputSize,
      embeddingDim: intIn(name, c.embeddingDim, 'embeddingDim', 64, 1),
      paddingIdx: vocabSize === null || c.paddingIdx === undefined ? null : intIn(name, c.paddingIdx, 'paddingIdx', 0, 0, vocabSize - 1),
      hiddenSize: intIn(name, c.hiddenSize, 'hiddenSize', 128, 1),
      numLayers: intIn(name, c.numLayers, 'numLayers', 1, 1),
      bidirectional: bool(name, c.bidirectional, 'bidirectional', false),
      dropout: numberIn(name, c.dropout, 'dropout', 0, 0, 1),
      numClasses: intIn(name, c.numClasses, 'numClasses', 2, 1),
      pooling: choice(name, c.pooling, 'pooling', ['last', 'mean'] as const, 'last'),
      seed,
    };
    const k = this.config;
    const sub = (i: number): number | undefined => (seed === undefined ? undefined : deriveSeed(seed, i));
    this.embedding = vocabSize === null ? null
      : this.module('embedding', new Embedding(vocabSize, k.embeddingDim, { paddingIdx: k.paddingIdx ?? undefined, seed: sub(1) }));
    const rnnIn = vocabSize === null ? inputSize! : k.embeddingDim;
    const rnnOpts = { numLayers: k.numLayers, bidirectional: k.bidirectional, dropout: k.numLayers > 1 ? k.dropout : 0, batchFirst: true, seed: sub(2) };
    this.rnn = this.module('rnn', cell === 'lstm' ? new LSTM(rnnIn, k.hiddenSize, rnnOpts) : new GRU(rnnIn, k.hiddenSize, rnnOpts));
    this.dropout = this.module('dropout', new Dropout(k.dropout, { seed: sub(3) }));
    this.fc = this.module('fc', new Linear(k.hiddenSize * (k.bidirectional ? 2 : 1), k.numClasses, { seed: sub(4) }));
  }

  forward(x: Tensor): Tensor {
    const name = this.#name;
    const k = this.config;
    let seq: Tensor;
    let mask: Tensor | null = null;
    if (this.embedding) {
      shapeIs(name, tensorOf(name, x, 'tokens', ['int32']), 'tokens', [null, null], '[batch, seq]');
      seq = this.embedding.forward(x);
      if (k.paddingIdx !== null) mask = cast(notEqual(x, k.paddingIdx), 'float32').expandDims(-1);
    } else {
      seq = shapeIs(name, tensorOf(name, x, 'features', ['float32']), 'features', [null, null, k.inputSize], '[batch, seq, inputSize]');
    }
    const [output, state] = this.rnn.forward(seq);
    let pooled: Tensor;
    if (k.pooling === 'mean') {
      // With padding, the mean over the real tokens only (a row of padding only divides 0 by 1).
      pooled = mask === null ? output.mean(1) : sum(output.mul(mask), 1).div(sum(mask, 1).maximum(1));
    } else {
      const hN = Array.isArray(state) ? state[0] : state; // LSTM: [hN, cN]; GRU: hN
      const batch = x.shape[0]!, h = k.hiddenSize, dirs = k.bidirectional ? 2 : 1, top = (k.numLayers - 1) * dirs;
      // The last layer's states: forward (after the last step) and, bidirectional, backward (after the first).
      const layer = hN.slice([top, 0, 0], [top + dirs, batch, h]);
      pooled = dirs === 1 ? reshape(layer, [batch, h]) : concat([reshape(layer.slice([0, 0, 0], [1, batch, h]), [batch, h]), reshape(layer.slice([1, 0, 0], [2, batch, h]), [batch, h])], 1);
    }
    return this.fc.forward(this.dropout.forward(pooled));
  }

  override extraRepr(): string {
    const k = this.config;
    return `cell=${k.cell}, pooling=${k.pooling}, num_classes=${k.numClasses}`;
  }
}

/**
 * An LSTM sequence classifier (Hochreiter & Schmidhuber 1997, "Long Short-Term Memory";
 * bidirectional: Graves & Schmidhuber 2005): tokens -> Embedding -> LSTM -> last hidden state
 * (or mean pooling) -> Linear.
 * @example const model = lstmClassifier({ vocabSize: 20000, embeddingDim: 100, hiddenSize: 128, numClasses: 2, bidirectional: true });
 */
export function lstmClassifier(config: RecurrentClassifierConfig = {}): RecurrentClassifier {
  return new RecurrentClassifier('lstm', config);
}

/**
 * A GRU sequence classifier (Cho et al. 2014, "Learning Phrase Representations using RNN
 * Encoder-Decoder for Statistical Machine Translation"): tokens -> Embedding -> GRU -> last
 * hidden state (or mean pooling) -> Linear.
 * @example const model = gruClassifier({ inputSize: 13, hiddenSize: 64, numLayers: 2, dropout: 0.2, numClasses: 10 });
 */
export function gruClassifier(config: RecurrentClassifierConfig = {}): RecurrentClassifier {
  return new RecurrentClassifier('gru', config);
}
