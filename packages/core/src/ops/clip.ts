// Clamping to a range.
import { record } from '../autograd/tape.js';
import { noGrad } from '../autograd/tape.js';
import { ArgumentError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { cast } from './cast.js';
import { greater, less, logicalAnd, maximum, minimum, mul } from './binary.js';
import { checkTensor, defineOp, describe } from './op.js';
import { reshape } from './reshape.js';

/**
 * Clamps x to [min, max] (torch.clamp): min(max(x, min), max), so min > max gives max.
 * Either bound may be omitted. The gradient passes where min < x < max (0 at the bounds, as PyTorch).
 * @example clip(tensor([-2, 0.5, 3]), 0, 1) // [0, 0.5, 1]
 */
export const clip = defineOp((xIn: Tensor, lo?: number, hi?: number): Tensor => {
  const x = checkTensor('clip', xIn);
  for (const [n, v] of [['min', lo], ['max', hi]] as const) {
    if (v !== undefined && typeof v !== 'number') throw new ArgumentError(`clip: '${n}' must be a number, got ${describe(v)}`);
  }
  const y = noGrad(() => {
    let t = lo === undefined ? x : maximum(x, lo);
    t = hi === undefined ? t : minimum(t, hi);
    return t === x ? reshape(x, x.shape) : t;
  });
  return record('clip', y, [x], (dy) => {
    const inLo = lo === undefined ? null : greater(x, lo);
    const inHi = hi === undefined ? null : less(x, hi);
    const pass = inLo && inHi ? logicalAnd(inLo, inHi) : (inLo ?? inHi);
    return [pass ? mul(dy, cast(pass, dy.dtype)) : dy];
  }, [x]);
});
