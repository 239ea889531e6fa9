// The affine map of Linear: y = x W^T + b over the last dim (torch.nn.functional.linear).
import { ShapeError, fmt, fusedMatMul, reshape, tidy, type Tensor } from '@tensile/core';
import { checkFloat } from '../check.js';

/** linear() with the caller's name in errors (Linear uses its own). */
export function linearImpl(op: string, xIn: Tensor, weightIn: Tensor, biasIn?: Tensor | null): Tensor {
  const x = checkFloat(op, xIn, 'x');
  const w = checkFloat(op, weightIn, 'weight');
  const b = biasIn == null ? undefined : checkFloat(op, biasIn, 'bias');
  if (w.rank !== 2) throw new ShapeError(`${op}: weight must be [out_features, in_features], got ${fmt(w.shape)}`);
  const [out, inF] = w.shape as [number, number];
  if (x.rank === 0 || x.shape[x.rank - 1] !== inF) {
    throw new ShapeError(`${op}: x ${fmt(x.shape)} must have in_features = ${inF} in its last dim (weight ${fmt(w.shape)})`);
  }
  if (b && (b.rank !== 1 || b.shape[0] !== out)) throw new ShapeError(`${op}: bias must be [${out}] for weight ${fmt(w.shape)}, got ${fmt(b.shape)}`);
  return tidy(() => {
    const lead = x.shape.slice(0, -1);
    const x2 = x.rank === 2 ? x : reshape(x, [lead.reduce((a, d) => a * d, 1), inF]);
    const y = fusedMatMul(x2, w, { transposeB: true, bias: b });
    return x.rank === 2 ? y : reshape(y, [...lead, out]);
  });
}

/**
 * x W^T + b over the last dim of x [..., in] with weight [out, in] and bias [out] (PyTorch's layout).
 * @example linear(ones([2, 3]), ones([4, 3]), zeros([4])) // [2, 4] of 3s
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  return linearImpl('linear', x, weight, bias);
}
