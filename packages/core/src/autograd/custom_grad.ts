// A function with its own gradient (tf.customGrad, torch.autograd.Function): the forward runs
// untaped, and one node carries the user's backward, which may itself use any ops (and is
// recorded too under createGraph, so higher-order gradients of it work).
import { ArgumentError, ShapeError, fmt } from '../errors.js';
import { defineOp, describe } from '../ops/op.js';
import { reshape } from '../ops/reshape.js';
import { Tensor } from '../tensor.js';
import { noGrad, record } from './tape.js';

/** What a customGrad forward returns. */
export interface CustomGradResult {
  /** The function's value. */
  value: Tensor;
  /** Gradient per input from the value's gradient dy (null: none flows there). */
  gradFunc: (dy: Tensor) => Tensor | (Tensor | null)[];
  /**
   * Tensors gradFunc reads besides the inputs and the value (torch's save_for_backward):
   * they stay alive with the graph even after their handles are freed.
   */
  save?: Tensor[];
}

/**
 * Wraps `f` so its gradient is `gradFunc` instead of the gradient of the ops inside it.
 * @example
 * const clipGrad = customGrad((x: Tensor) => ({ value: x.mul(1), gradFunc: (dy) => [clip(dy, -1, 1)] }));
 */
export function customGrad<A extends Tensor[]>(f: (...inputs: A) => CustomGradResult): (...inputs: A) => Tensor {
  if (typeof f !== 'function') throw new ArgumentError(`customGrad: f must be a function, got ${describe(f)}`);
  return defineOp((...inputs: A): Tensor => {
    inputs.forEach((x, i) => {
      if (!(x instanceof Tensor)) throw new ArgumentError(`customGrad: input ${i} must be a Tensor, got ${describe(x)}`);
    });
    const res = noGrad(() => f(...inputs));
    if (!res || !(res.value instanceof Tensor) || typeof res.gradFunc !== 'function') {
      throw new ArgumentError('customGrad: f must return { value: Tensor, gradFunc: (dy) => grads }');
    }
    // A new handle, so the node never lands on an input that f returned unchanged.
    const value = noGrad(() => reshape(res.value, res.value.shape));
    const saved = [...inputs, ...(res.save ?? []), value];
    return record('customGrad', value, [...inputs], (dy) => {
      const out = res.gradFunc(dy);
      const grads = out instanceof Tensor ? [out] : out;
      if (!Array.isArray(grads) || grads.length !== inputs.length) {
        throw new ArgumentError(`customGrad: gradFunc returned ${Array.isArray(grads) ? grads.length : describe(grads)} gradients for ${inputs.length} inputs`);
      }
      grads.forEach((g, i) => {
        if (g !== null && !(g instanceof Tensor)) throw new ArgumentError(`customGrad: gradient ${i} must be a Tensor or null, got ${describe(g)}`);
        if (g && (g.shape.length !== inputs[i]!.shape.length || g.shape.some((d, j) => d !== inputs[i]!.shape[j]))) {
          throw new ShapeError(`customGrad: gradient ${i} has shape ${fmt(g.shape)} but input ${i} has ${fmt(inputs[i]!.shape)}`);
        }
      });
      return grads;
    }, saved);
  });
}
