// Constant padding.
import { runKernel } from '../engine/engine.js';
import { record } from '../autograd/tape.js';
import { ShapeError, fmt } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { checkTensor, defineOp, describe } from './op.js';
import { slice } from './slice.js';

/**
 * Pads each axis with `value`: pads[i] = [before, after] (numpy.pad, constant mode), one
 * pair per axis.
 * @example pad(tensor([1, 2]), [[1, 2]]) // [0, 1, 2, 0, 0]
 */
export const pad = defineOp((xIn: Tensor, pads: [number, number][], value: number = 0): Tensor => {
  const x = checkTensor('pad', xIn);
  if (!Array.isArray(pads) || pads.length !== x.rank ||
      pads.some((p) => !Array.isArray(p) || p.length !== 2 || p.some((v) => !Number.isInteger(v) || v < 0))) {
    throw new ShapeError(`pad: pads must be ${x.rank} pairs of non-negative integers for shape ${fmt(x.shape)}, got ${describe(pads)}`);
  }
  const y = runKernel('Pad', { x }, { pads: pads.map(([a, b]) => [a, b] as [number, number]), value });
  return record('pad', y, [x], (dy) => [slice(dy, pads.map((p) => p[0]), pads.map((p, i) => p[0] + x.shape[i]!))], []);
});
