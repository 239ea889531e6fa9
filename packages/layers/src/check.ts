// Argument checks shared by layers, functional forms and losses: each throws a typed
// @tensile/core error whose message names the layer or function, the argument and the shapes.
import { ArgumentError, DTypeError, DisposedError, Tensor, fmt, type DType } from '@tensile/core';

/** A short description of any value for error messages. */
export function describe(x: unknown): string {
  if (x instanceof Tensor) return `${x.dtype}${fmt(x.shape)}`;
  if (Array.isArray(x)) return `[${x.map(describe).join(',')}]`;
  return typeof x === 'string' ? `'${x}'` : String(x);
}

/** `x` if it is a live tensor, else ArgumentError (not a tensor) or DisposedError. */
export function checkTensor(op: string, x: unknown, arg = 'x'): Tensor {
  if (!(x instanceof Tensor)) throw new ArgumentError(`${op}: '${arg}' must be a Tensor, got ${describe(x)}`);
  if (x.isDisposed) throw new DisposedError(`${op}: '${arg}' (shape ${fmt(x.shape)}) was disposed`);
  return x;
}

/** Like checkTensor, then DTypeError unless its dtype is one of `allowed`. */
export function checkDType(op: string, x: unknown, allowed: readonly DType[], arg = 'x'): Tensor {
  const t = checkTensor(op, x, arg);
  if (!allowed.includes(t.dtype)) {
    throw new DTypeError(`${op}: '${arg}' has dtype ${t.dtype} (shape ${fmt(t.shape)}); expected ${allowed.join(' or ')}`);
  }
  return t;
}

/** A live float32 tensor (what layers compute in). */
export function checkFloat(op: string, x: unknown, arg = 'x'): Tensor {
  return checkDType(op, x, ['float32'], arg);
}

/** An integer within [min, max], else ArgumentError. */
export function checkInt(op: string, v: unknown, arg: string, min = -Infinity, max = Infinity): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    const range = max === Infinity ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new ArgumentError(`${op}: '${arg}' must be an integer ${range}, got ${describe(v)}`);
  }
  return v;
}

/** A finite number (undefined: `dflt`) within [min, max], else ArgumentError. */
export function checkNumber(op: string, v: unknown, arg: string, dflt: number, min = -Infinity, max = Infinity): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    const range = min === -Infinity && max === Infinity ? '' : ` in [${min}, ${max}]`;
    throw new ArgumentError(`${op}: '${arg}' must be a finite number${range}, got ${describe(v)}`);
  }
  return v;
}

/** A boolean (undefined: `dflt`), never a truthy stand-in. */
export function checkBool(op: string, v: unknown, arg: string, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean') throw new ArgumentError(`${op}: '${arg}' must be true or false, got ${describe(v)}`);
  return v;
}

/** One of `choices` (undefined: `dflt`), else ArgumentError listing them. */
export function checkChoice<T extends string>(op: string, v: unknown, arg: string, choices: readonly T[], dflt: T): T {
  if (v === undefined) return dflt;
  if (!choices.includes(v as T)) throw new ArgumentError(`${op}: '${arg}' must be one of ${choices.map((c) => `'${c}'`).join(', ')}, got ${describe(v)}`);
  return v as T;
}

/** True when both shapes are equal. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** `[a, a]` for a number, the pair itself for a pair; positive (or >= min) integers. */
export function pair(op: string, v: unknown, arg: string, min = 1): [number, number] {
  const p = typeof v === 'number' ? [v, v] : Array.isArray(v) ? v : [];
  if (p.length !== 2 || p.some((d) => !Number.isInteger(d) || d < min)) {
    throw new ArgumentError(`${op}: '${arg}' must be an integer >= ${min} or a pair of them, got ${describe(v)}`);
  }
  return [p[0] as number, p[1] as number];
}
