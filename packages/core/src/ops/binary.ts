// Elementwise binary ops with numpy broadcasting: one kernel (`Binary{op}`), PyTorch dtype
// promotion, and each gradient beside its op, un-broadcast once in `unbroadcast`.
import { runKernel } from '../engine/engine.js';
import { record } from '../autograd/tape.js';
import type { BinaryOp } from '../backend/kernels.js';
import { promoteTypes, type DType } from '../dtype.js';
import { broadcastShapes, shapesEqual } from '../util/shape.js';
import type { Tensor } from '../tensor.js';
import { cast } from './cast.js';
import { asTensor, defineOp, type Scalarish } from './op.js';
import { sum } from './reduce.js';
import { reshape } from './reshape.js';
import { log, floor as floorOp, neg, square } from './unary.js';
import { ArgumentError, DTypeError, fmt } from '../errors.js';

type Grad = (a: Tensor, b: Tensor, y: Tensor, dy: Tensor) => [Tensor | null, Tensor | null];

interface BinarySpec {
  /** 'float': integer operands become float32 (true division); 'bool': operands read as bool. */
  kind: 'arith' | 'float' | 'compare' | 'bool';
  grad?: Grad;
}

const half = 0.5;

const SPECS: Record<BinaryOp, BinarySpec> = {
  add: { kind: 'arith', grad: (_a, _b, _y, dy) => [dy, dy] },
  sub: { kind: 'arith', grad: (_a, _b, _y, dy) => [dy, neg(dy)] },
  mul: { kind: 'arith', grad: (a, b, _y, dy) => [mul(dy, b), mul(dy, a)] },
  div: { kind: 'float', grad: (a, b, _y, dy) => [div(dy, b), neg(div(mul(dy, a), square(b)))] },
  floorDiv: { kind: 'arith', grad: () => [null, null] },
  // torch.remainder: d/da = 1, d/db = -floor(a / b).
  mod: { kind: 'arith', grad: (a, b, _y, dy) => [dy, neg(mul(dy, floorOp(div(a, b))))] },
  pow: {
    kind: 'arith',
    grad: (a, b, y, dy) => [
      // b * a^(b-1), masked to 0 where b == 0 (as PyTorch; avoids 0 * Inf at a = 0).
      mul(dy, where(equal(b, 0), 0, mul(b, pow(a, sub(b, 1))))),
      // d/db = y * log(a); 0 where a == 0 and b >= 0 (as PyTorch), avoiding 0 * -Inf.
      mul(dy, where(logicalAnd(equal(a, 0), greaterEqual(b, 0)), 0, mul(y, log(a)))),
    ],
  },
  // Ties split the gradient evenly between the operands (as PyTorch).
  maximum: { kind: 'arith', grad: (a, b, _y, dy) => tieGrad(greater(a, b), equal(a, b), dy) },
  minimum: { kind: 'arith', grad: (a, b, _y, dy) => tieGrad(less(a, b), equal(a, b), dy) },
  atan2: {
    kind: 'float',
    grad: (a, b, _y, dy) => {
      const r = add(square(a), square(b));
      return [div(mul(dy, b), r), neg(div(mul(dy, a), r))];
    },
  },
  equal: { kind: 'compare' }, notEqual: { kind: 'compare' }, less: { kind: 'compare' },
  lessEqual: { kind: 'compare' }, greater: { kind: 'compare' }, greaterEqual: { kind: 'compare' },
  logicalAnd: { kind: 'bool' }, logicalOr: { kind: 'bool' }, logicalXor: { kind: 'bool' },
};

function tieGrad(wins: Tensor, ties: Tensor, dy: Tensor): [Tensor, Tensor] {
  const w = add(cast(wins, dy.dtype), mul(cast(ties, dy.dtype), half));
  return [mul(dy, w), mul(dy, sub(1, w))];
}

/** Sums `g` over the axes along which an operand of `shape` was broadcast. */
export function unbroadcast(g: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const lead = g.shape.length - shape.length;
  const axes: number[] = [];
  g.shape.forEach((d, i) => {
    if (i < lead || (shape[i - lead] === 1 && d !== 1)) axes.push(i);
  });
  return reshape(sum(g, axes, true), [...shape]);
}

function operands(op: string, aIn: Scalarish, bIn: Scalarish): [Tensor, Tensor] {
  const aT = typeof aIn === 'object' ? aIn : undefined;
  const bT = typeof bIn === 'object' ? bIn : undefined;
  const a = asTensor(op, aIn, 'a', bT?.dtype);
  const b = asTensor(op, bIn, 'b', aT?.dtype ?? a.dtype);
  return [a, b];
}

function targetDType(op: BinaryOp, kind: BinarySpec['kind'], a: DType, b: DType): DType {
  if (kind === 'bool') return 'bool';
  if (kind === 'float') return 'float32';
  const t = promoteTypes(a, b);
  if (kind === 'arith' && t === 'bool' && !BOOL_ARITH.has(op)) {
    throw new DTypeError(`${op}: not defined for two bool tensors (as PyTorch); cast one operand first`);
  }
  return t === 'int8' || t === 'uint8' ? 'int32' : t;
}

// PyTorch on two bool tensors: add is logical or, mul logical and, maximum/minimum stay bool.
const BOOL_ARITH = new Set<BinaryOp>(['add', 'mul', 'maximum', 'minimum']);
const BOOL_KERNEL: Partial<Record<BinaryOp, BinaryOp>> = { add: 'logicalOr', mul: 'logicalAnd', maximum: 'logicalOr', minimum: 'logicalAnd' };

/** Runs `Binary{op}` with broadcasting and promotion, and records its gradient. */
export const binary = defineOp((op: BinaryOp, aIn: Scalarish, bIn: Scalarish): Tensor => {
  const spec = SPECS[op];
  let [a, b] = operands(op, aIn, bIn);
  broadcastShapes(op, a.shape, b.shape);
  const dt = targetDType(op, spec.kind, a.dtype, b.dtype);
  if (op === 'pow' && dt === 'int32' && typeof bIn === 'number' && bIn < 0) {
    throw new ArgumentError(`pow: integers to negative integer powers are not allowed (a int32${fmt(a.shape)}, exponent ${bIn}), as PyTorch; cast a to float32`);
  }
  if (a.dtype !== dt) a = cast(a, dt);
  if (b.dtype !== dt) b = cast(b, dt);
  const y = runKernel('Binary', { a, b }, { op: dt === 'bool' ? BOOL_KERNEL[op] ?? op : op });
  const g = spec.grad;
  if (!g) return y;
  return record(op, y, [a, b], (dy) => {
    const [ga, gb] = g(a, b, y, dy);
    return [ga && unbroadcast(ga, a.shape), gb && unbroadcast(gb, b.shape)];
  });
});

/** a + b with broadcasting. @example add(tensor([1, 2]), 10) // [11, 12] */
export const add = (a: Scalarish, b: Scalarish): Tensor => binary('add', a, b);
/** a - b. @example sub(tensor([3]), 1) // [2] */
export const sub = (a: Scalarish, b: Scalarish): Tensor => binary('sub', a, b);
/** a * b. @example mul(tensor([2]), tensor([[1], [3]])) // [[2], [6]] */
export const mul = (a: Scalarish, b: Scalarish): Tensor => binary('mul', a, b);
/** True division: integers give a float32 result (torch.div). @example div(tensor([1], undefined, 'int32'), 2) // [0.5] */
export const div = (a: Scalarish, b: Scalarish): Tensor => binary('div', a, b);
/** Division rounded toward -Inf (Python //; torch.floor_divide). @example floorDiv(tensor([-7]), 2) // [-4] */
export const floorDiv = (a: Scalarish, b: Scalarish): Tensor => binary('floorDiv', a, b);
/** Remainder with the sign of the divisor (Python %; torch.remainder). @example mod(tensor([-7]), 3) // [2] */
export const mod = (a: Scalarish, b: Scalarish): Tensor => binary('mod', a, b);
/** a ** b. @example pow(tensor([2, 3]), 2) // [4, 9] */
export const pow = (a: Scalarish, b: Scalarish): Tensor => binary('pow', a, b);
/** Elementwise max; NaN propagates. @example maximum(tensor([1, 5]), 3) // [3, 5] */
export const maximum = (a: Scalarish, b: Scalarish): Tensor => binary('maximum', a, b);
/** Elementwise min; NaN propagates. @example minimum(tensor([1, 5]), 3) // [1, 3] */
export const minimum = (a: Scalarish, b: Scalarish): Tensor => binary('minimum', a, b);
/** atan2(a, b): the angle of the point (b, a). @example atan2(tensor([1]), tensor([1])) // [pi/4] */
export const atan2 = (a: Scalarish, b: Scalarish): Tensor => binary('atan2', a, b);
/** a == b (bool). @example equal(tensor([1, 2]), 2) // [false, true] */
export const equal = (a: Scalarish, b: Scalarish): Tensor => binary('equal', a, b);
/** a != b (bool). @example notEqual(tensor([1, 2]), 2) // [true, false] */
export const notEqual = (a: Scalarish, b: Scalarish): Tensor => binary('notEqual', a, b);
/** a < b (bool). @example less(tensor([1, 2]), 2) // [true, false] */
export const less = (a: Scalarish, b: Scalarish): Tensor => binary('less', a, b);
/** a <= b (bool). @example lessEqual(tensor([1, 2]), 2) // [true, true] */
export const lessEqual = (a: Scalarish, b: Scalarish): Tensor => binary('lessEqual', a, b);
/** a > b (bool). @example greater(tensor([1, 2]), 1) // [false, true] */
export const greater = (a: Scalarish, b: Scalarish): Tensor => binary('greater', a, b);
/** a >= b (bool). @example greaterEqual(tensor([1, 2]), 2) // [false, true] */
export const greaterEqual = (a: Scalarish, b: Scalarish): Tensor => binary('greaterEqual', a, b);
/** Logical and; operands are read as bool. @example logicalAnd(tensor([true, true]), tensor([true, false])) */
export const logicalAnd = (a: Scalarish, b: Scalarish): Tensor => binary('logicalAnd', a, b);
/** Logical or. @example logicalOr(tensor([false]), tensor([true])) // [true] */
export const logicalOr = (a: Scalarish, b: Scalarish): Tensor => binary('logicalOr', a, b);
/** Logical xor. @example logicalXor(tensor([true]), tensor([true])) // [false] */
export const logicalXor = (a: Scalarish, b: Scalarish): Tensor => binary('logicalXor', a, b);

/**
 * Picks a where cond is true, else b, broadcasting all three (torch.where). cond is read as bool.
 * @example where(tensor([true, false]), 1, tensor([5, 6])) // [1, 6]
 */
export const where = defineOp((condIn: Scalarish, aIn: Scalarish, bIn: Scalarish): Tensor => {
  let cond = asTensor('where', condIn, 'cond');
  let [a, b] = operands('where', aIn, bIn);
  broadcastShapes('where', cond.shape, a.shape, ['cond', 'a']);
  broadcastShapes('where', broadcastShapes('where', cond.shape, a.shape), b.shape, ['cond and a', 'b']);
  const dt = promoteTypes(a.dtype, b.dtype);
  if (cond.dtype !== 'bool') cond = cast(cond, 'bool');
  if (a.dtype !== dt) a = cast(a, dt);
  if (b.dtype !== dt) b = cast(b, dt);
  const y = runKernel('Where', { cond, a, b }, {});
  return record('where', y, [cond, a, b], (dy) => {
    const z = zerosScalar(dy);
    return [null, unbroadcast(where(cond, dy, z), a.shape), unbroadcast(where(cond, z, dy), b.shape)];
  });
});

function zerosScalar(like: Tensor): Tensor {
  return asTensor('where', 0, 'zero', like.dtype);
}
