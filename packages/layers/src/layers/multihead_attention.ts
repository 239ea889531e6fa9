// Multi-head attention (torch.nn.MultiheadAttention) with PyTorch's parameters: in_proj_weight
// [3 E, E] (q, k, v stacked) - or, when keys/values have other sizes (kdim, vdim),
// q_proj_weight [E, E], k_proj_weight [E, kdim], v_proj_weight [E, vdim] - in_proj_bias [3 E],
// out_proj (a Linear: out_proj.weight, out_proj.bias), its initialisation, its mask conventions
// and its averaged weights.
import { ArgumentError, ShapeError, fmt, reshape, transpose, type Tensor, type Variable } from '@tensile/core';
import { checkBool, checkDType, checkFloat, checkInt, checkNumber } from '../check.js';
import { additiveMask, attentionCore } from '../functional/attention.js';
import { linearImpl } from '../functional/linear.js';
import { xavierUniform, zeros } from '../init.js';
import { Module } from '../module.js';
import { deriveSeed } from '../seed.js';
import { Linear } from './linear.js';

export interface MultiheadAttentionOptions {
  /** Dropout probability on the attention weights in training mode (default 0). */
  dropout?: number;
  /** Learn in_proj_bias and out_proj.bias (default true). */
  bias?: boolean;
  /** Inputs and output are [batch, seq, embed] instead of [seq, batch, embed] (default false). */
  batchFirst?: boolean;
  /** Philox seed: in_proj_weight stream 0, out_proj streams 1-2, dropout masks later streams (q/k/v_proj_weight: streams 0, 3, 4). */
  seed?: number;
  /** Features of the keys (default embedDim); with kdim or vdim != embedDim, q/k/v get separate projections. */
  kdim?: number;
  /** Features of the values (default embedDim). */
  vdim?: number;
}

export interface MultiheadAttentionCallOptions {
  /** [batch, S] (unbatched [S]): bool with true = ignore that key (padding), or float added to the scores. */
  keyPaddingMask?: Tensor | null;
  /** Return the attention weights (default true, as PyTorch); else the second result is null. */
  needWeights?: boolean;
  /** [L, S] or [batch * numHeads, L, S] (unbatched: [numHeads, L, S]): bool with true = not allowed, or float added. */
  attnMask?: Tensor | null;
  /** Average the returned weights over the heads: [batch, L, S] (default true), else [batch, numHeads, L, S]. */
  averageAttnWeights?: boolean;
}

/**
 * Attention from queries [L, batch, embedDim] to keys/values [S, batch, embedDim] with
 * numHeads heads of embedDim / numHeads dims ([batch, seq, embed] with batchFirst, or
 * unbatched [seq, embed]). `call(query, key, value, opts?)` returns [output like query,
 * weights | null].
 * @example const mha = new MultiheadAttention(64, 8, { batchFirst: true }); const [y, w] = mha.call(x, x, x, { keyPaddingMask: pad });
 */
export class MultiheadAttention extends Module<[Tensor, Tensor, Tensor, MultiheadAttentionCallOptions?], [Tensor, Tensor | null]> {
  readonly embedDim: number;
  readonly numHeads: number;
  readonly headDim: number;
  readonly dropout: number;
  readonly batchFirst: boolean;
  readonly seed: number | undefined;
  readonly kdim: number;
  readonly vdim: number;
  /** The stacked q, k, v projection [3 E, E]; null when kdim or vdim differ from embedDim. */
  readonly inProjWeight: Variable | null;
  /** Separate projections [E, E], [E, kdim], [E, vdim] when kdim or vdim differ from embedDim (else null). */
  readonly qProjWeight: Variable | null;
  readonly kProjWeight: Variable | null;
  readonly vProjWeight: Variable | null;
  readonly inProjBias: Variable | null;
  readonly outProj: Linear;
  #calls = 0;

  constructor(embedDim: number, numHeads: number, opts: MultiheadAttentionOptions = {}) {
    super();
    const op = 'MultiheadAttention';
    this.embedDim = checkInt(op, embedDim, 'embedDim', 1);
    this.numHeads = checkInt(op, numHeads, 'numHeads', 1);
    if (embedDim % numHeads !== 0) {
      throw new ArgumentError(`${op}: embedDim (${embedDim}) must be divisible by numHeads (${numHeads})`);
    }
    this.headDim = embedDim / numHeads;
    this.dropout = checkNumber(op, opts.dropout, 'dropout', 0, 0, 1);
    const hasBias = checkBool(op, opts.bias, 'bias', true);
    this.batchFirst = checkBool(op, opts.batchFirst, 'batchFirst', false);
    this.seed = opts.seed === undefined ? undefined : checkInt(op, opts.seed, 'seed', 0, Number.MAX_SAFE_INTEGER);
    this.kdim = checkInt(op, opts.kdim ?? embedDim, 'kdim', 1);
    this.vdim = checkInt(op, opts.vdim ?? embedDim, 'vdim', 1);
    const sep = (i: number) => ({ seed: this.seed === undefined ? undefined : deriveSeed(this.seed, i) });
    if (this.kdim === embedDim && this.vdim === embedDim) {
      this.inProjWeight = this.param('in_proj_weight', () => xavierUniform([3 * embedDim, embedDim], { seed: this.seed }));
      this.qProjWeight = this.kProjWeight = this.vProjWeight = null;
    } else {
      this.inProjWeight = null;
      this.qProjWeight = this.param('q_proj_weight', () => xavierUniform([embedDim, embedDim], sep(0)));
      this.kProjWeight = this.param('k_proj_weight', () => xavierUniform([embedDim, this.kdim], sep(3)));
      this.vProjWeight = this.param('v_proj_weight', () => xavierUniform([embedDim, this.vdim], sep(4)));
    }
    this.inProjBias = hasBias ? this.param('in_proj_bias', () => zeros([3 * embedDim])) : null;
    this.outProj = this.module('out_proj', new Linear(embedDim, embedDim, {
      bias: hasBias, seed: this.seed === undefined ? undefined : deriveSeed(this.seed, 1),
    }));
    if (this.outProj.bias) zeros(this.outProj.bias); // PyTorch zeroes out_proj.bias
  }

  forward(query: Tensor, key: Tensor, value: Tensor, opts: MultiheadAttentionCallOptions = {}): [Tensor, Tensor | null] {
    const op = 'MultiheadAttention';
    const q = checkFloat(op, query, 'query'), k = checkFloat(op, key, 'key'), v = checkFloat(op, value, 'value');
    const needWeights = checkBool(op, opts.needWeights, 'needWeights', true);
    const average = checkBool(op, opts.averageAttnWeights, 'averageAttnWeights', true);
    const e = this.embedDim, heads = this.numHeads;
    if (q.rank !== 2 && q.rank !== 3) {
      throw new ShapeError(`${op}: query ${fmt(q.shape)} must be [L, batch, embedDim], [batch, L, embedDim] (batchFirst) or unbatched [L, embedDim]`);
    }
    if (q.shape[q.rank - 1] !== e) throw new ShapeError(`${op}: query ${fmt(q.shape)} must have embedDim = ${e} in its last dim`);
    const batched = q.rank === 3;
    const same = this.inProjWeight !== null;
    for (const [t, n, dim, name] of [[k, 'key', this.kdim, same ? 'embedDim' : 'kdim'], [v, 'value', this.vdim, same ? 'embedDim' : 'vdim']] as const) {
      if (t.rank !== q.rank || t.shape[t.rank - 1] !== dim) {
        throw new ShapeError(`${op}: ${n} ${fmt(t.shape)} must have query's rank ${q.rank} and ${name} = ${dim} in its last dim (query ${fmt(q.shape)})`);
      }
    }
    if (k.shape.some((d, i) => i !== k.rank - 1 && d !== v.shape[i])) {
      throw new ShapeError(`${op}: key ${fmt(k.shape)} and value ${fmt(v.shape)} must have the same shape but for their last dim`);
    }
    const bAxis = this.batchFirst ? 0 : 1, sAxis = this.batchFirst ? 1 : 0;
    const n = batched ? q.shape[bAxis]! : 1;
    if (batched && k.shape[bAxis] !== n) {
      throw new ShapeError(`${op}: key ${fmt(k.shape)} must have query's batch size ${n} (query ${fmt(q.shape)}, batchFirst ${this.batchFirst})`);
    }
    const l = batched ? q.shape[sAxis]! : q.shape[0]!, s = batched ? k.shape[sAxis]! : k.shape[0]!;
    const ctx = `query ${fmt(q.shape)}, key ${fmt(k.shape)}, numHeads ${heads}`;
    const kpm = this.#checkMask(opts.keyPaddingMask, 'keyPaddingMask', batched ? [[n, s]] : [[s]], ctx);
    const am = this.#checkMask(opts.attnMask, 'attnMask', batched ? [[l, s], [n * heads, l, s]] : [[l, s], [heads, l, s]], ctx);

    // Batch-first [N, seq, E] inside.
    const toNSE = (t: Tensor): Tensor => (!batched ? reshape(t, [1, ...t.shape]) : this.batchFirst ? t : transpose(t, [1, 0, 2]));
    const selfAttention = q === k && k === v;
    let qp: Tensor, kp: Tensor, vp: Tensor;
    if (selfAttention && this.inProjWeight) {
      const all = linearImpl(op, toNSE(q), this.inProjWeight, this.inProjBias); // [N, L, 3E]
      [qp, kp, vp] = [0, 1, 2].map((i) => all.slice([0, 0, i * e], [n, l, (i + 1) * e])) as [Tensor, Tensor, Tensor];
    } else {
      const stacked = this.inProjWeight;
      const w = (i: number): Tensor => (stacked ? stacked.slice([i * e, 0], [(i + 1) * e, e]) : [this.qProjWeight!, this.kProjWeight!, this.vProjWeight!][i]!);
      const b = (i: number): Tensor | null => this.inProjBias && this.inProjBias.slice([i * e], [(i + 1) * e]);
      [qp, kp, vp] = [q, k, v].map((t, i) => linearImpl(op, toNSE(t), w(i), b(i))) as [Tensor, Tensor, Tensor];
    }
    // [N, seq, E] -> [N, heads, seq, headDim]
    const split = (t: Tensor, len: number): Tensor => transpose(reshape(t, [n, len, heads, this.headDim]), [0, 2, 1, 3]);
    let mask: Tensor | null = null;
    if (am) {
      const f = am.dtype === 'bool' ? additiveMask(am, true) : am;
      mask = am.rank === 2 ? f : reshape(f, [n, heads, l, s]);
    }
    if (kpm) {
      const f = reshape(kpm.dtype === 'bool' ? additiveMask(kpm, true) : kpm, [n, 1, 1, s]);
      mask = mask ? mask.add(f) : f;
    }
    const drop = this.training && this.dropout > 0
      ? { p: this.dropout, seed: this.seed === undefined ? undefined : deriveSeed(this.seed, 100 + this.#calls++) }
      : null;
    const { out, weights } = attentionCore(split(qp, l), split(kp, s), split(vp, s), mask, 1 / Math.sqrt(this.headDim), drop);
    const merged = reshape(transpose(out, [0, 2, 1, 3]), [n, l, e]); // [N, L, E]
    const y = this.outProj.forward(merged);
    const output = !batched ? reshape(y, [l, e]) : this.batchFirst ? y : transpose(y, [1, 0, 2]);
    if (!needWeights) return [output, null];
    const w = average ? weights.mean(1) : weights; // [N, L, S] or [N, heads, L, S]
    return [output, batched ? w : reshape(w, w.shape.slice(1))];
  }

  /** A mask of one of the allowed shapes, bool or float32; null when absent. */
  #checkMask(m: Tensor | null | undefined, arg: string, shapes: number[][], ctx: string): Tensor | null {
    if (m == null) return null;
    const t = checkDType('MultiheadAttention', m, ['bool', 'float32'], arg);
    if (!shapes.some((s) => s.length === t.rank && s.every((d, i) => d === t.shape[i]))) {
      throw new ShapeError(`MultiheadAttention: ${arg} ${fmt(t.shape)} must be ${shapes.map(fmt).join(' or ')} (${ctx})`);
    }
    return t;
  }

  override extraRepr(): string {
    return `embed_dim=${this.embedDim}, num_heads=${this.numHeads}${this.inProjWeight ? '' : `, kdim=${this.kdim}, vdim=${this.vdim}`}${this.dropout ? `, dropout=${this.dropout}` : ''}${this.batchFirst ? ', batch_first=true' : ''}`;
  }
}
