// Negative log-likelihood of class indices (torch.nn.functional.nll_loss), the core of
// cross-entropy: weighted, with an ignored index and PyTorch's weighted mean.
import { ShapeError, cast, fmt, logicalAnd, notEqual, oneHot, tidy, transpose, where, type Tensor } from '@tensile/core';
import { checkDType, checkFloat, checkInt, sameShape } from '../check.js';
import { Loss } from './loss.js';
import { checkReduction, type Reduction } from './reduction.js';

export interface NLLLossOptions {
  /** A weight per class, [C]. */
  weight?: Tensor | null;
  /** Targets equal to it contribute nothing, to the sum or to the mean's denominator (default -100). */
  ignoreIndex?: number;
  reduction?: Reduction;
}

/** The class dim of input (1, or 0 for an unbatched [C]). */
export function classDim(input: Tensor): number {
  return input.rank === 1 ? 0 : 1;
}

/** input with its class dim moved last: [N, C, d1, ...] -> [N, d1, ..., C]. */
export function classesLast(input: Tensor): Tensor {
  if (input.rank <= 2) return input;
  const perm = [0, ...Array.from({ length: input.rank - 2 }, (_, i) => i + 2), 1];
  return transpose(input, perm);
}

/** Checks input [C] / [N, C] / [N, C, d1, ...] (float32) and returns C. */
export function checkLogits(op: string, input: unknown, what: string): Tensor {
  const x = checkFloat(op, input, 'input');
  if (x.rank === 0) throw new ShapeError(`${op}: input must be ${what} [C], [N, C] or [N, C, d1, ...], got a scalar`);
  return x;
}

/** Checks class-index targets: int32 with input's shape minus the class dim. */
export function checkIndexTarget(op: string, x: Tensor, target: unknown): Tensor {
  const t = checkDType(op, target, ['int32'], 'target');
  const want = x.shape.filter((_, i) => i !== classDim(x));
  if (!sameShape(t.shape, want)) {
    throw new ShapeError(`${op}: class-index target ${fmt(t.shape)} must be ${fmt(want)} for input ${fmt(x.shape)} (input without its class dim ${classDim(x)})`);
  }
  return t;
}

/** Checks a class weight: float32 [C]. */
export function checkClassWeight(op: string, weight: Tensor | null | undefined, c: number): Tensor | undefined {
  if (weight == null) return undefined;
  const w = checkFloat(op, weight, 'weight');
  if (w.rank !== 1 || w.shape[0] !== c) throw new ShapeError(`${op}: 'weight' must be [${c}] (one per class), got ${fmt(w.shape)}`);
  return w;
}

/**
 * The parts of a weighted NLL on class-last log-probabilities: per-element losses
 * -w[y] logp[y] (0 where ignored), the weights w[y] (0 where ignored: the mean's
 * denominator), and the valid mask.
 */
export function nllParts(logp: Tensor, target: Tensor, weight: Tensor | undefined, ignoreIndex: number): { loss: Tensor; wy: Tensor; valid: Tensor } {
  const c = logp.shape[logp.rank - 1]!;
  const validMask = notEqual(target, ignoreIndex);
  const valid = cast(validMask, 'float32');
  // oneHot gives a false row for negative or out-of-range indices; ignore an in-range index too.
  let oh = oneHot(target, c, { dtype: 'bool' });
  if (ignoreIndex >= 0 && ignoreIndex < c) oh = logicalAnd(oh, validMask.expandDims(-1));
  // Select with where, not a multiply: a -Infinity log-probability of another class (a masked
  // logit) must not turn 0 * -Infinity into NaN.
  const picked = where(oh, logp, 0).sum(-1);
  const wy = weight ? where(oh, weight, 0).sum(-1) : valid;
  return { loss: picked.mul(wy).neg(), wy, valid };
}

/** Sum or weighted mean (sum / total target weight) of NLL parts, or the elements. */
export function reduceWeighted(loss: Tensor, wy: Tensor, reduction: Reduction): Tensor {
  if (reduction === 'none') return loss;
  const total = loss.sum();
  return reduction === 'sum' ? total : total.div(wy.sum());
}

/**
 * Negative log-likelihood of int32 class indices under log-probabilities input [N, C] (or
 * [C], or [N, C, d1, ...] with target [N, d1, ...]): -weight[y] input[y], averaged with
 * weights as PyTorch (sum / sum of the targets' weights); ignoreIndex drops a target.
 * @example nllLoss(logSoftmax(logits, 1), labels)
 */
export function nllLoss(input: Tensor, target: Tensor, opts: NLLLossOptions = {}): Tensor {
  return nllLossImpl('nllLoss', input, target, opts);
}

/** nllLoss() with the caller's name in errors. */
export function nllLossImpl(op: string, input: Tensor, target: Tensor, opts: NLLLossOptions): Tensor {
  const x = checkLogits(op, input, 'log-probabilities');
  const t = checkIndexTarget(op, x, target);
  const w = checkClassWeight(op, opts.weight, x.shape[classDim(x)]!);
  const ignoreIndex = checkInt(op, opts.ignoreIndex ?? -100, 'ignoreIndex');
  const reduction = checkReduction(op, opts.reduction);
  return tidy(() => {
    const { loss, wy } = nllParts(classesLast(x), t, w, ignoreIndex);
    return reduceWeighted(loss, wy, reduction);
  });
}

/**
 * nllLoss as a module.
 * @example new NLLLoss({ ignoreIndex: 0 }).call(logProbs, labels)
 */
export class NLLLoss extends Loss {
  /** The class weights, a buffer (in the state dict as PyTorch's), or null. */
  readonly weight: Tensor | null;
  readonly ignoreIndex: number;

  constructor(opts: NLLLossOptions = {}) {
    super(opts.reduction);
    this.weight = opts.weight == null ? null : this.buffer('weight', opts.weight);
    this.ignoreIndex = checkInt('NLLLoss', opts.ignoreIndex ?? -100, 'ignoreIndex');
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return nllLossImpl('NLLLoss', input, target, { weight: this.weight, ignoreIndex: this.ignoreIndex, reduction: this.reduction });
  }
}
