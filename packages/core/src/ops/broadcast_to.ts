// Broadcasting a tensor to a larger shape (numpy rules).
import { ShapeError, fmt } from '../errors.js';
import { broadcastShapes, shapesEqual } from '../util/shape.js';
import type { Tensor } from '../tensor.js';
import { runKernel } from '../engine/engine.js';
import { record } from '../autograd/tape.js';
import { unbroadcast } from './binary.js';
import { checkTensor, defineOp } from './op.js';
import { reshape } from './reshape.js';

/**
 * Broadcasts x to `shape` (numpy rules; x's dims must be 1 or match). The gradient sums
 * back over the broadcast axes.
 * @example broadcastTo(tensor([1, 2]), [3, 2])
 */
export const broadcastTo = defineOp((xIn: Tensor, shape: number[]): Tensor => {
  const x = checkTensor('broadcastTo', xIn);
  const out = broadcastShapes('broadcastTo', x.shape, shape, ['x', 'shape']);
  if (!shapesEqual(out, shape)) {
    throw new ShapeError(`broadcastTo: cannot broadcast ${fmt(x.shape)} to ${fmt(shape)}`);
  }
  if (shapesEqual(x.shape, shape)) return reshape(x, shape);
  const y = runKernel('BroadcastTo', { x }, { shape: [...shape] });
  return record('broadcastTo', y, [x], (dy) => [unbroadcast(dy, x.shape)], []);
});
