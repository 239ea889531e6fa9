// Shared plumbing for every public op: a private scope that frees intermediates, and
// conversion of JS scalars to tensors with PyTorch's weak scalar typing.
import { assertLive, makeTensor } from '../engine/engine.js';
import { release } from '../engine/engine.js';
import { state } from '../engine/state.js';
import { allocate, scalarDType, type DType } from '../dtype.js';
import { ArgumentError, DTypeError, fmt } from '../errors.js';
import { Tensor } from '../tensor.js';

/** A tensor or a JS scalar standing for one. */
export type Scalarish = Tensor | number | boolean;

/**
 * Wraps an op body in a private scope: every intermediate is freed and the result handed to
 * the caller's scope. Gradient graphs keep the buffers they need on their own.
 */
export function defineOp<A extends unknown[], R extends Tensor | Tensor[] | Record<string, Tensor>>(
  fn: (...args: A) => R,
): (...args: A) => R {
  return (...args: A): R => {
    const scope: Tensor[] = [];
    state.scopes.push(scope);
    let result: R;
    try {
      result = fn(...args);
    } catch (err) {
      state.scopes.pop();
      for (const t of scope) if (!t.kept) release(t);
      throw err;
    }
    state.scopes.pop();
    // Most ops return one tensor: compare with it directly rather than building a Set per call.
    const single = result instanceof Tensor ? result : null;
    const outs = single === null ? new Set(Array.isArray(result) ? result : Object.values(result as Record<string, Tensor>)) : null;
    const parent = state.scopes[state.scopes.length - 1];
    for (const t of scope) {
      if (single !== null ? t === single : outs!.has(t)) parent?.push(t);
      else if (!t.kept) release(t);
    }
    return result;
  };
}

/** Checks `x` is a live tensor (or converts a JS scalar, typed against `like`). */
export function asTensor(op: string, x: Scalarish, arg: string, like?: DType): Tensor {
  if (x instanceof Tensor) {
    assertLive(op, x, arg);
    return x;
  }
  if (typeof x === 'number' || typeof x === 'boolean') {
    const dtype = like ? scalarDType(x, like) : typeof x === 'boolean' ? 'bool' : 'float32';
    const v = allocate(dtype, 1);
    v[0] = typeof x === 'boolean' ? (x ? 1 : 0) : x;
    return makeTensor(v, [], dtype);
  }
  throw new ArgumentError(`${op}: argument '${arg}' must be a Tensor or a number, got ${describe(x)}`);
}

/** Checks a live tensor argument (no scalar conversion). */
export function checkTensor(op: string, x: unknown, arg = 'x'): Tensor {
  if (!(x instanceof Tensor)) throw new ArgumentError(`${op}: argument '${arg}' must be a Tensor, got ${describe(x)}`);
  assertLive(op, x, arg);
  return x;
}

/** Throws DTypeError unless `t.dtype` is one of `allowed`. */
export function checkDType(op: string, t: Tensor, allowed: readonly DType[], arg = 'x'): void {
  if (!allowed.includes(t.dtype)) {
    throw new DTypeError(`${op}: argument '${arg}' has dtype ${t.dtype} (shape ${fmt(t.shape)}); expected ${allowed.join(' or ')}`);
  }
}

/** `v` if it is a boolean (or undefined: `dflt`); anything else is an ArgumentError, never reinterpreted. */
export function checkBool(op: string, v: unknown, arg: string, dflt = false): boolean {
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean') throw new ArgumentError(`${op}: '${arg}' must be true or false, got ${describe(v)}`);
  return v;
}

/** `v` if it is a finite number (or undefined: `dflt`); anything else is an ArgumentError. */
export function checkNumber(op: string, v: unknown, arg: string, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ArgumentError(`${op}: '${arg}' must be a finite number, got ${describe(v)}`);
  return v;
}

/** Throws ArgumentError unless `v` is an integer within [min, max]. */
export function checkInt(op: string, v: unknown, arg: string, min = -Infinity, max = Infinity): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    const range = max === Infinity ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new ArgumentError(`${op}: '${arg}' must be an integer ${range}, got ${describe(v)}`);
  }
  return v;
}

export function describe(x: unknown): string {
  if (x instanceof Tensor) return `Tensor${fmt(x.shape)}`;
  if (Array.isArray(x)) return `[${x.map(describe).join(',')}]`;
  return typeof x === 'string' ? `'${x}'` : String(x);
}
