// Creating tensors from JS values, constants, ranges and random streams.
import { makeTensor, runKernel } from '../engine/engine.js';
import { state } from '../engine/state.js';
import { allocate, DTYPES, type DType, type TypedArray } from '../dtype.js';
import { ArgumentError, DTypeError, ShapeError, fmt } from '../errors.js';
import { philoxBlocks } from '../random/philox.js';
import { sizeOf } from '../util/shape.js';
import type { Tensor } from '../tensor.js';
import { checkInt, checkNumber, defineOp, describe } from './op.js';
import { add, mul } from './binary.js';

export type NestedArray = number | boolean | NestedArray[];
export type TensorValues = NestedArray | TypedArray;

function inferShape(v: NestedArray): number[] {
  const shape: number[] = [];
  let cur: NestedArray = v;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    cur = cur[0] as NestedArray;
    if (cur === undefined) break;
  }
  return shape;
}

function flattenInto(op: string, v: NestedArray, shape: number[], depth: number, out: number[]): void {
  if (depth === shape.length) {
    if (typeof v !== 'number' && typeof v !== 'boolean') {
      throw new ShapeError(`${op}: ragged nested array: expected a number at depth ${depth} of shape ${fmt(shape)}, got ${describe(v)}`);
    }
    out.push(typeof v === 'boolean' ? (v ? 1 : 0) : v);
    return;
  }
  if (!Array.isArray(v) || v.length !== shape[depth]) {
    throw new ShapeError(`${op}: ragged nested array: expected ${shape[depth]} elements at depth ${depth} of shape ${fmt(shape)}`);
  }
  for (const e of v) flattenInto(op, e, shape, depth + 1, out);
}

function checkShape(op: string, shape: unknown): number[] {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ShapeError(`${op}: shape must be an array of non-negative integers, got ${describe(shape)}`);
  }
  return [...shape];
}

function checkDTypeName(op: string, dtype: unknown): DType {
  if (!DTYPES.includes(dtype as DType)) throw new ArgumentError(`${op}: unknown dtype ${describe(dtype)} (expected one of ${DTYPES.join(', ')})`);
  return dtype as DType;
}

function dtypeOfArray(v: TypedArray): DType {
  if (v instanceof Float32Array) return 'float32';
  if (v instanceof Int32Array) return 'int32';
  if (v instanceof Int8Array) return 'int8';
  return 'uint8';
}

/**
 * Creates a tensor from nested arrays, a typed array, or a scalar. JS numbers do not tell
 * 1 from 1.0, so numbers default to float32 (as tfjs); booleans to bool; typed arrays keep
 * their type (Int32Array -> int32).
 * @example tensor([[1, 2], [3, 4]]) // float32 [2,2]
 */
export function tensor(values: TensorValues, shape?: number[], dtype?: DType): Tensor {
  const op = 'tensor';
  if (dtype !== undefined) checkDTypeName(op, dtype);
  let flat: ArrayLike<number>;
  let inferred: number[];
  let natural: DType;
  if (ArrayBuffer.isView(values)) {
    flat = values;
    inferred = [values.length];
    natural = dtypeOfArray(values);
  } else {
    inferred = inferShape(values);
    const out: number[] = [];
    flattenInto(op, values, inferred, 0, out);
    flat = out;
    natural = isBoolish(values) ? 'bool' : 'float32';
  }
  const finalShape = shape === undefined ? inferred : checkShape(op, shape);
  if (sizeOf(finalShape) !== flat.length) {
    throw new ShapeError(`${op}: ${flat.length} values do not fill shape ${fmt(finalShape)} (${sizeOf(finalShape)} elements)`);
  }
  const dt = dtype ?? natural;
  const data = allocate(dt, flat.length);
  if (dt === 'bool') for (let i = 0; i < flat.length; i++) data[i] = flat[i] !== 0 ? 1 : 0;
  else data.set(flat);
  return makeTensor(data, finalShape, dt);
}

function isBoolish(v: NestedArray): boolean {
  while (Array.isArray(v)) {
    if (v.length === 0) return false;
    v = v[0]!;
  }
  return typeof v === 'boolean';
}

/**
 * A rank-0 tensor.
 * @example scalar(3.5)
 */
export function scalar(value: number | boolean, dtype?: DType): Tensor {
  return tensor(value, [], dtype);
}

/**
 * A tensor of `shape` filled with `value`.
 * @example full([2, 3], 7)
 */
export function full(shape: number[], value: number | boolean, dtype?: DType): Tensor {
  return fill('full', shape, value, dtype);
}

/** A constant tensor, made on the device by the Fill kernel (nothing is uploaded). */
function fill(op: string, shape: number[], value: number | boolean, dtype?: DType): Tensor {
  const s = checkShape(op, shape);
  const dt = dtype === undefined ? (typeof value === 'boolean' ? 'bool' : 'float32') : checkDTypeName(op, dtype);
  if (typeof value !== 'number' && typeof value !== 'boolean') {
    throw new ArgumentError(`${op}: value must be a number or a boolean, got ${describe(value)}`);
  }
  return runKernel('Fill', {}, { shape: s, dtype: dt, value: storedValue(value, dt) }, op);
}

/** `value` as dtype `dt` stores it (bool: != 0; integers truncate and wrap, as a typed array does). */
function storedValue(value: number | boolean, dt: DType): number {
  const v = Number(value);
  if (dt === 'bool') return Number(v !== 0);
  const cell = allocate(dt, 1);
  cell[0] = v;
  return cell[0]!;
}

/**
 * Zeros of `shape`.
 * @example zeros([2, 2])
 */
export function zeros(shape: number[], dtype: DType = 'float32'): Tensor {
  return fill('zeros', shape, 0, dtype);
}

/**
 * Ones of `shape`.
 * @example ones([3], 'int32')
 */
export function ones(shape: number[], dtype: DType = 'float32'): Tensor {
  return fill('ones', shape, 1, dtype);
}

/** Zeros with the shape and dtype of `t`. */
export function zerosLike(t: Tensor): Tensor {
  return full(t.shape, 0, t.dtype);
}

/** Ones with the shape and dtype of `t`. */
export function onesLike(t: Tensor): Tensor {
  return full(t.shape, 1, t.dtype);
}

/**
 * Evenly spaced values in [start, stop) (numpy/PyTorch). `arange(5)` is [0..4]. The dtype is
 * int32 when start, stop and step are all integers, else float32.
 * @example arange(0, 1, 0.25) // [0, 0.25, 0.5, 0.75]
 */
export function arange(start: number, stop?: number, step = 1, dtype?: DType): Tensor {
  if (stop === undefined) [start, stop] = [0, start];
  for (const [n, v] of [['start', start], ['stop', stop], ['step', step]] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new ArgumentError(`arange: '${n}' must be a finite number, got ${describe(v)}`);
  }
  if (step === 0) throw new ArgumentError('arange: step must be non-zero');
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const dt = dtype ?? ([start, stop, step].every(Number.isInteger) ? 'int32' : 'float32');
  const data = allocate(checkDTypeName('arange', dt), n);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return makeTensor(data, [n], dt);
}

/**
 * The n x m identity matrix (m defaults to n).
 * @example eye(3)
 */
export function eye(n: number, m = n, dtype: DType = 'float32'): Tensor {
  checkInt('eye', n, 'n', 0);
  checkInt('eye', m, 'm', 0);
  const data = allocate(checkDTypeName('eye', dtype), n * m);
  for (let i = 0; i < Math.min(n, m); i++) data[i * m + i] = 1;
  return makeTensor(data, [n, m], dtype);
}

export interface RandomOptions {
  /** Seed of the Philox stream; without one, the global stream (see `manualSeed`) advances. */
  seed?: number;
  /**
   * With `seed`: where in its stream to start, in Philox blocks of 4 words (default 0);
   * `philoxBlocks(dist, n)` is how far a draw of n numbers moves it. See `RandomStream`.
   */
  offset?: number;
  /** Only 'float32' (as torch.rand/randn, which sample floating point only). */
  dtype?: DType;
}

/**
 * Sets the seed of the global random stream used by unseeded draws (like torch.manual_seed).
 * @example manualSeed(42)
 */
export function manualSeed(seed: number): void {
  checkInt('manualSeed', seed, 'seed', 0, Number.MAX_SAFE_INTEGER);
  state.randomSeed = seed;
  state.randomOffset = 0;
}

/**
 * Draws from Philox: with a seed, the stream starts at `offset` (default 0); else the global
 * stream advances (an offset without a seed is an ArgumentError: it would address no stream).
 */
export function randomDraw(op: string, dist: 'uniform' | 'normal', shape: number[], seed: number | undefined, offset?: number): Tensor {
  const s = checkShape(op, shape);
  let at = 0;
  if (seed === undefined) {
    if (offset !== undefined) throw new ArgumentError(`${op}: 'offset' ${describe(offset)} needs a 'seed' (the global stream keeps its own offset)`);
    seed = state.randomSeed;
    at = state.randomOffset;
    state.randomOffset += philoxBlocks(dist, sizeOf(s));
  } else {
    checkInt(op, seed, 'seed', 0, Number.MAX_SAFE_INTEGER);
    if (offset !== undefined) at = checkInt(op, offset, 'offset', 0, Number.MAX_SAFE_INTEGER);
  }
  return runKernel('Random', {}, { dist, shape: s, seed, offset: at });
}

/**
 * Uniform samples in [0, 1) (Philox-4x32-10; bit-identical on every backend for the same seed and offset).
 * @example rand([2, 2], { seed: 1 })
 */
export const rand = defineOp((shape: number[], opts: RandomOptions = {}): Tensor => {
  checkFloatDType('rand', opts.dtype);
  return randomDraw('rand', 'uniform', shape, opts.seed, opts.offset);
});

function checkFloatDType(op: string, dtype: DType | undefined): void {
  if (dtype !== undefined && dtype !== 'float32') {
    throw new DTypeError(`${op}: random samples are float32, got dtype ${describe(dtype)} (cast the result instead)`);
  }
}

/**
 * Standard normal samples: Box-Muller on the same Philox uniform words as rand (backends agree
 * within 1e-5, not bit for bit), optionally scaled: mean + std * N(0, 1).
 * @example randn([3], { seed: 7 })
 */
export const randn = defineOp((shape: number[], opts: RandomOptions & { mean?: number; std?: number } = {}): Tensor => {
  checkFloatDType('randn', opts.dtype);
  const mean = checkNumber('randn', opts.mean, 'mean', 0), std = checkNumber('randn', opts.std, 'std', 1);
  const z = randomDraw('randn', 'normal', shape, opts.seed, opts.offset);
  if (opts.mean === undefined && opts.std === undefined) return z;
  return add(mul(z, std), mean);
});
