// Elementwise unary ops: one kernel (`Unary{op}`), each op with its gradient beside it.
import { runKernel } from '../engine/engine.js';
import { record } from '../autograd/tape.js';
import type { UnaryOp } from '../backend/kernels.js';
import type { Tensor } from '../tensor.js';
import { cast, toFloat } from './cast.js';
import { add, div, mul, sub, greater, where } from './binary.js';
import { asTensor, defineOp, type Scalarish } from './op.js';
import { DTypeError, fmt } from '../errors.js';
import { zerosLike } from './creation.js';

type Grad = (x: Tensor, y: Tensor, dy: Tensor, alpha: number) => Tensor;

interface UnarySpec {
  /** 'float': integer inputs are cast to float32 first (as torch.exp on an int tensor). */
  kind: 'float' | 'keep' | 'bool';
  grad?: Grad;
  /** The values the gradient reads (saved with the graph): x, y, both, or none (shape only). */
  saves?: 'x' | 'y' | 'xy' | 'none';
}

const SQRT_2_OVER_PI_TIMES_2 = 2 / Math.sqrt(Math.PI);

/**
 * relu's gradient, for relu and the fused relu epilogues: dy where x > 0, else 0 (PyTorch's
 * threshold_backward, so 0 even where dy is NaN or Inf), in two kernels rather than a mask cast
 * to dy's dtype and multiplied (three).
 * @example reluGrad(tensor([-1, 2]), tensor([5, 5])) // [0, 5]
 */
export const reluGrad = (x: Tensor, dy: Tensor): Tensor => where(greater(x, 0), dy, 0);

const SPECS: Record<UnaryOp, UnarySpec> = {
  neg: { kind: 'keep', saves: 'none', grad: (_x, _y, dy) => neg(dy) },
  abs: { kind: 'keep', saves: 'x', grad: (x, _y, dy) => mul(dy, sign(x)) },
  sign: { kind: 'keep', saves: 'none', grad: (x) => zerosLike(x) },
  exp: { kind: 'float', saves: 'y', grad: (_x, y, dy) => mul(dy, y) },
  expm1: { kind: 'float', saves: 'y', grad: (_x, y, dy) => mul(dy, add(y, 1)) },
  log: { kind: 'float', saves: 'x', grad: (x, _y, dy) => div(dy, x) },
  log1p: { kind: 'float', saves: 'x', grad: (x, _y, dy) => div(dy, add(x, 1)) },
  sqrt: { kind: 'float', saves: 'y', grad: (_x, y, dy) => div(dy, mul(y, 2)) },
  rsqrt: { kind: 'float', saves: 'xy', grad: (x, y, dy) => mul(dy, mul(div(y, x), -0.5)) },
  square: { kind: 'keep', saves: 'x', grad: (x, _y, dy) => mul(dy, mul(x, 2)) },
  reciprocal: { kind: 'float', saves: 'y', grad: (_x, y, dy) => neg(mul(dy, square(y))) },
  sin: { kind: 'float', saves: 'x', grad: (x, _y, dy) => mul(dy, cos(x)) },
  cos: { kind: 'float', saves: 'x', grad: (x, _y, dy) => neg(mul(dy, sin(x))) },
  tanh: { kind: 'float', saves: 'y', grad: (_x, y, dy) => mul(dy, sub(1, square(y))) },
  sigmoid: { kind: 'float', saves: 'y', grad: (_x, y, dy) => mul(dy, mul(y, sub(1, y))) },
  softplus: { kind: 'float', saves: 'x', grad: (x, _y, dy) => mul(dy, sigmoid(x)) },
  relu: { kind: 'keep', saves: 'x', grad: (x, _y, dy) => reluGrad(x, dy) },
  erf: { kind: 'float', saves: 'x', grad: (x, _y, dy) => mul(dy, mul(exp(neg(square(x))), SQRT_2_OVER_PI_TIMES_2)) },
  floor: { kind: 'keep', saves: 'none', grad: (x) => zerosLike(x) },
  ceil: { kind: 'keep', saves: 'none', grad: (x) => zerosLike(x) },
  round: { kind: 'keep', saves: 'none', grad: (x) => zerosLike(x) },
  logicalNot: { kind: 'bool' },
  isNaN: { kind: 'keep' },
  isInf: { kind: 'keep' },
  leakyRelu: { kind: 'float', saves: 'x', grad: (x, _y, dy, a) => mul(dy, where(greater(x, 0), 1, a)) },
  elu: { kind: 'float', saves: 'xy', grad: (x, y, dy, a) => mul(dy, where(greater(x, 0), 1, add(y, a))) },
};

/** Runs `Unary{op}` with dtype handling and records its gradient. */
export function unary(op: UnaryOp, xIn: Scalarish, alpha = 0): Tensor {
  return unaryOp(op, xIn, alpha);
}

// PyTorch rejects these on bool tensors (e.g. "Negation ... on a bool tensor is not supported").
const NO_BOOL = new Set<UnaryOp>(['neg', 'abs', 'relu', 'floor', 'ceil', 'round', 'leakyRelu', 'elu']);

const unaryOp = defineOp((op: UnaryOp, xIn: Scalarish, alpha: number): Tensor => {
  const spec = SPECS[op];
  let x = asTensor(op, xIn, 'x');
  if (x.dtype === 'bool' && NO_BOOL.has(op)) {
    throw new DTypeError(`${op}: not defined for a bool tensor (shape ${fmt(x.shape)}), as PyTorch; cast it first`);
  }
  // square is pow(x, 2): bool squares to an integer tensor.
  if (op === 'square' && x.dtype === 'bool') x = cast(x, 'int32');
  if (spec.kind === 'float') x = toFloat(x);
  if (spec.kind === 'bool' && x.dtype !== 'bool') x = cast(x, 'bool');
  if (op === 'isNaN' || op === 'isInf') {
    if (x.dtype !== 'float32') return cast(zerosLike(x), 'bool');
  }
  const attrs = op === 'leakyRelu' || op === 'elu' ? { op, alpha } : { op };
  const y = runKernel('Unary', { x }, attrs);
  const g = spec.grad;
  if (!g) return y;
  const saves = spec.saves ?? 'xy';
  const saved = saves === 'none' ? [] : saves === 'x' ? [x] : saves === 'y' ? [y] : [x, y];
  return record(op, y, [x], (dy) => [g(x, y, dy, alpha)], saved);
});

/** -x. @example neg(tensor([1, -2])) // [-1, 2] */
export const neg = (x: Scalarish): Tensor => unary('neg', x);
/** |x|. @example abs(tensor([-1.5])) // [1.5] */
export const abs = (x: Scalarish): Tensor => unary('abs', x);
/** -1, 0 or 1; NaN gives 0 (as PyTorch). @example sign(tensor([-3, 0, 2])) */
export const sign = (x: Scalarish): Tensor => unary('sign', x);
/** e^x. @example exp(tensor([0])) // [1] */
export const exp = (x: Scalarish): Tensor => unary('exp', x);
/** e^x - 1, accurate near 0. @example expm1(tensor([1e-10])) */
export const expm1 = (x: Scalarish): Tensor => unary('expm1', x);
/** Natural log (log 0 = -Inf, log of a negative = NaN). @example log(tensor([1])) // [0] */
export const log = (x: Scalarish): Tensor => unary('log', x);
/** log(1 + x), accurate near 0. @example log1p(tensor([1e-10])) */
export const log1p = (x: Scalarish): Tensor => unary('log1p', x);
/** Square root. @example sqrt(tensor([4])) // [2] */
export const sqrt = (x: Scalarish): Tensor => unary('sqrt', x);
/** 1 / sqrt(x). @example rsqrt(tensor([4])) // [0.5] */
export const rsqrt = (x: Scalarish): Tensor => unary('rsqrt', x);
/** x * x. @example square(tensor([3])) // [9] */
export const square = (x: Scalarish): Tensor => unary('square', x);
/** 1 / x. @example reciprocal(tensor([4])) // [0.25] */
export const reciprocal = (x: Scalarish): Tensor => unary('reciprocal', x);
/** Sine. @example sin(tensor([0])) */
export const sin = (x: Scalarish): Tensor => unary('sin', x);
/** Cosine. @example cos(tensor([0])) // [1] */
export const cos = (x: Scalarish): Tensor => unary('cos', x);
/** Hyperbolic tangent. @example tanh(tensor([0])) // [0] */
export const tanh = (x: Scalarish): Tensor => unary('tanh', x);
/** 1 / (1 + e^-x), stable for large |x|. @example sigmoid(tensor([0])) // [0.5] */
export const sigmoid = (x: Scalarish): Tensor => unary('sigmoid', x);
/** log(1 + e^x), stable (torch.nn.functional.softplus with beta 1). @example softplus(tensor([0])) */
export const softplus = (x: Scalarish): Tensor => unary('softplus', x);
/** max(x, 0); the gradient at 0 is 0 (as PyTorch). @example relu(tensor([-1, 2])) // [0, 2] */
export const relu = (x: Scalarish): Tensor => unary('relu', x);
/** The Gauss error function. @example erf(tensor([0])) // [0] */
export const erf = (x: Scalarish): Tensor => unary('erf', x);
/** Rounds toward -Inf. @example floor(tensor([-1.5])) // [-2] */
export const floor = (x: Scalarish): Tensor => unary('floor', x);
/** Rounds toward +Inf. @example ceil(tensor([1.2])) // [2] */
export const ceil = (x: Scalarish): Tensor => unary('ceil', x);
/** Rounds half to even (torch.round). @example round(tensor([0.5, 1.5])) // [0, 2] */
export const round = (x: Scalarish): Tensor => unary('round', x);
/** Logical not; the input is read as bool (non-zero is true). @example logicalNot(tensor([true])) */
export const logicalNot = (x: Scalarish): Tensor => unary('logicalNot', x);
/** True where x is NaN. @example isNaN(tensor([NaN, 1])) */
export const isNaN = (x: Scalarish): Tensor => unary('isNaN', x);
/** True where x is +Inf or -Inf. @example isInf(tensor([Infinity, 1])) */
export const isInf = (x: Scalarish): Tensor => unary('isInf', x);
