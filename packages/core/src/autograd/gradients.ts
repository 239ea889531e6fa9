// gradients(): the reverse pass from one result to chosen tensors, and Tensor.backward(),
// which accumulates into the `grad` of every leaf that requires it (PyTorch's loss.backward()).
import { keep, tidy } from '../engine/scope.js';
import { release } from '../engine/engine.js';
import { ShapeError, fmt } from '../errors.js';
import { add } from '../ops/binary.js';
import { onesLike, zerosLike } from '../ops/creation.js';
import { checkTensor } from '../ops/op.js';
import type { Tensor } from '../tensor.js';
import { alias, backward, leavesOf, type BackwardOptions } from './tape.js';
import { shapesEqual } from '../util/shape.js';

export interface GradientsOptions extends BackwardOptions {
  /** The gradient flowing into y (default ones: the gradient of y.sum()). */
  dy?: Tensor;
}

/**
 * Gradients of `y` with respect to each of `wrt` (tensors that require grad), seeded with
 * `dy` (default: ones, the gradient of y.sum()). Zeros where y does not depend on one. The
 * graph's saved buffers are freed after the pass unless `retainGraph`; with `createGraph` the
 * gradients are themselves differentiable. The building block of `loss.backward()`.
 * @example const [gw] = gradients(loss, [w]);
 */
export function gradients(y: Tensor, wrt: readonly Tensor[], opts: GradientsOptions = {}): Tensor[] {
  checkTensor('gradients', y, 'y');
  wrt.forEach((x, i) => checkTensor('gradients', x, `wrt[${i}]`));
  const { dy } = opts;
  if (dy !== undefined) {
    checkTensor('gradients', dy, 'dy');
    if (!shapesEqual(dy.shape, y.shape)) {
      throw new ShapeError(`gradients: dy ${fmt(dy.shape)} must have the shape of y ${fmt(y.shape)}`);
    }
  }
  // The seed and the backward pass's intermediates are freed; only the gradients remain.
  return tidy(() => {
    const seed = dy === undefined ? onesLike(y) : alias(dy);
    const gs = backward(y, wrt, seed, add, opts);
    return gs.map((g, i) => g ?? zerosLike(wrt[i]!));
  });
}

/**
 * PyTorch's `loss.backward()`: adds the gradient of `y` to the `grad` of every leaf it depends
 * on that requires grad (variables), creating it on first use. `y` must be a scalar unless
 * `dy` is given. The accumulated gradients live outside every tidy scope until `zeroGrad()`
 * or dispose; the graph is freed unless `retainGraph`.
 * @example loss.backward(); w.grad // d loss / d w
 */
export function backwardInto(y: Tensor, opts: GradientsOptions = {}): void {
  checkTensor('backward', y, 'this');
  if (opts.dy === undefined && y.size !== 1) {
    throw new ShapeError(`backward: the result has shape ${fmt(y.shape)}; pass { dy } for a non-scalar (gradients are implicit only for scalars, as PyTorch)`);
  }
  const leaves = leavesOf(y);
  if (leaves.length === 0) return;
  const gs = gradients(y, leaves, opts);
  leaves.forEach((v, i) => {
    const g = gs[i]!;
    if (v.grad === null || v.grad.isDisposed) {
      v.grad = keep(g);
      return;
    }
    const total = keep(tidy(() => add(v.grad!, g)));
    release(v.grad);
    release(g);
    v.grad = total;
  });
}
