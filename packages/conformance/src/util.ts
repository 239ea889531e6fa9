// Small helpers shared by the runner and the tables: a seeded PRNG for inputs and weights,
// value comparison with a tolerance, and spec conversion.
import { Tensor, tensor, type DType } from '@tensile/core';
import type { TensorSpec, Tol, Values } from './types.js';
import { EXACT } from './tol.js';

/** mulberry32: a tiny deterministic PRNG (independent of the Philox under test). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit hash of a string (FNV-1a), to seed per-case weights. */
export function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** n uniform float32 values in [lo, hi) from `seed`. */
export function uniform(n: number, seed: number, lo = -1, hi = 1): number[] {
  const r = prng(seed);
  return Array.from({ length: n }, () => Math.fround(lo + (hi - lo) * r()));
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** A float32 spec of `shape` with uniform values in [lo, hi). */
export function rand(shape: number[], seed: number, lo = -1, hi = 1): TensorSpec {
  return { values: uniform(sizeOf(shape), seed, lo, hi), shape, dtype: 'float32' };
}

/** Shorthand for specs: f32([1, 2], [2]); shape defaults to 1-D. */
export function f32(values: Values, shape?: number[]): TensorSpec {
  return { values, shape: shape ?? [values.length], dtype: 'float32' };
}
export function i32(values: Values, shape?: number[]): TensorSpec {
  return { values, shape: shape ?? [values.length], dtype: 'int32' };
}
export function bool(values: Values, shape?: number[]): TensorSpec {
  return { values, shape: shape ?? [values.length], dtype: 'bool' };
}

export function numbers(v: Values): number[] {
  return Array.from(v as ArrayLike<number | boolean>, (x) => (typeof x === 'boolean' ? (x ? 1 : 0) : Number(x)));
}

/** Creates the tensor a spec describes. */
export function fromSpec(s: TensorSpec): Tensor {
  return tensor(numbers(s.values), [...s.shape], s.dtype ?? 'float32');
}

export function fmtShape(s: readonly number[]): string {
  return `[${s.join(',')}]`;
}

function roundTo(dtype: DType, v: number): number {
  if (dtype === 'float32') return Math.fround(v);
  return v;
}

/** Mismatches of `got` against `want` under `tol`, as readable lines (empty: equal). */
export function compareValues(got: readonly number[], want: readonly number[], dtype: DType, tol: Tol = EXACT, roundWant = true): string[] {
  const bad: string[] = [];
  if (got.length !== want.length) return [`${got.length} values, expected ${want.length}`];
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = roundWant ? roundTo(dtype, want[i]!) : want[i]!;
    let ok: boolean;
    if (Number.isNaN(w)) ok = Number.isNaN(g);
    else if (!Number.isFinite(w)) ok = g === w;
    else ok = Number.isFinite(g) && Math.abs(g - w) <= tol.atol + tol.rtol * Math.abs(w);
    if (!ok) bad.push(`[${i}] got ${g}, expected ${w} (|diff| ${Math.abs(g - w).toExponential(2)})`);
  }
  return bad;
}

/** A failure message listing the first mismatches and the tolerance with its reason. */
export function mismatchMessage(label: string, bad: string[], tol: Tol, count: number): string {
  const head = bad.slice(0, 8).join('\n  ');
  const more = bad.length > 8 ? `\n  ... ${bad.length - 8} more` : '';
  return `${label}: ${bad.length} of ${count} values out of tolerance (rtol ${tol.rtol}, atol ${tol.atol}: ${tol.why})\n  ${head}${more}`;
}

export function toList(x: Tensor | Tensor[] | unknown): Tensor[] {
  if (x instanceof Tensor) return [x];
  if (Array.isArray(x)) return x.filter((t): t is Tensor => t instanceof Tensor);
  if (x !== null && typeof x === 'object') return Object.values(x).filter((t): t is Tensor => t instanceof Tensor);
  return [];
}
