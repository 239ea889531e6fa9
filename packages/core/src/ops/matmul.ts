// Matrix product with numpy/PyTorch semantics: 1-D operands, broadcast batch dims.
import { runKernel } from '../engine/engine.js';
import { record } from '../autograd/tape.js';
import { promoteTypes } from '../dtype.js';
import { DTypeError, ShapeError, fmt } from '../errors.js';
import { broadcastShapes } from '../util/shape.js';
import type { Tensor } from '../tensor.js';
import { cast } from './cast.js';
import { unbroadcast } from './binary.js';
import { checkBool, checkTensor, defineOp } from './op.js';
import { reshape } from './reshape.js';

export interface MatMulOptions {
  /** Use the transpose of a's last two dims (a must be at least 2-D). */
  transposeA?: boolean;
  /** Use the transpose of b's last two dims (b must be at least 2-D). */
  transposeB?: boolean;
}

/** The kernel call with its gradient; both operands at least 2-D and of one dtype. */
function matmul2(a: Tensor, b: Tensor, tA: boolean, tB: boolean): Tensor {
  const y = runKernel('MatMul', { a, b }, { transposeA: tA, transposeB: tB });
  return record('matmul', y, [a, b], (dy) => matmulGrads(a, b, dy, tA, tB), [a, b]);
}

/** Gradients of op(a) @ op(b) w.r.t. a and b for the upstream gradient g, un-broadcast. */
export function matmulGrads(a: Tensor, b: Tensor, g: Tensor, tA: boolean, tB: boolean): [Tensor | null, Tensor | null] {
  // An operand that does not require grad (the data, a frozen weight) costs no matmul.
  return [
    a.requiresGrad ? unbroadcast(tA ? matmul2(b, g, tB, true) : matmul2(g, b, false, !tB), a.shape) : null,
    b.requiresGrad ? unbroadcast(tB ? matmul2(g, a, true, tA) : matmul2(a, g, !tA, false), b.shape) : null,
  ];
}

/**
 * Checks the inner and batch dims of a [..., M, K] times b [..., K, N] (2-D or more, after
 * any 1-D promotion) and returns the broadcast batch shape; errors show the caller's shapes.
 */
export function checkMatMulShapes(
  op: string, a: readonly number[], b: readonly number[], tA: boolean, tB: boolean, shown: [number[], number[]],
): number[] {
  const k1 = a[a.length - (tA ? 2 : 1)]!, k2 = b[b.length - (tB ? 1 : 2)]!;
  if (k1 !== k2) {
    throw new ShapeError(`${op}: inner dims differ: a ${fmt(shown[0])}${tA ? '^T' : ''} has ${k1}, b ${fmt(shown[1])}${tB ? '^T' : ''} has ${k2}`);
  }
  try {
    return broadcastShapes(op, a.slice(0, -2), b.slice(0, -2));
  } catch {
    throw new ShapeError(`${op}: batch dims of a ${fmt(shown[0])} and b ${fmt(shown[1])} cannot be broadcast`);
  }
}

/**
 * Matrix product (torch.matmul): 1-D operands are promoted to a row/column and the extra
 * dim removed after; batch dims broadcast. Options transpose the last two dims of an operand.
 * @example matmul(ones([2, 3]), ones([3, 4])) // shape [2, 4], all 3
 */
export const matmul = defineOp((aIn: Tensor, bIn: Tensor, opts: MatMulOptions = {}): Tensor => {
  let a = checkTensor('matmul', aIn, 'a');
  let b = checkTensor('matmul', bIn, 'b');
  const tA = checkBool('matmul', opts.transposeA, 'transposeA'), tB = checkBool('matmul', opts.transposeB, 'transposeB');
  if (a.rank === 0 || b.rank === 0) {
    throw new ShapeError(`matmul: both operands need rank >= 1, got a ${fmt(a.shape)} and b ${fmt(b.shape)}`);
  }
  if ((tA && a.rank < 2) || (tB && b.rank < 2)) {
    throw new ShapeError(`matmul: transposeA/transposeB need a 2-D or higher operand, got a ${fmt(a.shape)} and b ${fmt(b.shape)}`);
  }
  if (a.dtype === 'bool' || b.dtype === 'bool') {
    throw new DTypeError(`matmul: bool operands are not supported (a ${a.dtype}${fmt(a.shape)}, b ${b.dtype}${fmt(b.shape)})`);
  }
  const aVec = a.rank === 1, bVec = b.rank === 1;
  const aShape = aVec ? [1, a.shape[0]!] : a.shape, bShape = bVec ? [b.shape[0]!, 1] : b.shape;
  const batch = checkMatMulShapes('matmul', aShape, bShape, tA, tB, [aIn.shape, bIn.shape]);
  const dt = promoteTypes(a.dtype, b.dtype);
  if (a.dtype !== dt) a = cast(a, dt);
  if (b.dtype !== dt) b = cast(b, dt);
  if (aVec) a = reshape(a, aShape);
  if (bVec) b = reshape(b, bShape);
  let y = matmul2(a, b, tA, tB);
  if (aVec || bVec) {
    const m = aVec ? [] : [y.shape[y.rank - 2]!];
    const n = bVec ? [] : [y.shape[y.rank - 1]!];
    y = reshape(y, [...batch, ...m, ...n]);
  }
  return y;
});
