// Binary: elementwise ops with numpy broadcasting, PyTorch semantics per dtype.
import { allocate, shapeUtil } from '@tensile/core';
import type { BinaryOp, DType, KernelImpl, Operand, TensorInfo, TypedArray } from '@tensile/core';
import type { JsBackend } from '../backend.js';
import { broadcastPlan, forEachRow } from './broadcast.js';
import type { Computed } from './types.js';

/**
 * out[o + i] = a[ia + i*sa] (op) b[ib + i*sb] for i < n. One loop per op keeps the op
 * inlined; offsets advance in the body, which V8 compiles faster than the for-update clause.
 */
type Loop = (out: TypedArray, o: number, a: TypedArray, ia: number, sa: number, b: TypedArray, ib: number, sb: number, n: number) => void;

const COMPARISONS: ReadonlySet<BinaryOp> = new Set<BinaryOp>([
  'equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual', 'logicalAnd', 'logicalOr', 'logicalXor',
]);

/** Python's floor division for doubles: exact via fmod, like torch.floor_divide. */
function floorDivF(x: number, y: number): number {
  if (y === 0) return x / y;
  const mod = x % y;
  let div = (x - mod) / y;
  if (mod !== 0 && y < 0 !== mod < 0) div -= 1;
  if (div === 0) return 0 * (x / y); // signed zero, as C's copysign(0, x / y)
  const f = Math.floor(div);
  return div - f > 0.5 ? f + 1 : f;
}

/** Python's modulo for doubles (sign of the divisor), exact via fmod, like torch.remainder. */
function modF(x: number, y: number): number {
  const r = x % y;
  return r !== 0 && y < 0 !== r < 0 ? r + y : r;
}

/** C's pow: JS's Math.pow returns NaN for 1^NaN, 1^±Inf and (-1)^±Inf where C returns 1. */
function powF(x: number, y: number): number {
  if (x === 1 || (x === -1 && (y === Infinity || y === -Infinity))) return 1;
  return Math.pow(x, y);
}

/** int32 pow by squaring with wrapping products; a negative exponent gives 0 unless |x| is 1. */
function powI(x: number, y: number): number {
  if (y < 0) return x === 1 ? 1 : x === -1 ? (y & 1 ? -1 : 1) : 0;
  let r = 1;
  for (let base = x, e = y; e > 0; e >>>= 1) {
    if (e & 1) r = Math.imul(r, base);
    base = Math.imul(base, base);
  }
  return r;
}

/** int32 floor division; division by zero gives 0 (PyTorch raises; a kernel cannot). */
function floorDivI(x: number, y: number): number {
  return y === 0 ? 0 : Math.floor(x / y);
}

/** int32 modulo with the divisor's sign; modulo zero gives 0 (PyTorch raises; a kernel cannot). */
function modI(x: number, y: number): number {
  if (y === 0) return 0;
  const r = x % y;
  return r !== 0 && y < 0 !== r < 0 ? r + y : r;
}

// Writes into Int32Array/Uint8Array convert with ToInt32/ToUint8, so exact double sums and
// differences of int32 operands wrap exactly like int32; only products need Math.imul.
const FLOAT_LOOPS: Record<BinaryOp, Loop> = {
  add: (out, o, a, ia, sa, b, ib, sb, n) => { for (let i = 0; i < n; i++) { out[o + i] = a[ia] + b[ib]; ia += sa; ib += sb; } },
  sub: (out, o, a, ia, sa, b, ib, sb, n) => { for (let i = 0; i < n; i++) { out[o + i] = a[ia] - b[ib]; ia += sa; ib += sb; } },
  mul: (out, o, a, ia, sa, b, ib, sb, n) => { for (let i = 0; i < n; i++) { out[o + i] = a[ia] * b[ib]; ia += sa; ib += sb; } },
  div: (out, o, a, ia, sa, b, ib, sb, n) => { for (let i = 0; i < n; i++) { out[o + i] = a[ia] / b[ib]; ia += sa; ib += sb; } },
  floorDiv: (out, o, a, ia, sa, b, ib, sb, n) => { for (let i = 0; i < n; i++) { out[o + i] = floorDivF(a[ia], b[ib]); ia += sa; ib += sb; } },
  mod: (out, o, a, ia, sa, b, ib, sb, n) => { for (let i = 0; i < n; i++) { out[o + i] = modF(a[ia], b[ib]); ia += sa; ib += sb; } },
  pow: (out, o, a, ia, sa, b, ib, sb, n) => { for (let i = 0; i < n; i++) { out[o + i] = powF(a[ia], b[ib]); ia += sa; ib += sb; } },
  // Math.max/min propagate NaN, as torch.maximum/minimum do.
  maximum: (out, o, a, ia, sa, b, ib, sb, n) => { for (let i = 0; i < n; i++) { out[o + i] = Math.max(a[ia], b[ib]); ia += sa; ib += sb; } },
  minimum: (out, o, a, ia, sa, b, ib, sb, n) => { for (let i = 0; i < n; i++) { out[o + i] = Math.min(a[ia], b[ib]); ia += sa; ib += sb; } },
  atan2: (out, o, a, ia, sa, b, ib, sb, n) => { for (let i = 0; i < n; i++) { out[o + i] = Math.atan2(a[ia], b[ib]); ia += sa; ib += sb; } },
  // Comparisons: NaN compares false (notEqual true).
  equal: (out, o, a, ia, sa, b, ib, sb, n) => { for (let i = 0; i < n; i++) { out[o + i] = Number(a[ia] === b[ib]); ia += sa; ib += sb; } },
  notEqual: (out, o, a, ia, sa, b, ib, sb, n) => { for (let i = 0; i < n; i++) { out[o + i] = Number(a[ia] !== b[ib]); ia += sa; ib += sb; } },
  less: (out, o, a, ia, sa, b, ib, sb, n) => { for (let i = 0; i < n; i++) { out[o + i] = Number(a[ia] < b[ib]); ia += sa; ib += sb; } },
  lessEqual: (out, o, a, ia, sa, b, ib, sb, n) => { for (let i = 0; i < n; i++) { out[o + i] = Number(a[ia] <= b[ib]); ia += sa; ib += sb; } },
  greater: (out, o, a, ia, sa, b, ib, sb, n) => { for (let i = 0; i < n; i++) { out[o + i] = Number(a[ia] > b[ib]); ia += sa; ib += sb; } },
  greaterEqual: (out, o, a, ia, sa, b, ib, sb, n) => { for (let i = 0; i < n; i++) { out[o + i] = Number(a[ia] >= b[ib]); ia += sa; ib += sb; } },
  // Truthiness is `!= 0`, so NaN is true. Number(bool) compiles branch-free; `c ? 1 : 0`
  // mispredicts on random data (5x slower).
  logicalAnd: (out, o, a, ia, sa, b, ib, sb, n) => { for (let i = 0; i < n; i++) { out[o + i] = Number(a[ia] !== 0) & Number(b[ib] !== 0); ia += sa; ib += sb; } },
  logicalOr: (out, o, a, ia, sa, b, ib, sb, n) => { for (let i = 0; i < n; i++) { out[o + i] = Number(a[ia] !== 0) | Number(b[ib] !== 0); ia += sa; ib += sb; } },
  logicalXor: (out, o, a, ia, sa, b, ib, sb, n) => { for (let i = 0; i < n; i++) { out[o + i] = Number(a[ia] !== 0) ^ Number(b[ib] !== 0); ia += sa; ib += sb; } },
};

const INT_LOOPS: Partial<Record<BinaryOp, Loop>> = {
  mul: (out, o, a, ia, sa, b, ib, sb, n) => { for (let i = 0; i < n; i++) { out[o + i] = Math.imul(a[ia], b[ib]); ia += sa; ib += sb; } },
  div: (out, o, a, ia, sa, b, ib, sb, n) => { for (let i = 0; i < n; i++) { out[o + i] = b[ib] === 0 ? 0 : Math.trunc(a[ia] / b[ib]); ia += sa; ib += sb; } },
  floorDiv: (out, o, a, ia, sa, b, ib, sb, n) => { for (let i = 0; i < n; i++) { out[o + i] = floorDivI(a[ia], b[ib]); ia += sa; ib += sb; } },
  mod: (out, o, a, ia, sa, b, ib, sb, n) => { for (let i = 0; i < n; i++) { out[o + i] = modI(a[ia], b[ib]); ia += sa; ib += sb; } },
  pow: (out, o, a, ia, sa, b, ib, sb, n) => { for (let i = 0; i < n; i++) { out[o + i] = powI(a[ia], b[ib]); ia += sa; ib += sb; } },
};

/** The dtype Binary produces for `op` on operands of `dtype`. */
export function binaryOutDType(op: BinaryOp, dtype: DType): DType {
  return COMPARISONS.has(op) ? 'bool' : dtype;
}

/** Elementwise `op` of a and b (same dtype) with numpy broadcasting. */
export function binaryImpl(
  op: BinaryOp, dtype: DType, a: TypedArray, aShape: readonly number[], b: TypedArray, bShape: readonly number[],
  shape: number[] = shapeUtil.broadcastShapes(op, aShape, bShape),
): Computed {
  const outDType = binaryOutDType(op, dtype);
  const out = allocate(outDType, shapeUtil.sizeOf(shape));
  const loop = (dtype === 'float32' ? undefined : INT_LOOPS[op]) ?? FLOAT_LOOPS[op];
  const n = out.length;
  if (n === 0) return { values: out, shape };
  if (a.length === n && b.length === n) loop(out, 0, a, 0, 1, b, 0, 1, n);
  else if (b.length === 1 && a.length === n) loop(out, 0, a, 0, 1, b, 0, 0, n);
  else if (a.length === 1 && b.length === n) loop(out, 0, a, 0, 0, b, 0, 1, n);
  else {
    const plan = broadcastPlan(shape, [aShape, bShape]);
    const inner = plan.shape[plan.shape.length - 1];
    const [sa, sb] = plan.strides.map((s) => s[s.length - 1]);
    forEachRow(plan, (o, [ia, ib]) => loop(out, o, a, ia, sa, b, ib, sb, inner));
  }
  // bool arithmetic stays 0/1 (PyTorch: add is or, mul is and), not a wrapped byte.
  if (dtype === 'bool' && outDType === 'bool' && !COMPARISONS.has(op)) {
    for (let i = 0; i < n; i++) out[i] = out[i] !== 0 ? 1 : 0;
  }
  return { values: out, shape };
}

/** The Binary kernel: `binaryImpl` on the backend's buffers (a scalar operand as a 1-element array). */
export const binary: KernelImpl<'Binary', JsBackend> = ({ a, b }, { op, shape, dtype }, backend) => {
  const operandDType = typeof a === 'number' ? (b as TensorInfo).dtype : a.dtype;
  const [av, as] = operand(a, operandDType, backend);
  const [bv, bs] = operand(b, operandDType, backend);
  return backend.output(binaryImpl(op, operandDType, av, as, bv, bs, shape).values, shape, dtype);
};

/** An operand's values and shape: a tensor's buffer, or a scalar as a rank-0 array of `dtype`. */
export function operand(x: Operand, dtype: DType, backend: JsBackend): [TypedArray, readonly number[]] {
  if (typeof x !== 'number') return [backend.values(x), x.shape];
  const v = allocate(dtype, 1);
  v[0] = x;
  return [v, []];
}
