// Scaled dot-product attention (torch.nn.functional.scaled_dot_product_attention), composed
// from matmul, softmax and dropout so every backend runs it and autograd differentiates it;
// MultiheadAttention shares its core.
import { ArgumentError, ShapeError, dropout as coreDropout, fmt, matmul, softmax, tensor, tidy, where, type Tensor } from '@tensile/core';
import { checkBool, checkDType, checkFloat, checkNumber } from '../check.js';

/**
 * softmax(q k^T * scale + mask) (with dropout on it) and its product with v: the attention
 * core. `mask` is additive float (already converted from any bool form) and broadcasts to
 * [..., L, S]. Returns the output and the attention weights.
 */
export function attentionCore(q: Tensor, k: Tensor, v: Tensor, mask: Tensor | null, scale: number,
  drop: { p: number; seed?: number } | null): { out: Tensor; weights: Tensor } {
  let scores = matmul(q.mul(scale), k, { transposeB: true });
  if (mask) scores = scores.add(mask);
  let weights = softmax(scores, -1);
  if (drop && drop.p > 0) weights = coreDropout(weights, drop.p, { seed: drop.seed });
  return { out: matmul(weights, v), weights };
}

/** A float additive mask from a bool one: -Infinity where `masked` holds, else 0. */
export function additiveMask(mask: Tensor, maskedWhen: boolean): Tensor {
  return maskedWhen ? where(mask, -Infinity, 0) : where(mask, 0, -Infinity);
}

/** The causal mask of PyTorch's is_causal: position i attends to j <= i (top-left aligned), additive. */
export function causalMask(l: number, s: number): Tensor {
  const data = new Float32Array(l * s);
  for (let i = 0; i < l; i++) for (let j = i + 1; j < s; j++) data[i * s + j] = -Infinity;
  return tensor(data, [l, s]);
}

export interface ScaledDotProductAttentionOptions {
  /** Bool (true = takes part, PyTorch's sdpa convention) or float (added to the scores), broadcastable to [..., L, S]. */
  attnMask?: Tensor | null;
  /** Dropout probability on the attention weights (default 0; applied whenever > 0, as PyTorch). */
  dropoutP?: number;
  /** Position i attends only to j <= i (default false); excludes attnMask. */
  isCausal?: boolean;
  /** Multiplies q k^T (default 1 / sqrt(E)). */
  scale?: number | null;
  /** Philox seed of the dropout mask. */
  seed?: number;
}

/**
 * softmax(q k^T / sqrt(E) + mask) v for query [..., L, E], key [..., S, E], value [..., S, Ev]
 * (leading dims broadcast): [..., L, Ev]. A bool attnMask marks the pairs that take part
 * (true), as torch's scaled_dot_product_attention; MultiheadAttention's masks are the other way round.
 * @example const y = scaledDotProductAttention(q, k, v, { isCausal: true }); // q, k, v [batch, heads, seq, dim]
 */
export function scaledDotProductAttention(query: Tensor, key: Tensor, value: Tensor, opts: ScaledDotProductAttentionOptions = {}): Tensor {
  const op = 'scaledDotProductAttention';
  const q = checkFloat(op, query, 'query'), k = checkFloat(op, key, 'key'), v = checkFloat(op, value, 'value');
  for (const [t, n] of [[q, 'query'], [k, 'key'], [v, 'value']] as const) {
    if (t.rank < 2) throw new ShapeError(`${op}: ${n} must be [..., seq, dim], got ${fmt(t.shape)}`);
  }
  const e = q.shape[q.rank - 1]!, l = q.shape[q.rank - 2]!, s = k.shape[k.rank - 2]!;
  if (k.shape[k.rank - 1] !== e) throw new ShapeError(`${op}: key ${fmt(k.shape)} must have query's last dim ${e} (query ${fmt(q.shape)})`);
  if (v.shape[v.rank - 2] !== s) throw new ShapeError(`${op}: value ${fmt(v.shape)} must have key's sequence length ${s} (key ${fmt(k.shape)})`);
  const p = checkNumber(op, opts.dropoutP, 'dropoutP', 0, 0, 1);
  const isCausal = checkBool(op, opts.isCausal, 'isCausal', false);
  const scale = opts.scale == null ? 1 / Math.sqrt(e) : checkNumber(op, opts.scale, 'scale', 0);
  const m = opts.attnMask == null ? null : checkDType(op, opts.attnMask, ['bool', 'float32'], 'attnMask');
  if (m && isCausal) throw new ArgumentError(`${op}: give attnMask or isCausal, not both (attnMask ${fmt(m.shape)})`);
  if (m && (m.rank < 2 || m.shape[m.rank - 1] !== s || m.shape[m.rank - 2] !== l)) {
    throw new ShapeError(`${op}: attnMask ${fmt(m.shape)} must end with [L, S] = [${l},${s}] (query ${fmt(q.shape)}, key ${fmt(k.shape)})`);
  }
  return tidy(() => {
    const mask = isCausal ? causalMask(l, s) : m && (m.dtype === 'bool' ? additiveMask(m, false) : m);
    return attentionCore(q, k, v, mask, scale, p > 0 ? { p, seed: opts.seed } : null).out;
  });
}
