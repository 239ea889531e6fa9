// Checks of the zoo's config objects and inputs: each throws a typed @tensile/core error whose
// message names the model, the argument and what was seen, before any tensor is made.
import { ArgumentError, DTypeError, DisposedError, ShapeError, Tensor, fmt, type DType } from '@tensile/core';

/** A short description of a value for error messages. */
export function show(v: unknown): string {
  if (v instanceof Tensor) return `${v.dtype}${fmt(v.shape)}`;
  if (Array.isArray(v)) return `[${v.map(show).join(',')}]`;
  return typeof v === 'string' ? `'${v}'` : String(v);
}

/** Rejects keys the config type does not have (a typo would otherwise be silently ignored). */
export function knownKeys(model: string, cfg: unknown, keys: readonly string[]): Record<string, unknown> {
  if (cfg === undefined) return {};
  if (typeof cfg !== 'object' || cfg === null || Array.isArray(cfg)) throw new ArgumentError(`${model}: the config must be an object, got ${show(cfg)}`);
  for (const k of Object.keys(cfg)) {
    if (!keys.includes(k)) throw new ArgumentError(`${model}: unknown config key '${k}' (known: ${keys.join(', ')})`);
  }
  return cfg as Record<string, unknown>;
}

/** An integer in [min, max] (undefined: `dflt`). */
export function intIn(model: string, v: unknown, arg: string, dflt: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new ArgumentError(`${model}: '${arg}' must be an integer ${range}, got ${show(v)}`);
  }
  return v;
}

/** A finite number in [min, max] (undefined: `dflt`). */
export function numberIn(model: string, v: unknown, arg: string, dflt: number, min: number, max: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw new ArgumentError(`${model}: '${arg}' must be a finite number in [${min}, ${max}], got ${show(v)}`);
  }
  return v;
}

/** A boolean (undefined: `dflt`). */
export function bool(model: string, v: unknown, arg: string, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean') throw new ArgumentError(`${model}: '${arg}' must be true or false, got ${show(v)}`);
  return v;
}

/** One of `choices` (undefined: `dflt`). */
export function choice<T extends string>(model: string, v: unknown, arg: string, choices: readonly T[], dflt: T): T {
  if (v === undefined) return dflt;
  if (!choices.includes(v as T)) throw new ArgumentError(`${model}: '${arg}' must be one of ${choices.map((c) => `'${c}'`).join(', ')}, got ${show(v)}`);
  return v as T;
}

/** A live tensor of one of `dtypes`. */
export function tensorOf(model: string, v: unknown, arg: string, dtypes: readonly DType[]): Tensor {
  if (!(v instanceof Tensor)) throw new ArgumentError(`${model}: '${arg}' must be a Tensor, got ${show(v)}`);
  if (v.isDisposed) throw new DisposedError(`${model}: '${arg}' (shape ${fmt(v.shape)}) was disposed`);
  if (!dtypes.includes(v.dtype)) throw new DTypeError(`${model}: '${arg}' has dtype ${v.dtype} (shape ${fmt(v.shape)}); expected ${dtypes.join(' or ')}`);
  return v;
}

/**
 * Checks a tensor's shape against a pattern: numbers must match, null is any size >= 1.
 * `layout` names the dims in the message, e.g. '[batch, seq]'.
 */
export function shapeIs(model: string, t: Tensor, arg: string, want: readonly (number | null)[], layout: string): Tensor {
  const ok = t.rank === want.length && want.every((d, i) => (d === null ? t.shape[i]! >= 1 : t.shape[i] === d));
  if (!ok) {
    const expected = `[${want.map((d) => (d === null ? '*' : String(d))).join(', ')}]`;
    throw new ShapeError(`${model}: ${arg} ${fmt(t.shape)} must be ${layout} = ${expected}`);
  }
  return t;
}
