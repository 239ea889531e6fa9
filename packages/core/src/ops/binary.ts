// Elementwise binary ops with numpy broadcasting: one kernel (`Binary{op}`), PyTorch dtype
// promotion, and each gradient beside its op, un-broadcast once in `unbroadcast`.
import { runKernel } from '../engine/engine.js';
import { record } from '../autograd/tape.js';
import type { BinaryOp } from '../backend/kernels.js';
import { promoteTypes, scalarDType, type DType } from '../dtype.js';
import { broadcastShapes, shapesEqual } from '../util/shape.js';
import type { Tensor } from '../tensor.js';
import { cast } from './cast.js';
import { asTensor, defineOp, type Scalarish } from './op.js';
import { sum } from './reduce.js';
import { reshape } from './reshape.js';
import { log, floor as floorOp, neg, square } from './unary.js';
import { DTypeError, fmt } from '../errors.js';

/** A binary op's operand after validation: a live tensor, or a JS scalar passed by value. */
type Operand = Tensor | number;
/** d(out)/d(one operand) times dy; called only for operands that are tensors needing grad. */
type Grad = (a: Operand, b: Operand, y: Tensor, dy: Tensor) => Tensor;

interface BinarySpec {
  /** 'float': integer operands become float32 (true division); 'bool': operands read as bool. */
  kind: 'arith' | 'float' | 'compare' | 'bool';
  /** The gradient for a and for b (absent: none flows). */
  da?: Grad;
  db?: Grad;
  /** What the backward reads: nothing, the operands, or the operands and the output. */
  saves?: 'none' | 'inputs' | 'all';
}

const half = 0.5;
const sq = (v: Operand): Operand => (typeof v === 'number' ? v * v : square(v));

const SPECS: Record<BinaryOp, BinarySpec> = {
  add: { kind: 'arith', da: (_a, _b, _y, dy) => dy, db: (_a, _b, _y, dy) => dy, saves: 'none' },
  sub: { kind: 'arith', da: (_a, _b, _y, dy) => dy, db: (_a, _b, _y, dy) => neg(dy), saves: 'none' },
  mul: { kind: 'arith', da: (_a, b, _y, dy) => mul(dy, b), db: (a, _b, _y, dy) => mul(dy, a), saves: 'inputs' },
  div: {
    kind: 'float', saves: 'inputs',
    da: (_a, b, _y, dy) => div(dy, b),
    db: (a, b, _y, dy) => neg(div(mul(dy, a), sq(b))),
  },
  floorDiv: { kind: 'arith' },
  // torch.remainder: d/da = 1, d/db = -floor(a / b).
  mod: { kind: 'arith', saves: 'inputs', da: (_a, _b, _y, dy) => dy, db: (a, b, _y, dy) => neg(mul(dy, floorOp(div(a, b)))) },
  pow: {
    kind: 'arith', saves: 'all',
    // b * a^(b-1), and 0 where b == 0 (as PyTorch; avoids 0 * Inf at a = 0).
    da: (a, b, _y, dy) => typeof b === 'number'
      ? mul(dy, b === 0 ? 0 : mul(pow(a, b - 1), b))
      : mul(dy, where(equal(b, 0), 0, mul(b, pow(a, sub(b, 1))))),
    // y * log(a); 0 where a == 0 and b >= 0 (as PyTorch), avoiding 0 * -Inf.
    db: (a, b, y, dy) => typeof a === 'number'
      ? mul(dy, a === 0 ? where(greaterEqual(b, 0), 0, mul(y, -Infinity)) : mul(y, Math.log(a)))
      : mul(dy, where(logicalAnd(equal(a, 0), greaterEqual(b, 0)), 0, mul(y, log(a)))),
  },
  // Ties split the gradient evenly between the operands (as PyTorch).
  maximum: { kind: 'arith', saves: 'inputs', da: (a, b, _y, dy) => mul(dy, wins(greater(a, b), a, b)), db: (a, b, _y, dy) => mul(dy, sub(1, wins(greater(a, b), a, b))) },
  minimum: { kind: 'arith', saves: 'inputs', da: (a, b, _y, dy) => mul(dy, wins(less(a, b), a, b)), db: (a, b, _y, dy) => mul(dy, sub(1, wins(less(a, b), a, b))) },
  atan2: {
    kind: 'float', saves: 'inputs',
    da: (a, b, _y, dy) => div(mul(dy, b), add(sq(a), sq(b))),
    db: (a, b, _y, dy) => neg(div(mul(dy, a), add(sq(a), sq(b)))),
  },
  equal: { kind: 'compare' }, notEqual: { kind: 'compare' }, less: { kind: 'compare' },
  lessEqual: { kind: 'compare' }, greater: { kind: 'compare' }, greaterEqual: { kind: 'compare' },
  logicalAnd: { kind: 'bool' }, logicalOr: { kind: 'bool' }, logicalXor: { kind: 'bool' },
};

/** 1 where `strict` holds, 1/2 where a and b tie, else 0 (float32). */
function wins(strict: Tensor, a: Operand, b: Operand): Tensor {
  return add(cast(strict, 'float32'), mul(cast(equal(a, b), 'float32'), half));
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

/** A validated operand: a live tensor, or a JS number/boolean (kept by value). */
function operand(op: string, x: Scalarish, arg: string): Tensor | number | boolean {
  return typeof x === 'number' || typeof x === 'boolean' ? x : asTensor(op, x, arg);
}

/** An operand's dtype; a scalar takes its tensor partner's (PyTorch's weak scalar typing). */
function dtypeOf(x: Tensor | number | boolean, partner: Tensor | number | boolean): DType {
  if (typeof x === 'object') return x.dtype;
  if (typeof partner === 'object') return scalarDType(x, partner.dtype);
  return typeof x === 'boolean' ? 'bool' : 'float32';
}

/** The operand converted to dtype `dt`: a tensor cast, a scalar as that dtype's value. */
function convert(x: Tensor | number | boolean, dt: DType): Operand {
  if (typeof x === 'object') return x.dtype === dt ? x : cast(x, dt);
  const v = typeof x === 'boolean' ? Number(x) : x;
  return dt === 'bool' ? Number(v !== 0) : v;
}

const shapeOf = (x: Tensor | number | boolean): readonly number[] => (typeof x === 'object' ? x.shape : []);

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

/**
 * Runs `Binary{op}` with broadcasting and promotion, and records its gradient. A JS scalar
 * operand travels to the kernel by value (nothing is uploaded). Integer pow with a negative
 * exponent gives the truncated 1 / a^-b (0 unless |a| = 1), for scalar and tensor exponents alike.
 */
export const binary = defineOp((op: BinaryOp, aIn: Scalarish, bIn: Scalarish): Tensor => {
  const spec = SPECS[op];
  let a0 = operand(op, aIn, 'a');
  const b0 = operand(op, bIn, 'b');
  // Two scalars: the first becomes a tensor, so the kernel always has one.
  if (typeof a0 !== 'object' && typeof b0 !== 'object') a0 = asTensor(op, a0, 'a');
  const shape = broadcastShapes(op, shapeOf(a0), shapeOf(b0));
  const dt = targetDType(op, spec.kind, dtypeOf(a0, b0), dtypeOf(b0, a0));
  const a = convert(a0, dt);
  const b = convert(b0, dt);
  const outDType = spec.kind === 'compare' || spec.kind === 'bool' ? 'bool' : dt;
  const y = runKernel('Binary', { a, b }, { op: dt === 'bool' ? BOOL_KERNEL[op] ?? op : op, shape, dtype: outDType });
  const { da, db } = spec;
  if (!da && !db) return y;
  const inputs = [a, b].filter((x): x is Tensor => typeof x === 'object');
  const saved = spec.saves === 'none' ? [] : spec.saves === 'all' ? [...inputs, y] : inputs;
  return record(op, y, inputs, (dy) => {
    const gs: (Tensor | null)[] = [];
    if (typeof a === 'object') gs.push(da && a.requiresGrad ? unbroadcast(da(a, b, y, dy), a.shape) : null);
    if (typeof b === 'object') gs.push(db && b.requiresGrad ? unbroadcast(db(a, b, y, dy), b.shape) : null);
    return gs;
  }, saved);
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
 * Picks a where cond is true, else b, broadcasting all three (torch.where). cond must be
 * bool (a DTypeError otherwise, as PyTorch); JS scalars for a and b travel by value.
 * @example where(tensor([true, false]), 1, tensor([5, 6])) // [1, 6]
 */
export const where = defineOp((condIn: Scalarish, aIn: Scalarish, bIn: Scalarish): Tensor => {
  const cond = asTensor('where', condIn, 'cond');
  if (cond.dtype !== 'bool') {
    throw new DTypeError(`where: argument 'cond' has dtype ${cond.dtype} (shape ${fmt(cond.shape)}); expected bool (compare first, e.g. x.greater(0))`);
  }
  const a0 = operand('where', aIn, 'a');
  const b0 = operand('where', bIn, 'b');
  broadcastShapes('where', cond.shape, shapeOf(a0), ['cond', 'a']);
  const shape = broadcastShapes('where', broadcastShapes('where', cond.shape, shapeOf(a0)), shapeOf(b0), ['cond and a', 'b']);
  const dt = promoteTypes(dtypeOf(a0, b0), dtypeOf(b0, a0));
  const a = convert(a0, dt);
  const b = convert(b0, dt);
  const y = runKernel('Where', { cond, a, b }, { shape, dtype: dt });
  const inputs = [a, b].filter((x): x is Tensor => typeof x === 'object');
  return record('where', y, inputs, (dy) => {
    const gs: (Tensor | null)[] = [];
    if (typeof a === 'object') gs.push(unbroadcast(where(cond, dy, 0), a.shape));
    if (typeof b === 'object') gs.push(unbroadcast(where(cond, 0, dy), b.shape));
    return gs;
  }, [cond]);
});
