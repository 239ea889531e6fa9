// Option checks shared by the optimizers, the schedulers and clipping: every bad value is a
// typed @tensile/core error whose message names the owner (e.g. 'Adam'), the option and the value.
import { ArgumentError, Tensor } from '@tensile/core';

/** Formats a value for an error message: numbers and booleans as written, strings quoted. */
export function describe(x: unknown): string {
  if (x instanceof Tensor) return `Tensor[${x.shape.join(',')}]`;
  if (Array.isArray(x)) return `[${x.map(describe).join(', ')}]`;
  if (typeof x === 'string') return `'${x}'`;
  if (x !== null && typeof x === 'object') return (x as object).constructor?.name ?? 'object';
  return String(x);
}

/** Throws `ArgumentError("<owner>: option '<name>' must be <rule>, got <value>")`. */
export function fail(owner: string, name: string, rule: string, value: unknown): never {
  throw new ArgumentError(`${owner}: option '${name}' must be ${rule}, got ${describe(value)}`);
}

/** A number (NaN excluded) with `ok(v)`, else an ArgumentError stating `rule`. */
export function checkNum(owner: string, name: string, v: unknown, ok: (v: number) => boolean, rule: string): number {
  if (typeof v !== 'number' || Number.isNaN(v) || !ok(v)) fail(owner, name, rule, v);
  return v;
}

/** A finite number >= 0. */
export function nonNegative(owner: string, name: string, v: unknown): number {
  return checkNum(owner, name, v, (x) => x >= 0 && Number.isFinite(x), 'a finite number >= 0');
}

/** A finite number > 0. */
export function positive(owner: string, name: string, v: unknown): number {
  return checkNum(owner, name, v, (x) => x > 0 && Number.isFinite(x), 'a finite number > 0');
}

/** A number in [0, 1). */
export function unitOpen(owner: string, name: string, v: unknown): number {
  return checkNum(owner, name, v, (x) => x >= 0 && x < 1, 'in [0, 1)');
}

/** An integer >= min. */
export function integer(owner: string, name: string, v: unknown, min: number): number {
  return checkNum(owner, name, v, (x) => Number.isInteger(x) && x >= min, `an integer >= ${min}`);
}

/** A finite number. */
export function finite(owner: string, name: string, v: unknown): number {
  return checkNum(owner, name, v, Number.isFinite, 'a finite number');
}

/** true or false. */
export function bool(owner: string, name: string, v: unknown): boolean {
  if (typeof v !== 'boolean') fail(owner, name, 'true or false', v);
  return v;
}

/** One of `choices`. */
export function oneOf<C extends string>(owner: string, name: string, v: unknown, choices: readonly C[]): C {
  if (typeof v !== 'string' || !(choices as readonly string[]).includes(v)) fail(owner, name, `one of ${choices.map((c) => `'${c}'`).join(', ')}`, v);
  return v as C;
}

/** Rejects keys of `opts` outside `known` (a misspelt option is an error, not a silent default). */
export function noUnknownKeys(owner: string, opts: object, known: readonly string[], what = 'option'): void {
  for (const k of Object.keys(opts)) {
    if (!known.includes(k)) {
      throw new ArgumentError(`${owner}: unknown ${what} '${k}' (known: ${known.join(', ')})`);
    }
  }
}

/** Checks `opts` is a plain object (or undefined: {}). */
export function optionsObject<T extends object>(owner: string, opts: T | undefined): Partial<T> {
  if (opts === undefined) return {};
  if (opts === null || typeof opts !== 'object' || Array.isArray(opts)) {
    throw new ArgumentError(`${owner}: options must be an object, got ${describe(opts)}`);
  }
  return opts;
}
