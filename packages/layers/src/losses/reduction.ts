// Reductions shared by every loss (PyTorch's `reduction` argument).
import { ShapeError, fmt, type Tensor } from '@tensile/core';
import { checkChoice, checkDType, checkFloat, sameShape } from '../check.js';

/** 'none' keeps one loss per element, 'mean' (the default) averages, 'sum' adds. */
export type Reduction = 'none' | 'mean' | 'sum';

const REDUCTIONS: readonly Reduction[] = ['none', 'mean', 'sum'];

/** The reduction option, checked ('mean' when undefined). */
export function checkReduction(op: string, r: unknown): Reduction {
  return checkChoice(op, r, 'reduction', REDUCTIONS, 'mean');
}

/** Applies a reduction to elementwise losses. */
export function reduce(loss: Tensor, reduction: Reduction): Tensor {
  if (reduction === 'none') return loss;
  return reduction === 'sum' ? loss.sum() : loss.mean();
}

/** Checks input and target of an elementwise loss: float32 and of one shape (no silent broadcasting). */
export function checkPair(op: string, input: unknown, target: unknown): [Tensor, Tensor] {
  const x = checkFloat(op, input, 'input');
  const t = checkDType(op, target, ['float32'], 'target');
  if (!sameShape(x.shape, t.shape)) {
    throw new ShapeError(`${op}: target ${fmt(t.shape)} must have the shape of input ${fmt(x.shape)}`);
  }
  return [x, t];
}

/** Checks a float32 weight that broadcasts to `shape` (numpy rules). */
export function checkBroadcastWeight(op: string, weight: unknown, arg: string, shape: readonly number[]): Tensor {
  const w = checkFloat(op, weight, arg);
  const ok = w.rank <= shape.length && w.shape.every((d, i) => d === 1 || d === shape[shape.length - w.rank + i]);
  if (!ok) throw new ShapeError(`${op}: '${arg}' ${fmt(w.shape)} does not broadcast to input ${fmt([...shape])}`);
  return w;
}
