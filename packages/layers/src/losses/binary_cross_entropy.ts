// Binary cross-entropy on probabilities (torch.nn.functional.binary_cross_entropy, logs
// clamped at -100 as PyTorch) and on logits, stably (binary_cross_entropy_with_logits).
import { greater, log, maximum, softplus, tidy, where, type Tensor } from '@tensile/core';
import { Loss } from './loss.js';
import { checkBroadcastWeight, checkPair, checkReduction, reduce, type Reduction } from './reduction.js';

export interface BCEOptions {
  /** Rescales each element's loss; broadcasts to input's shape. */
  weight?: Tensor | null;
  reduction?: Reduction;
}

export interface BCEWithLogitsOptions extends BCEOptions {
  /** Weight of the positive term per class (broadcasts along the last dim): > 1 raises recall. */
  posWeight?: Tensor | null;
}

/** log(u) clamped below at -100, finite with a finite gradient at u = 0 (PyTorch's clamp). */
function clampedLog(u: Tensor): Tensor {
  const pos = greater(u, 0);
  return maximum(where(pos, log(where(pos, u, 1)), -100), -100);
}

/** binaryCrossEntropy() with the caller's name in errors. */
export function binaryCrossEntropyImpl(op: string, input: Tensor, target: Tensor, opts: BCEOptions): Tensor {
  const [x, t] = checkPair(op, input, target);
  const w = opts.weight == null ? undefined : checkBroadcastWeight(op, opts.weight, 'weight', x.shape);
  const reduction = checkReduction(op, opts.reduction);
  return tidy(() => {
    let loss = t.mul(clampedLog(x)).add(t.neg().add(1).mul(clampedLog(x.neg().add(1)))).neg();
    if (w) loss = loss.mul(w);
    return reduce(loss, reduction);
  });
}

/**
 * -w (t log x + (1 - t) log(1 - x)) for probabilities x in [0, 1] and float targets of x's
 * shape; each log is clamped at -100 (PyTorch). Prefer binaryCrossEntropyWithLogits on logits.
 * @example binaryCrossEntropy(sigmoid(logits), targets)
 */
export function binaryCrossEntropy(input: Tensor, target: Tensor, opts: BCEOptions = {}): Tensor {
  return binaryCrossEntropyImpl('binaryCrossEntropy', input, target, opts);
}

/** binaryCrossEntropyWithLogits() with the caller's name in errors. */
export function bceWithLogitsImpl(op: string, input: Tensor, target: Tensor, opts: BCEWithLogitsOptions): Tensor {
  const [x, t] = checkPair(op, input, target);
  const w = opts.weight == null ? undefined : checkBroadcastWeight(op, opts.weight, 'weight', x.shape);
  const pw = opts.posWeight == null ? undefined : checkBroadcastWeight(op, opts.posWeight, 'posWeight', x.shape);
  const reduction = checkReduction(op, opts.reduction);
  return tidy(() => {
    // (1 - t) x + (1 + (pw - 1) t) softplus(-x), with softplus computed stably by the kernel.
    const sp = softplus(x.neg());
    const logWeight = pw ? pw.sub(1).mul(t).add(1) : undefined;
    let loss = t.neg().add(1).mul(x).add(logWeight ? logWeight.mul(sp) : sp);
    if (w) loss = loss.mul(w);
    return reduce(loss, reduction);
  });
}

/**
 * Binary cross-entropy of logits x against float targets t, stable for any magnitude:
 * (1 - t) x + (1 + (posWeight - 1) t) log(1 + e^-x), times `weight`.
 * @example binaryCrossEntropyWithLogits(logits, targets, { posWeight: tensor([3]) })
 */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, opts: BCEWithLogitsOptions = {}): Tensor {
  return bceWithLogitsImpl('binaryCrossEntropyWithLogits', input, target, opts);
}

/** Short name of binaryCrossEntropyWithLogits. @example bceWithLogits(logits, targets) */
export const bceWithLogits = binaryCrossEntropyWithLogits;

/**
 * binaryCrossEntropy as a module (torch.nn.BCELoss).
 * @example new BCELoss().call(probs, targets)
 */
export class BCELoss extends Loss {
  /** The element weights, a buffer, or null. */
  readonly weight: Tensor | null;

  constructor(opts: BCEOptions = {}) {
    super(opts.reduction);
    this.weight = opts.weight == null ? null : this.buffer('weight', opts.weight);
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropyImpl('BCELoss', input, target, { weight: this.weight, reduction: this.reduction });
  }
}

/**
 * binaryCrossEntropyWithLogits as a module (torch.nn.BCEWithLogitsLoss).
 * @example new BCEWithLogitsLoss({ posWeight: tensor([2]) }).call(logits, targets)
 */
export class BCEWithLogitsLoss extends Loss {
  /** The element weights, a buffer, or null. */
  readonly weight: Tensor | null;
  /** The positive-class weights, a buffer (`pos_weight`), or null. */
  readonly posWeight: Tensor | null;

  constructor(opts: BCEWithLogitsOptions = {}) {
    super(opts.reduction);
    this.weight = opts.weight == null ? null : this.buffer('weight', opts.weight);
    this.posWeight = opts.posWeight == null ? null : this.buffer('pos_weight', opts.posWeight);
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return bceWithLogitsImpl('BCEWithLogitsLoss', input, target, { weight: this.weight, posWeight: this.posWeight, reduction: this.reduction });
  }
}
