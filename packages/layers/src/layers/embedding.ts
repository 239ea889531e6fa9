// Embedding (torch.nn.Embedding): a learned table of vectors looked up by int32 index.
import { noGrad, scatterAdd, tensor, tidy, type Tensor, type Variable } from '@tensile/core';
import { checkInt } from '../check.js';
import { embeddingImpl } from '../functional/embedding.js';
import { normal } from '../init.js';
import { Module } from '../module.js';

export interface EmbeddingOptions {
  /** This row starts at zero and receives no gradient (a padding token); negative counts from the end. */
  paddingIdx?: number;
  /** Philox seed of the initial values. */
  seed?: number;
}

/**
 * numEmbeddings vectors of size embeddingDim, initialised N(0, 1) (PyTorch), looked up by
 * int32 indices of any shape: [...] -> [..., embeddingDim].
 * @example const emb = new Embedding(10000, 64, { paddingIdx: 0 }); emb.call(tokens)
 */
export class Embedding extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  readonly paddingIdx: number | undefined;
  /** The weight as registered now, so a tied weight (`param('weight', other)`) is what forward uses. */
  get weight(): Variable {
    return this.getParameter('weight');
  }

  constructor(numEmbeddings: number, embeddingDim: number, opts: EmbeddingOptions = {}) {
    super();
    this.numEmbeddings = checkInt('Embedding', numEmbeddings, 'numEmbeddings', 1);
    this.embeddingDim = checkInt('Embedding', embeddingDim, 'embeddingDim', 1);
    let pad = opts.paddingIdx === undefined ? undefined : checkInt('Embedding', opts.paddingIdx, 'paddingIdx', -numEmbeddings, numEmbeddings - 1);
    if (pad !== undefined && pad < 0) pad += numEmbeddings;
    this.paddingIdx = pad;
    if (opts.seed !== undefined) checkInt('Embedding', opts.seed, 'seed', 0, Number.MAX_SAFE_INTEGER);
    this.param('weight', () => {
      const w = normal([numEmbeddings, embeddingDim], { seed: opts.seed });
      if (pad === undefined) return w;
      // Zero the padding row: w - scatter of that row onto itself.
      return noGrad(() => tidy(() => {
        const idx = tensor([pad], undefined, 'int32');
        return w.sub(scatterAdd(w.gather(idx, 0), idx, 0, numEmbeddings));
      }));
    });
  }

  forward(indices: Tensor): Tensor {
    return embeddingImpl('Embedding', indices, this.weight, this.paddingIdx);
  }

  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}${this.paddingIdx === undefined ? '' : `, padding_idx=${this.paddingIdx}`}`;
  }
}
