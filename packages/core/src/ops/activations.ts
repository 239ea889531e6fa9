// Activation functions that take parameters or are composed from other ops.
import type { Tensor } from '../tensor.js';
import { add, mul } from './binary.js';
import { checkNumber, checkTensor, defineOp } from './op.js';
import { ArgumentError } from '../errors.js';
import { erf, tanh, unary } from './unary.js';
import { pow } from './binary.js';

/**
 * x for x > 0, alpha * x otherwise (default alpha 0.01, as PyTorch).
 * @example leakyRelu(tensor([-1, 2])) // [-0.01, 2]
 */
export function leakyRelu(x: Tensor, alpha?: number): Tensor {
  checkTensor('leakyRelu', x);
  return unary('leakyRelu', x, checkNumber('leakyRelu', alpha, 'alpha', 0.01));
}

/**
 * x for x > 0, alpha * (e^x - 1) otherwise (default alpha 1).
 * @example elu(tensor([-1, 2]))
 */
export function elu(x: Tensor, alpha?: number): Tensor {
  checkTensor('elu', x);
  return unary('elu', x, checkNumber('elu', alpha, 'alpha', 1));
}

const SQRT1_2 = Math.SQRT1_2;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/**
 * Gaussian error linear unit: exact x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2)) by default;
 * `{approximate: 'tanh'}` uses 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) (PyTorch).
 * @example gelu(tensor([1])) // [0.8413]
 */
export const gelu = defineOp((xIn: Tensor, opts: { approximate?: 'none' | 'tanh' } = {}): Tensor => {
  const x = checkTensor('gelu', xIn);
  const mode = opts.approximate ?? 'none';
  if (mode === 'none') return mul(mul(x, 0.5), add(erf(mul(x, SQRT1_2)), 1));
  if (mode !== 'tanh') throw new ArgumentError(`gelu: approximate must be 'none' or 'tanh', got '${String(mode)}'`);
  const inner = mul(add(x, mul(pow(x, 3), 0.044715)), SQRT_2_OVER_PI);
  return mul(mul(x, 0.5), add(tanh(inner), 1));
});
