// act(a @ b + bias) as one op: the FusedMatMul kernel where the backend has it, else its
// decomposition into MatMul, Binary and Unary. One gradient serves both paths.
import { fusedKernel, runFused } from '../engine/engine.js';
import { record } from '../autograd/tape.js';
import type { FusedActivation } from '../backend/kernels.js';
import { ArgumentError, ShapeError, fmt } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { add, unbroadcast } from './binary.js';
import { toFloat } from './cast.js';
import { checkMatMulShapes, matmul, matmulGrads, type MatMulOptions } from './matmul.js';
import { checkBool, checkDType, checkTensor, defineOp, describe } from './op.js';
import { relu, reluGrad } from './unary.js';

export interface FusedMatMulOptions extends MatMulOptions {
  /** Added to every row of the product: shape [N]. */
  bias?: Tensor;
  /** Applied last: 'linear' (none, the default) or 'relu'. */
  activation?: FusedActivation;
}

/**
 * activation(matmul(a, b) + bias) in one pass where the backend fuses it (tf.fused.matMul);
 * a and b are at least 2-D, bias is [N]. Same values and gradients as the composition.
 * @example fusedMatMul(x, w, { transposeB: true, bias: b, activation: 'relu' }) // relu(x @ w^T + b)
 */
export const fusedMatMul = defineOp((aIn: Tensor, bIn: Tensor, opts: FusedMatMulOptions = {}): Tensor => {
  const op = 'fusedMatMul';
  const a = checkTensor(op, aIn, 'a'), b = checkTensor(op, bIn, 'b');
  const tA = checkBool(op, opts.transposeA, 'transposeA'), tB = checkBool(op, opts.transposeB, 'transposeB');
  const activation = opts.activation ?? 'linear';
  if (activation !== 'linear' && activation !== 'relu') {
    throw new ArgumentError(`${op}: activation must be 'linear' or 'relu', got ${describe(activation)}`);
  }
  if (a.rank < 2 || b.rank < 2) throw new ShapeError(`${op}: a and b need rank >= 2, got a ${fmt(a.shape)} and b ${fmt(b.shape)}`);
  for (const [t, n] of [[a, 'a'], [b, 'b']] as const) checkDType(op, t, ['float32', 'int32', 'int8', 'uint8'], n);
  checkMatMulShapes(op, a.shape, b.shape, tA, tB, [a.shape, b.shape]);
  const n = b.shape[b.rank - (tB ? 2 : 1)]!;
  const bias = opts.bias === undefined ? undefined : checkTensor(op, opts.bias, 'bias');
  if (bias && (bias.rank !== 1 || bias.shape[0] !== n)) throw new ShapeError(`${op}: bias must have shape [${n}], got ${fmt(bias.shape)}`);
  if (!fusedKernel('FusedMatMul')) {
    const z = matmul(a, b, opts);
    const zb = bias ? add(z, bias) : z;
    return activation === 'relu' ? relu(zb) : zb;
  }
  const [af, bf] = [toFloat(a), toFloat(b)];
  const biasF = bias && toFloat(bias);
  const y = runFused('FusedMatMul', { a: af, b: bf, bias: biasF }, { transposeA: tA, transposeB: tB, activation });
  return record(op, y, biasF ? [af, bf, biasF] : [af, bf], (dy) => {
    const g = activation === 'relu' ? reluGrad(y, dy) : dy;
    const grads = matmulGrads(af, bf, g, tA, tB);
    return biasF ? [...grads, unbroadcast(g, biasF.shape)] : grads;
  }, activation === 'relu' ? [af, bf, y] : [af, bf]);
});
