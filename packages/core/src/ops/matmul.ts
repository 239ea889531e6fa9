// Matrix product with numpy/PyTorch semantics: 1-D operands, broadcast batch dims.
import { runKernel } from '../engine/engine.js';
import { record } from '../autograd/tape.js';
import { promoteTypes } from '../dtype.js';
import { DTypeError, ShapeError, fmt } from '../errors.js';
import { broadcastShapes } from '../util/shape.js';
import type { Tensor } from '../tensor.js';
import { cast } from './cast.js';
import { unbroadcast } from './binary.js';
import { checkTensor, defineOp } from './op.js';
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
  return record('matmul', y, [a, b], (dy) => [
    unbroadcast(tA ? matmul2(b, dy, tB, true) : matmul2(dy, b, false, !tB), a.shape),
    unbroadcast(tB ? matmul2(dy, a, true, tA) : matmul2(a, dy, !tA, false), b.shape),
  ]);
}

/**
 * Matrix product (torch.matmul): 1-D operands are promoted to a row/column and the extra
 * dim removed after; batch dims broadcast. Options transpose the last two dims of an operand.
 * @example matmul(ones([2, 3]), ones([3, 4])) // shape [2, 4], all 3
 */
export const matmul = defineOp((aIn: Tensor, bIn: Tensor, opts: MatMulOptions = {}): Tensor => {
  let a = checkTensor('matmul', aIn, 'a');
  let b = checkTensor('matmul', bIn, 'b');
  const tA = !!opts.transposeA, tB = !!opts.transposeB;
  if (a.rank === 0 || b.rank === 0) {
    throw new ShapeError(`matmul: both operands need rank >= 1, got a ${fmt(a.shape)} and b ${fmt(b.shape)}`);
  }
  if ((tA && a.rank < 2) || (tB && b.rank < 2)) {
    throw new ShapeError(`matmul: transposeA/transposeB need a 2-D or higher operand, got a ${fmt(a.shape)} and b ${fmt(b.shape)}`);
  }
  if (a.dtype === 'bool' || b.dtype === 'bool') {
    throw new DTypeError(`matmul: bool operands are not supported (a ${a.dtype}${fmt(a.shape)}, b ${b.dtype}${fmt(b.shape)})`);
  }
  const dt = promoteTypes(a.dtype, b.dtype);
  if (a.dtype !== dt) a = cast(a, dt);
  if (b.dtype !== dt) b = cast(b, dt);
  const aVec = a.rank === 1, bVec = b.rank === 1;
  if (aVec) a = reshape(a, [1, a.shape[0]!]);
  if (bVec) b = reshape(b, [b.shape[0]!, 1]);
  const k1 = a.shape[a.rank - (tA ? 2 : 1)]!, k2 = b.shape[b.rank - (tB ? 1 : 2)]!;
  if (k1 !== k2) {
    throw new ShapeError(`matmul: inner dims differ: a ${fmt(aIn.shape)}${tA ? '^T' : ''} has ${k1}, b ${fmt(bIn.shape)}${tB ? '^T' : ''} has ${k2}`);
  }
  let batch: number[];
  try {
    batch = broadcastShapes('matmul', a.shape.slice(0, -2), b.shape.slice(0, -2));
  } catch {
    throw new ShapeError(`matmul: batch dims of a ${fmt(aIn.shape)} and b ${fmt(bIn.shape)} cannot be broadcast`);
  }
  let y = matmul2(a, b, tA, tB);
  if (aVec || bVec) {
    const m = aVec ? [] : [y.shape[y.rank - 2]!];
    const n = bVec ? [] : [y.shape[y.rank - 1]!];
    y = reshape(y, [...batch, ...m, ...n]);
  }
  return y;
});
