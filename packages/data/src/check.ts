// Argument checks shared by the package: each throws a typed @tensile/core error whose message
// names the function, the argument and the value seen.
import { ArgumentError, Tensor } from '@tensile/core';

/** A short description of a value for error messages. */
export function describe(v: unknown): string {
  if (v instanceof Tensor) return v.toString();
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'function') return 'a function';
  if (Array.isArray(v)) return `[${v.map(describe).join(', ')}]`;
  if (v !== null && typeof v === 'object') return `an object (${Object.prototype.toString.call(v).slice(8, -1)})`;
  return String(v);
}

/** An integer in [min, max], or the default when `v` is undefined. */
export function checkInt(fn: string, arg: string, v: unknown, min: number, dflt?: number, max = Number.MAX_SAFE_INTEGER): number {
  if (v === undefined && dflt !== undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new ArgumentError(`${fn}: ${arg} must be an integer ${range}, got ${describe(v)}`);
  }
  return v;
}

/** A finite number in [min, max], or the default when `v` is undefined. */
export function checkNumber(fn: string, arg: string, v: unknown, min: number, max: number, dflt?: number): number {
  if (v === undefined && dflt !== undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw new ArgumentError(`${fn}: ${arg} must be a number in [${min}, ${max}], got ${describe(v)}`);
  }
  return v;
}

/** A boolean, or the default when `v` is undefined. */
export function checkBool(fn: string, arg: string, v: unknown, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean') throw new ArgumentError(`${fn}: ${arg} must be a boolean, got ${describe(v)}`);
  return v;
}

/** An options argument: undefined or a plain object. */
export function checkOptions<T extends object>(fn: string, v: T | undefined): Partial<T> {
  if (v === undefined) return {};
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new ArgumentError(`${fn}: options must be an object, got ${describe(v)}`);
  }
  return v;
}

/** A seed: a non-negative safe integer; a fresh random one when omitted. */
export function checkSeed(fn: string, v: unknown): number {
  if (v === undefined) return Math.floor(Math.random() * 2 ** 32);
  return checkInt(fn, 'seed', v, 0);
}
