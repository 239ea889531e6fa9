// Cross-entropy from logits (torch.nn.functional.cross_entropy): a stable log-softmax (one
// kernel, never softmax then log) and the NLL of class indices, or the cross-entropy against
// class probabilities; label smoothing, class weights, an ignored index, PyTorch's reductions.
import { ArgumentError, ShapeError, Tensor, fmt, logSoftmax, tidy } from '@tensile/core';
import { checkFloat, checkInt, checkNumber, sameShape } from '../check.js';
import { Loss } from './loss.js';
import { checkClassWeight, checkIndexTarget, checkLogits, classDim, classesLast, nllParts, reduceWeighted } from './nll_loss.js';
import { checkReduction, type Reduction } from './reduction.js';

export interface CrossEntropyOptions {
  /** A weight per class, [C]. */
  weight?: Tensor | null;
  /** Class-index targets equal to it contribute nothing (default -100); not for probability targets. */
  ignoreIndex?: number;
  reduction?: Reduction;
  /** Mixes the target with the uniform distribution: (1 - s) target + s / C (default 0). */
  labelSmoothing?: number;
}

/** crossEntropy() with the caller's name in errors. */
export function crossEntropyImpl(op: string, input: Tensor, target: Tensor, opts: CrossEntropyOptions): Tensor {
  const x = checkLogits(op, input, 'logits');
  const c = x.shape[classDim(x)]!;
  const w = checkClassWeight(op, opts.weight, c);
  const reduction = checkReduction(op, opts.reduction);
  const eps = checkNumber(op, opts.labelSmoothing, 'labelSmoothing', 0, 0, 1);
  if (target instanceof Tensor && target.dtype === 'float32') {
    // Class probabilities: the target has the input's shape.
    const t = checkFloat(op, target, 'target');
    if (!sameShape(t.shape, x.shape)) {
      throw new ShapeError(`${op}: float target ${fmt(t.shape)} is read as class probabilities and must have input's shape ${fmt(x.shape)}; ` +
        `class indices must be int32 ${fmt(x.shape.filter((_, i) => i !== classDim(x)))}`);
    }
    if (opts.ignoreIndex !== undefined) {
      throw new ArgumentError(`${op}: ignoreIndex applies to class-index targets, not to class probabilities (float target ${fmt(t.shape)})`);
    }
    return tidy(() => {
      const logp = logSoftmax(classesLast(x), -1);
      let p = classesLast(t);
      if (eps > 0) p = p.mul(1 - eps).add(eps / c);
      let per = p.mul(logp);
      if (w) per = per.mul(w);
      const loss = per.sum(-1).neg();
      if (reduction === 'none') return loss;
      return reduction === 'sum' ? loss.sum() : loss.sum().div(x.size / Math.max(c, 1));
    });
  }
  const t = checkIndexTarget(op, x, target);
  const ignoreIndex = checkInt(op, opts.ignoreIndex ?? -100, 'ignoreIndex');
  return tidy(() => {
    const logp = logSoftmax(classesLast(x), -1);
    const { loss, wy, valid } = nllParts(logp, t, w, ignoreIndex);
    const nll = reduceWeighted(loss, wy, reduction);
    if (eps === 0) return nll;
    // PyTorch: (1 - s) nll + s / C * smooth, smooth = -sum_c w_c logp_c (0 where ignored),
    // reduced with the same denominator as the nll.
    const smooth = (w ? logp.mul(w) : logp).sum(-1).neg().mul(valid);
    return nll.mul(1 - eps).add(reduceWeighted(smooth, wy, reduction).mul(eps / c));
  });
}

/**
 * Cross-entropy of logits input [N, C] (or [C], or [N, C, d1, ...]) against int32 class
 * indices [N] (or [N, d1, ...]) or float32 class probabilities of input's shape, computed
 * through a stable log-softmax. Weighted means divide by the targets' total weight (PyTorch).
 * @example crossEntropy(logits, labels, { labelSmoothing: 0.1 })
 */
export function crossEntropy(input: Tensor, target: Tensor, opts: CrossEntropyOptions = {}): Tensor {
  return crossEntropyImpl('crossEntropy', input, target, opts);
}

/**
 * crossEntropy as a module (torch.nn.CrossEntropyLoss).
 * @example const lossFn = new CrossEntropyLoss({ labelSmoothing: 0.1 }); lossFn.call(logits, labels)
 */
export class CrossEntropyLoss extends Loss {
  /** The class weights, a buffer (in the state dict as PyTorch's), or null. */
  readonly weight: Tensor | null;
  readonly ignoreIndex: number | undefined;
  readonly labelSmoothing: number;

  constructor(opts: CrossEntropyOptions = {}) {
    super(opts.reduction);
    this.weight = opts.weight == null ? null : this.buffer('weight', opts.weight);
    this.ignoreIndex = opts.ignoreIndex === undefined ? undefined : checkInt('CrossEntropyLoss', opts.ignoreIndex, 'ignoreIndex');
    this.labelSmoothing = checkNumber('CrossEntropyLoss', opts.labelSmoothing, 'labelSmoothing', 0, 0, 1);
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return crossEntropyImpl('CrossEntropyLoss', input, target, {
      weight: this.weight, ignoreIndex: this.ignoreIndex, reduction: this.reduction, labelSmoothing: this.labelSmoothing,
    });
  }
}
