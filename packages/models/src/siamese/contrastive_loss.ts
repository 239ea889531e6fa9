// The contrastive loss of Hadsell, Chopra & LeCun (2006): pulls similar pairs together and
// pushes dissimilar pairs apart until they are at least `margin` away.
import { ShapeError, cast, fmt, relu, square, tidy, type Tensor } from '@tensile/core';
import { choice, knownKeys, numberIn, tensorOf } from '../config_checks.js';

export interface ContrastiveLossOptions {
  /** Dissimilar pairs closer than this are penalised (default 1). */
  margin?: number;
  /** 'mean' over pairs (default), 'sum', or 'none' (one loss per pair). */
  reduction?: 'mean' | 'sum' | 'none';
}

/**
 * The contrastive loss (Hadsell, Chopra & LeCun 2006, "Dimensionality Reduction by Learning an
 * Invariant Mapping", eq. 4) of distances d [N] and labels y [N], with the paper's label
 * convention: y = 0 for a similar pair (same class), y = 1 for a dissimilar pair:
 *   L = (1 - y) 1/2 d^2 + y 1/2 max(0, margin - d)^2, averaged over pairs by default.
 * y may be float32 (0/1), int32 or bool.
 * @example const loss = contrastiveLoss(out.distance, dissimilar, { margin: 1 }); loss.backward();
 */
export function contrastiveLoss(d: Tensor, y: Tensor, opts: ContrastiveLossOptions = {}): Tensor {
  const name = 'contrastiveLoss';
  const o = knownKeys(name, opts, ['margin', 'reduction']);
  const margin = numberIn(name, o.margin, 'margin', 1, 0, Infinity);
  const reduction = choice(name, o.reduction, 'reduction', ['mean', 'sum', 'none'] as const, 'mean');
  tensorOf(name, d, 'd', ['float32']);
  tensorOf(name, y, 'y', ['float32', 'int32', 'bool']);
  if (d.rank !== 1 || y.rank !== 1 || d.shape[0] !== y.shape[0]) {
    throw new ShapeError(`${name}: d ${fmt(d.shape)} and y ${fmt(y.shape)} must both be [N], one distance and one label per pair`);
  }
  return tidy(() => {
    const yf = y.dtype === 'float32' ? y : cast(y, 'float32');
    const similar = square(d).mul(yf.neg().add(1));
    const dissimilar = square(relu(d.neg().add(margin))).mul(yf);
    const perPair = similar.add(dissimilar).mul(0.5);
    return reduction === 'none' ? perPair : reduction === 'sum' ? perPair.sum() : perPair.mean();
  });
}
