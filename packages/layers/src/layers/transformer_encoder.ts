// The Transformer encoder (torch.nn.TransformerEncoderLayer, torch.nn.TransformerEncoder) with
// PyTorch's submodule names (self_attn, linear1, dropout, linear2, norm1, norm2, dropout1,
// dropout2; layers.{i}, norm), defaults and both residual orders (post-norm and pre-norm).
import { ArgumentError, ShapeError, dispose, fmt, gelu, relu, type Tensor } from '@tensile/core';
import { checkBool, checkChoice, checkDType, checkFloat, checkInt, checkNumber, describe } from '../check.js';
import { causalMask } from '../functional/attention.js';
import { Module } from '../module.js';
import { ModuleList } from '../module_list.js';
import { deriveSeed } from '../seed.js';
import { Dropout } from './dropout.js';
import { LayerNorm } from './layer_norm.js';
import { Linear } from './linear.js';
import { MultiheadAttention } from './multihead_attention.js';

/** The feed-forward activation: 'relu' (default), 'gelu' (exact) or any tensor function. */
export type TransformerActivation = 'relu' | 'gelu' | ((x: Tensor) => Tensor);

export interface TransformerEncoderLayerOptions {
  /** Width of the feed-forward block (default 2048). */
  dimFeedforward?: number;
  /** Dropout probability on the attention weights, the feed-forward hidden layer and both residual branches (default 0.1). */
  dropout?: number;
  /** Default 'relu'. */
  activation?: TransformerActivation;
  /** LayerNorm eps (default 1e-5). */
  layerNormEps?: number;
  /** Input and output are [batch, seq, dModel] instead of [seq, batch, dModel] (default false). */
  batchFirst?: boolean;
  /** Pre-norm: x + block(norm(x)) (default false: post-norm, norm(x + block(x)), as the original Transformer). */
  normFirst?: boolean;
  /** Biases in the linear layers, the attention and the layer norms (default true). */
  bias?: boolean;
  /** Philox seed of the initial weights and the dropout masks (each submodule a derived stream). */
  seed?: number;
}

export interface TransformerEncoderLayerCallOptions {
  /** Attention mask [L, L] or [batch * nhead, L, L]: bool (true = not allowed) or float (added). */
  srcMask?: Tensor | null;
  /** [batch, L] (unbatched [L]): bool (true = padding, ignored as a key) or float (added). */
  srcKeyPaddingMask?: Tensor | null;
}

/**
 * A square causal mask for sequence length sz: 0 on and below the diagonal, -Infinity above
 * (torch.nn.Transformer.generate_square_subsequent_mask), for `srcMask`/`mask`.
 * @example encoder.call(x, { mask: generateSquareSubsequentMask(x.shape[0]) })
 */
export function generateSquareSubsequentMask(sz: number): Tensor {
  return causalMask(checkInt('generateSquareSubsequentMask', sz, 'sz', 1), sz);
}

/** The layer's configuration with every default filled in. */
export type TransformerEncoderLayerConfig = Required<Omit<TransformerEncoderLayerOptions, 'seed'>> & { seed: number | undefined };

/**
 * Self-attention and a feed-forward block, each in a residual branch with dropout and a
 * LayerNorm: `call(src, { srcMask, srcKeyPaddingMask })` maps [seq, batch, dModel]
 * ([batch, seq, dModel] with batchFirst, or unbatched [seq, dModel]) to the same shape.
 * @example const layer = new TransformerEncoderLayer(512, 8, { batchFirst: true, normFirst: true }); const y = layer.call(x);
 */
export class TransformerEncoderLayer extends Module<[Tensor, TransformerEncoderLayerCallOptions?], Tensor> {
  readonly dModel: number;
  readonly nhead: number;
  readonly config: TransformerEncoderLayerConfig;
  readonly selfAttn: MultiheadAttention;
  readonly linear1: Linear;
  readonly dropout: Dropout;
  readonly linear2: Linear;
  readonly norm1: LayerNorm;
  readonly norm2: LayerNorm;
  readonly dropout1: Dropout;
  readonly dropout2: Dropout;
  readonly #act: (x: Tensor) => Tensor;

  constructor(dModel: number, nhead: number, opts: TransformerEncoderLayerOptions = {}) {
    super();
    const op = 'TransformerEncoderLayer';
    this.dModel = checkInt(op, dModel, 'dModel', 1);
    this.nhead = checkInt(op, nhead, 'nhead', 1);
    if (dModel % nhead !== 0) throw new ArgumentError(`${op}: dModel (${dModel}) must be divisible by nhead (${nhead})`);
    const activation = opts.activation ?? 'relu';
    if (typeof activation !== 'function') checkChoice(op, activation, 'activation', ['relu', 'gelu'] as const, 'relu');
    const seed = opts.seed === undefined ? undefined : checkInt(op, opts.seed, 'seed', 0, Number.MAX_SAFE_INTEGER);
    this.config = {
      dimFeedforward: checkInt(op, opts.dimFeedforward ?? 2048, 'dimFeedforward', 1),
      dropout: checkNumber(op, opts.dropout, 'dropout', 0.1, 0, 1),
      activation,
      layerNormEps: checkNumber(op, opts.layerNormEps, 'layerNormEps', 1e-5, 0),
      batchFirst: checkBool(op, opts.batchFirst, 'batchFirst', false),
      normFirst: checkBool(op, opts.normFirst, 'normFirst', false),
      bias: checkBool(op, opts.bias, 'bias', true),
      seed,
    };
    const c = this.config;
    const sub = (k: number): number | undefined => (seed === undefined ? undefined : deriveSeed(seed, k));
    this.#act = activation === 'relu' ? relu : activation === 'gelu' ? (x) => gelu(x) : activation;
    this.selfAttn = this.module('self_attn', new MultiheadAttention(dModel, nhead, { dropout: c.dropout, bias: c.bias, batchFirst: c.batchFirst, seed: sub(1) }));
    this.linear1 = this.module('linear1', new Linear(dModel, c.dimFeedforward, { bias: c.bias, seed: sub(2) }));
    this.dropout = this.module('dropout', new Dropout(c.dropout, { seed: sub(3) }));
    this.linear2 = this.module('linear2', new Linear(c.dimFeedforward, dModel, { bias: c.bias, seed: sub(4) }));
    this.norm1 = this.module('norm1', new LayerNorm(dModel, { eps: c.layerNormEps, bias: c.bias }));
    this.norm2 = this.module('norm2', new LayerNorm(dModel, { eps: c.layerNormEps, bias: c.bias }));
    this.dropout1 = this.module('dropout1', new Dropout(c.dropout, { seed: sub(5) }));
    this.dropout2 = this.module('dropout2', new Dropout(c.dropout, { seed: sub(6) }));
  }

  forward(src: Tensor, opts: TransformerEncoderLayerCallOptions = {}): Tensor {
    const op = 'TransformerEncoderLayer';
    const x0 = checkSrc(op, src, this.dModel);
    const { srcMask, srcKeyPaddingMask } = checkSrcMasks(op, x0, opts.srcMask, opts.srcKeyPaddingMask, this.nhead, this.config.batchFirst);
    const sa = (x: Tensor): Tensor =>
      this.dropout1.forward(this.selfAttn.forward(x, x, x, { attnMask: srcMask, keyPaddingMask: srcKeyPaddingMask, needWeights: false })[0]);
    const ff = (x: Tensor): Tensor =>
      this.dropout2.forward(this.linear2.forward(this.dropout.forward(this.#act(this.linear1.forward(x)))));
    let x = x0;
    if (this.config.normFirst) {
      x = x.add(sa(this.norm1.forward(x)));
      x = x.add(ff(this.norm2.forward(x)));
    } else {
      x = this.norm1.forward(x.add(sa(x)));
      x = this.norm2.forward(x.add(ff(x)));
    }
    return x;
  }

  /**
   * A new layer with this one's configuration and a copy of its current values (PyTorch's
   * deepcopy); `seed` seeds its dropout masks.
   * @example const twin = layer.copy();
   */
  copy(seed?: number): TransformerEncoderLayer {
    const c = new TransformerEncoderLayer(this.dModel, this.nhead, { ...this.config, seed });
    const sd = this.stateDict();
    try {
      c.loadStateDict(sd);
    } finally {
      dispose(sd);
    }
    c.train(this.training);
    return c;
  }

  override extraRepr(): string {
    const c = this.config;
    return `d_model=${this.dModel}, nhead=${this.nhead}, dim_feedforward=${c.dimFeedforward}, dropout=${c.dropout}`
      + `${typeof c.activation === 'string' ? `, activation=${c.activation}` : ''}${c.normFirst ? ', norm_first=true' : ''}${c.batchFirst ? ', batch_first=true' : ''}`;
  }
}

/** src as [seq, batch, dModel], [batch, seq, dModel] or [seq, dModel]. */
function checkSrc(op: string, src: Tensor, dModel: number): Tensor {
  const x = checkFloat(op, src, 'src');
  if ((x.rank !== 2 && x.rank !== 3) || x.shape[x.rank - 1] !== dModel) {
    throw new ShapeError(`${op}: src ${fmt(x.shape)} must be [seq, batch, dModel], [batch, seq, dModel] (batchFirst) or [seq, dModel] with dModel = ${dModel}`);
  }
  return x;
}

/** Checks the masks against src, naming the encoder's arguments (srcMask/mask, srcKeyPaddingMask). */
function checkSrcMasks(op: string, x: Tensor, maskIn: Tensor | null | undefined, kpmIn: Tensor | null | undefined, nhead: number,
  batchFirst: boolean, maskArg = 'srcMask'): { srcMask: Tensor | null; srcKeyPaddingMask: Tensor | null } {
  const batched = x.rank === 3;
  const l = batched && batchFirst ? x.shape[1]! : x.shape[0]!;
  const n = batched ? x.shape[batchFirst ? 0 : 1]! : 1;
  const ok = (t: Tensor, shapes: number[][]): boolean => shapes.some((s) => s.length === t.rank && s.every((d, i) => d === t.shape[i]));
  const mask = maskIn == null ? null : checkDType(op, maskIn, ['bool', 'float32'], maskArg);
  const maskShapes = batched ? [[l, l], [n * nhead, l, l]] : [[l, l], [nhead, l, l]];
  if (mask && !ok(mask, maskShapes)) {
    throw new ShapeError(`${op}: ${maskArg} ${fmt(mask.shape)} must be ${maskShapes.map(fmt).join(' or ')} for src ${fmt(x.shape)} (nhead ${nhead}, batchFirst ${batchFirst})`);
  }
  const kpm = kpmIn == null ? null : checkDType(op, kpmIn, ['bool', 'float32'], 'srcKeyPaddingMask');
  const kpmShape = batched ? [n, l] : [l];
  if (kpm && !ok(kpm, [kpmShape])) {
    throw new ShapeError(`${op}: srcKeyPaddingMask ${fmt(kpm.shape)} must be ${fmt(kpmShape)} for src ${fmt(x.shape)} (batchFirst ${batchFirst})`);
  }
  return { srcMask: mask, srcKeyPaddingMask: kpm };
}

export interface TransformerEncoderOptions {
  /** A final LayerNorm after the last layer (registered as 'norm'); typical with pre-norm layers. */
  norm?: LayerNorm | null;
}

export interface TransformerEncoderCallOptions {
  /** Attention mask for every layer: [L, L] or [batch * nhead, L, L], bool (true = not allowed) or float (added). */
  mask?: Tensor | null;
  /** [batch, L] (unbatched [L]): bool (true = padding) or float (added). */
  srcKeyPaddingMask?: Tensor | null;
}

/**
 * numLayers encoder layers in sequence, then an optional final norm. Layer 0 is
 * `encoderLayer` itself; the others are copies of it (same configuration and initial values,
 * as PyTorch's deepcopy), so the state dict reads layers.0.self_attn.in_proj_weight, ...,
 * norm.weight. Disposing the encoder disposes them all.
 * @example const enc = new TransformerEncoder(new TransformerEncoderLayer(64, 4, { dimFeedforward: 256 }), 6, { norm: new LayerNorm(64) });
 */
export class TransformerEncoder extends Module<[Tensor, TransformerEncoderCallOptions?], Tensor> {
  readonly layers: ModuleList<TransformerEncoderLayer>;
  readonly numLayers: number;
  readonly norm: LayerNorm | null;

  constructor(encoderLayer: TransformerEncoderLayer, numLayers: number, opts: TransformerEncoderOptions = {}) {
    super();
    const op = 'TransformerEncoder';
    if (!(encoderLayer instanceof TransformerEncoderLayer)) {
      throw new ArgumentError(`${op}: encoderLayer must be a TransformerEncoderLayer, got ${describe(encoderLayer)}`);
    }
    this.numLayers = checkInt(op, numLayers, 'numLayers', 1);
    if (opts.norm != null && !(opts.norm instanceof LayerNorm)) throw new ArgumentError(`${op}: norm must be a LayerNorm or null, got ${describe(opts.norm)}`);
    const seed = encoderLayer.config.seed;
    const layers = [encoderLayer];
    for (let i = 1; i < numLayers; i++) layers.push(encoderLayer.copy(seed === undefined ? undefined : deriveSeed(seed, 100 + i)));
    this.layers = this.module('layers', new ModuleList(layers));
    this.norm = opts.norm ? this.module('norm', opts.norm) : null;
  }

  forward(src: Tensor, opts: TransformerEncoderCallOptions = {}): Tensor {
    const op = 'TransformerEncoder';
    const first = this.layers.at(0);
    let x = checkSrc(op, src, first.dModel);
    const { srcMask, srcKeyPaddingMask } = checkSrcMasks(op, x, opts.mask, opts.srcKeyPaddingMask, first.nhead, first.config.batchFirst, 'mask');
    for (const layer of this.layers) x = layer.forward(x, { srcMask, srcKeyPaddingMask });
    return this.norm ? this.norm.forward(x) : x;
  }

  override extraRepr(): string {
    return `num_layers=${this.numLayers}`;
  }
}
