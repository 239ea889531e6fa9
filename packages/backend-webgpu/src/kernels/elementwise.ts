// Elementwise kernels: Unary, Binary, Where, Fill, Cast and BroadcastTo. One invocation per
// output element; broadcasting reads inputs through strides held in uniforms (0 on repeated
// dims), so a shader is specialised only by rank, op and dtypes, never by sizes.
import type { BinaryOp, DType, KernelImpl, Operand, TensorInfo, UnaryOp } from '@tensile/core';
import type { WebGpuBackend } from '../backend.js';
import { broadcastStrides, elemOf, flatIndex, grid1d, offsetsCode, storeInt, stridesOf, u32s, type Binding, type Program } from '../program.js';
import type { Uniform } from '../uniforms.js';
import { MATH_WGSL } from './math.js';

const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
const WG = 256;

/** A tensor operand or a scalar carried in the uniforms (`name` is the WGSL name either way). */
export interface Input {
  name: string;
  operand: Operand;
  dtype: DType;
  /** Strides to read the tensor with at the output's coordinates (default: broadcasting). */
  strides?: number[];
  /** Element offset added to every read. */
  offset?: number;
}

/**
 * Runs `expr` (WGSL over `v_<name>` values of each input) for every element of `shape`, storing
 * `store(expr)` into `out`. Scalars become uniforms; tensors are read with broadcast strides.
 */
export function runElementwise(
  backend: WebGpuBackend, kernel: string, inputs: Input[], shape: number[], outDType: DType,
  body: string, extra: Uniform[] = [],
): TensorInfo {
  const out = backend.output(shape.slice(), outDType);
  const n = sizeOf(shape);
  if (n === 0) return out;
  const rank = shape.length;
  const tensors = inputs.filter((i) => typeof i.operand !== 'number');
  // Inputs with the output's own shape are read at the flat index (no stride arithmetic).
  const same = (i: Input): boolean =>
    typeof i.operand !== 'number' && !i.strides && !i.offset && sizeOf((i.operand as TensorInfo).shape) === n;
  const strided = tensors.filter((i) => !same(i));
  const uniforms: Uniform[] = [['n', 'u32', n], ...extra];
  if (strided.length > 0) uniforms.push(...u32s('os', stridesOf(shape)));
  for (const i of strided) {
    uniforms.push(...u32s(`s_${i.name}`, i.strides ?? broadcastStrides((i.operand as TensorInfo).shape, shape)));
    uniforms.push([`o_${i.name}`, 'u32', i.offset ?? 0]);
  }
  for (const i of inputs) if (typeof i.operand === 'number') uniforms.push([`c_${i.name}`, elemOf(i.dtype), i.operand]);
  const bindings: Binding[] = tensors.map((i) => ({
    name: `in_${i.name}`, type: elemOf(i.dtype), buffer: backend.data(i.operand as TensorInfo).buffer,
  }));
  bindings.push({ name: 'out', type: elemOf(outDType), buffer: backend.data(out).buffer, write: true });
  const sig = inputs.map((i) => `${i.name}:${i.dtype}:${typeof i.operand === 'number' ? 's' : same(i) ? 'f' : 'b'}`).join(',');
  const program: Program = {
    key: `${kernel}|r${rank}|${sig}|${outDType}`,
    bindings,
    uniforms,
    workgroupSize: [WG, 1, 1],
    dispatch: grid1d(n, WG),
    wgsl: () => ({
      decls: MATH_WGSL,
      main: [
        `let idx = ${flatIndex(WG)};`,
        'if (idx >= u.n) { return; }',
        offsetsCode(rank, strided.map((i) => `s_${i.name}`)),
        ...inputs.map((i) => `let v_${i.name} = ${typeof i.operand === 'number' ? `u.c_${i.name}` : same(i) ? `in_${i.name}[idx]` : `in_${i.name}[off_s_${i.name} + u.o_${i.name}]`};`),
        body,
      ].join('\n'),
    }),
  };
  backend.run(program);
  return out;
}

/** WGSL of a float unary op on `x` (alpha in `u.alpha`). */
const FLOAT_UNARY: Record<UnaryOp, string> = {
  neg: '-x', abs: 'abs(x)',
  sign: 'select(f32(x > 0.0) - f32(x < 0.0), 0.0, is_nan(x))',
  exp: 'exp_(x)', expm1: 'expm1_(x)', log: 'safe_log(x)', log1p: 'log1p_(x)',
  sqrt: 'safe_sqrt(x)', rsqrt: '1.0 / safe_sqrt(x)', square: 'x * x', reciprocal: '1.0 / x',
  sin: 'sin_(x)', cos: 'cos_(x)',
  tanh: 'tanh_(x)', sigmoid: 'select(sigmoid_(x), x, is_nan(x))',
  softplus: 'select(log1p_(exp_(-abs(x))) + max(x, 0.0), x, is_nan(x))',
  relu: 'select(x, 0.0, sign_bit(x) && !is_nan(x))', erf: 'erf_(x)',
  floor: 'floor(x)', ceil: 'ceil(x)', round: 'round(x)',
  logicalNot: 'select(0.0, 1.0, !truthy_f(x))',
  isNaN: 'select(0i, 1i, is_nan(x))', isInf: 'select(0i, 1i, is_inf(x))',
  leakyRelu: 'select(u.alpha * x, x, x > 0.0)', elu: 'select(u.alpha * expm1_(x), x, x > 0.0)',
};

/** WGSL of an integer unary op on `x`, or undefined where it has no integer form. */
function intUnary(op: UnaryOp): string | undefined {
  switch (op) {
    case 'neg': return '0i - x';
    case 'abs': return 'select(x, 0i - x, x < 0i)';
    case 'sign': return 'i32(x > 0i) - i32(x < 0i)';
    case 'square': return 'x * x';
    case 'relu': return 'max(x, 0i)';
    case 'floor': case 'ceil': case 'round': return 'x';
    case 'logicalNot': return 'select(0i, 1i, x == 0i)';
    case 'isNaN': case 'isInf': return '0i';
    default: return undefined;
  }
}

export const unary: KernelImpl<'Unary', WebGpuBackend> = ({ x }, { op, alpha }, backend) => {
  const outDType = op === 'isNaN' || op === 'isInf' ? 'bool' : x.dtype;
  const isFloat = x.dtype === 'float32';
  const intExpr = isFloat ? undefined : intUnary(op);
  // Integer ops without an integer form (exp of an int32) compute in f32 and truncate back.
  const body = isFloat
    ? `let x = v_x;\nout[idx] = ${FLOAT_UNARY[op]};`
    : intExpr !== undefined
      ? `let x = v_x;\nout[idx] = ${storeInt(outDType, intExpr)};`
      : `let x = f32(v_x);\nout[idx] = ${storeInt(outDType, `to_i32(${FLOAT_UNARY[op]})`)};`;
  const a = alpha ?? (op === 'leakyRelu' ? 0.01 : 1);
  return runElementwise(backend, `Unary:${op}`, [{ name: 'x', operand: x, dtype: x.dtype }], x.shape, outDType,
    body, op === 'leakyRelu' || op === 'elu' ? [['alpha', 'f32', a]] : []);
};

const FLOAT_BINARY: Record<BinaryOp, string> = {
  add: 'a + b', sub: 'a - b', mul: 'a * b', div: 'a / b', floorDiv: 'floordiv_f(a, b)', mod: 'mod_f(a, b)',
  pow: 'powf_(a, b)', maximum: 'max_nan(a, b)', minimum: 'min_nan(a, b)', atan2: 'atan2_(a, b)',
  equal: 'select(0i, 1i, a == b && !is_nan(a))',
  notEqual: 'select(0i, 1i, a != b || is_nan(a) || is_nan(b))',
  less: 'select(0i, 1i, a < b && !is_nan(a) && !is_nan(b))',
  lessEqual: 'select(0i, 1i, a <= b && !is_nan(a) && !is_nan(b))',
  greater: 'select(0i, 1i, a > b && !is_nan(a) && !is_nan(b))',
  greaterEqual: 'select(0i, 1i, a >= b && !is_nan(a) && !is_nan(b))',
  logicalAnd: 'select(0i, 1i, truthy_f(a) && truthy_f(b))',
  logicalOr: 'select(0i, 1i, truthy_f(a) || truthy_f(b))',
  logicalXor: 'select(0i, 1i, truthy_f(a) != truthy_f(b))',
};

const INT_BINARY: Record<BinaryOp, string> = {
  add: 'a + b', sub: 'a - b', mul: 'a * b', div: 'idiv(a, b)', floorDiv: 'ifloordiv(a, b)', mod: 'ifloormod(a, b)',
  pow: 'ipow(a, b)', maximum: 'max(a, b)', minimum: 'min(a, b)', atan2: 'to_i32(atan2_(f32(a), f32(b)))',
  equal: 'select(0i, 1i, a == b)', notEqual: 'select(0i, 1i, a != b)', less: 'select(0i, 1i, a < b)',
  lessEqual: 'select(0i, 1i, a <= b)', greater: 'select(0i, 1i, a > b)', greaterEqual: 'select(0i, 1i, a >= b)',
  logicalAnd: 'select(0i, 1i, a != 0i && b != 0i)', logicalOr: 'select(0i, 1i, a != 0i || b != 0i)',
  logicalXor: 'select(0i, 1i, (a != 0i) != (b != 0i))',
};

export const binary: KernelImpl<'Binary', WebGpuBackend> = ({ a, b }, { op, shape, dtype }, backend) => {
  const operandDType = typeof a === 'number' ? (b as TensorInfo).dtype : a.dtype;
  const isFloat = operandDType === 'float32';
  const expr = isFloat ? FLOAT_BINARY[op] : INT_BINARY[op];
  const value = dtype === 'float32' ? expr : storeInt(dtype, expr);
  return runElementwise(backend, `Binary:${op}`, [
    { name: 'a', operand: a, dtype: operandDType }, { name: 'b', operand: b, dtype: operandDType },
  ], shape, dtype, `let a = v_a;\nlet b = v_b;\nout[idx] = ${value};`);
};

export const where: KernelImpl<'Where', WebGpuBackend> = ({ cond, a, b }, { shape, dtype }, backend) =>
  runElementwise(backend, 'Where', [
    { name: 'c', operand: cond, dtype: 'bool' }, { name: 'a', operand: a, dtype }, { name: 'b', operand: b, dtype },
  ], shape, dtype, 'out[idx] = select(v_b, v_a, v_c != 0i);');

export const fill: KernelImpl<'Fill', WebGpuBackend> = (_inputs, { shape, dtype, value }, backend) => {
  const out = backend.output(shape.slice(), dtype);
  const n = sizeOf(shape);
  if (n === 0) return out;
  const t = elemOf(dtype);
  const v = dtype === 'bool' ? Number(value !== 0) : value;
  backend.run({
    key: `Fill|${t}`,
    bindings: [{ name: 'out', type: t, buffer: backend.data(out).buffer, write: true }],
    uniforms: [['n', 'u32', n], ['v', t, v]],
    workgroupSize: [WG, 1, 1],
    dispatch: grid1d(n, WG),
    wgsl: () => ({ main: `let idx = ${flatIndex(WG)};\nif (idx >= u.n) { return; }\nout[idx] = u.v;` }),
  });
  return out;
};

export const cast: KernelImpl<'Cast', WebGpuBackend> = ({ x }, { dtype }, backend) => {
  let expr: string;
  if (x.dtype === 'float32') {
    expr = dtype === 'float32' ? 'x' : dtype === 'bool' ? 'select(0i, 1i, truthy_f(x))' : storeInt(dtype, 'to_i32(x)');
  } else {
    expr = dtype === 'float32' ? 'f32(x)' : storeInt(dtype, 'x');
  }
  return runElementwise(backend, `Cast:${dtype}`, [{ name: 'x', operand: x, dtype: x.dtype }], x.shape, dtype,
    `let x = v_x;\nout[idx] = ${expr};`);
};

export const broadcastTo: KernelImpl<'BroadcastTo', WebGpuBackend> = ({ x }, { shape }, backend) =>
  runElementwise(backend, 'BroadcastTo', [{ name: 'x', operand: x, dtype: x.dtype }], shape, x.dtype, 'out[idx] = v_x;');
