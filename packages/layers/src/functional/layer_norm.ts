// Layer normalisation over the trailing dims (torch.nn.functional.layer_norm), through core's
// layerNorm op (a fused kernel where the backend has one).
import { ShapeError, fmt, layerNorm as coreLayerNorm, type Tensor } from '@tensile/core';
import { checkFloat, checkNumber, sameShape } from '../check.js';

export interface LayerNormOptions {
  /** Scale of normalizedShape. */
  weight?: Tensor | null;
  /** Shift of normalizedShape. */
  bias?: Tensor | null;
  /** Added to the variance (default 1e-5). */
  eps?: number;
}

/** layerNorm() with the caller's name in errors. */
export function layerNormImpl(op: string, xIn: Tensor, normalizedShape: number[], opts: LayerNormOptions): Tensor {
  const x = checkFloat(op, xIn, 'x');
  const k = normalizedShape.length;
  if (x.rank < k || !sameShape(x.shape.slice(x.rank - k), normalizedShape)) {
    throw new ShapeError(`${op}: x ${fmt(x.shape)} must end with normalized_shape ${fmt(normalizedShape)}`);
  }
  for (const [t, arg] of [[opts.weight, 'weight'], [opts.bias, 'bias']] as const) {
    if (t == null) continue;
    checkFloat(op, t, arg);
    if (!sameShape(t.shape, normalizedShape)) throw new ShapeError(`${op}: '${arg}' must be ${fmt(normalizedShape)}, got ${fmt(t.shape)}`);
  }
  const eps = checkNumber(op, opts.eps, 'eps', 1e-5, 0);
  return coreLayerNorm(x, normalizedShape, { weight: opts.weight ?? undefined, bias: opts.bias ?? undefined, eps });
}

/**
 * Normalises over the last `normalizedShape.length` dims (biased variance), then `weight`
 * and `bias` of normalizedShape.
 * @example layerNorm(x, [512], { weight: gamma, bias: beta })
 */
export function layerNorm(x: Tensor, normalizedShape: number[], opts: LayerNormOptions = {}): Tensor {
  return layerNormImpl('layerNorm', x, normalizedShape, opts);
}
