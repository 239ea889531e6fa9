// Embedding lookup (torch.nn.functional.embedding): rows of a table by integer index.
import { ShapeError, fmt, gather, noGrad, notEqual, tidy, where, type Tensor } from '@tensile/core';
import { checkDType, checkFloat, checkInt } from '../check.js';

/** embedding() with the caller's name in errors. */
export function embeddingImpl(op: string, indicesIn: Tensor, weightIn: Tensor, paddingIdx?: number | null): Tensor {
  const indices = checkDType(op, indicesIn, ['int32'], 'indices');
  const weight = checkFloat(op, weightIn, 'weight');
  if (weight.rank !== 2) throw new ShapeError(`${op}: weight must be [num_embeddings, embedding_dim], got ${fmt(weight.shape)}`);
  const num = weight.shape[0]!;
  let pad: number | undefined;
  if (paddingIdx != null) {
    pad = checkInt(op, paddingIdx, 'paddingIdx', -num, num - 1);
    if (pad < 0) pad += num;
  }
  return tidy(() => {
    const rows = gather(weight, indices, 0);
    if (pad === undefined) return rows;
    // The padding row's value passes through, but no gradient reaches it (as PyTorch).
    const frozen = noGrad(() => gather(weight, indices, 0));
    return where(notEqual(indices, pad).expandDims(-1), rows, frozen);
  });
}

/**
 * Rows of `weight` [num, dim] at int32 `indices` (any shape): [...indices.shape, dim].
 * `paddingIdx`'s row receives no gradient. Indices must be in [0, num) (out of range gives zeros).
 * @example embedding(tensor([[1, 2]], undefined, 'int32'), table) // [1, 2, dim]
 */
export function embedding(indices: Tensor, weight: Tensor, opts: { paddingIdx?: number | null } = {}): Tensor {
  return embeddingImpl('embedding', indices, weight, opts.paddingIdx);
}
