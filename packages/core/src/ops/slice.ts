// Python-style slicing with begin/end/step per leading axis.
import { runKernel } from '../engine/engine.js';
import { record } from '../autograd/tape.js';
import { ArgumentError, ShapeError, fmt } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { arange } from './creation.js';
import { checkTensor, defineOp, describe } from './op.js';
import { pad } from './pad.js';
import { scatterAdd } from './gather.js';

type Bound = number | null | undefined;
type Bounds = Bound | Bound[];

function list(b: Bounds, rank: number, op: string, arg: string): Bound[] {
  const l = Array.isArray(b) ? b : b === undefined ? [] : [b];
  if (l.length > rank) throw new ShapeError(`${op}: '${arg}' has ${l.length} entries but the tensor has rank ${rank}`);
  for (const v of l) {
    if (v !== null && v !== undefined && !Number.isInteger(v)) throw new ArgumentError(`${op}: '${arg}' entries must be integers or null, got ${describe(l)}`);
  }
  return l;
}

/**
 * Python slicing `x[b0:e0:s0, b1:e1:s1, ...]` over the leading axes: negative indices count
 * from the end, out-of-range bounds clamp, null/undefined means the whole axis, steps are
 * positive (as PyTorch).
 * @example slice(arange(10), 2, -2, 3) // [2, 5]
 */
export const slice = defineOp((xIn: Tensor, begin?: Bounds, end?: Bounds, step?: Bounds): Tensor => {
  const x = checkTensor('slice', xIn);
  const bs = list(begin, x.rank, 'slice', 'begin'), es = list(end, x.rank, 'slice', 'end'), ss = list(step, x.rank, 'slice', 'step');
  const b: number[] = [], size: number[] = [], st: number[] = [];
  x.shape.forEach((dim, i) => {
    const s = ss[i] ?? 1;
    if (s <= 0) throw new ArgumentError(`slice: step must be positive, got ${s} on axis ${i} of ${fmt(x.shape)}`);
    const clampIdx = (v: Bound, dflt: number): number => {
      if (v === null || v === undefined) return dflt;
      const w = v < 0 ? v + dim : v;
      return Math.min(Math.max(w, 0), dim);
    };
    const lo = clampIdx(bs[i], 0), hi = clampIdx(es[i], dim);
    b.push(lo);
    size.push(Math.max(0, Math.ceil((hi - lo) / s)));
    st.push(s);
  });
  const y = runKernel('Slice', { x }, { begin: b, size, step: st });
  return record('slice', y, [x], (dy) => [unslice(dy, x.shape, b, size, st)], []);
});

/** The adjoint of slicing: places dy back into zeros of `shape`. */
function unslice(dy: Tensor, shape: number[], b: number[], size: number[], st: number[]): Tensor {
  let g = dy;
  shape.forEach((dim, i) => {
    if (st[i] === 1) {
      const pads = shape.map((): [number, number] => [0, 0]);
      pads[i] = [b[i]!, dim - b[i]! - size[i]!];
      g = pad(g, pads);
    } else {
      g = scatterAdd(g, arange(b[i]!, b[i]! + size[i]! * st[i]!, st[i]!, 'int32'), i, dim);
    }
  });
  return g;
}
