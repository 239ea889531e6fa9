// Memory management: tidy scopes, keep, dispose, memory().
import { ArgumentError } from '../errors.js';
import { Tensor } from '../tensor.js';
import { release } from './engine.js';
import { state } from './state.js';
import { listBackends, findBackend } from '../backend/registry.js';

/** What tidy may return: tensors, arrays of them, or plain objects of them (kept). */
export type TensorContainer = Tensor | void | number | string | boolean | null | undefined
  | TensorContainer[] | { [k: string]: TensorContainer };

function collect(x: unknown, out: Set<Tensor>): void {
  if (x instanceof Tensor) out.add(x);
  else if (Array.isArray(x)) for (const v of x) collect(v, out);
  else if (x !== null && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype) {
    for (const v of Object.values(x)) collect(v, out);
  }
}

/**
 * Runs `fn` and disposes every tensor it created except those it returns or `keep`s.
 * @example const y = tidy(() => x.square().sum());
 */
export function tidy<T extends TensorContainer>(fn: () => T): T {
  const scope: Tensor[] = [];
  state.scopes.push(scope);
  let result: T;
  try {
    result = fn();
    if ((result as unknown) instanceof Promise) {
      throw new ArgumentError('tidy: the function returned a Promise; tidy is synchronous (await outside it)');
    }
  } catch (err) {
    state.scopes.pop();
    for (const t of scope) if (!t.kept) release(t);
    throw err;
  }
  state.scopes.pop();
  finish(scope, result);
  return result;
}

/** Frees a closed scope's tensors except the result's (and kept ones); hands those up. */
function finish(scope: Tensor[], result: unknown): void {
  const keepers = new Set<Tensor>();
  collect(result, keepers);
  const parent = state.scopes[state.scopes.length - 1];
  // Gradient graphs hold the buffers they need themselves, so every other handle can go.
  for (const t of scope) {
    if (keepers.has(t)) parent?.push(t);
    else if (!t.kept) release(t);
  }
}

/**
 * The async tidy: awaits `fn` and then disposes every tensor created while it ran, except
 * those it resolves to or `keep`s. Tensors made by other code running during its awaits are
 * counted as its own (scopes follow the call stack, as tfjs's), so avoid overlapping ones.
 * @example const loss = await tidyAsync(async () => { const y = f(x); await y.data(); return y.mean(); });
 */
export async function tidyAsync<T extends TensorContainer>(fn: () => Promise<T>): Promise<T> {
  const scope: Tensor[] = [];
  state.scopes.push(scope);
  // Removed by identity: other scopes may have opened and closed around our awaits.
  const close = (): void => {
    const at = state.scopes.lastIndexOf(scope);
    if (at >= 0) state.scopes.splice(at, 1);
  };
  let result: T;
  try {
    result = await fn();
  } catch (err) {
    close();
    for (const t of scope) if (!t.kept) release(t);
    throw err;
  }
  close();
  finish(scope, result);
  return result;
}

/**
 * Exempts a tensor from every enclosing tidy scope; it lives until `dispose`.
 * @example const w = keep(randn([3, 3]));
 */
export function keep<T extends Tensor>(t: T): T {
  t.kept = true;
  return t;
}

/**
 * Disposes tensors (a tensor, an array or an object of them). Disposing twice is harmless.
 * @example dispose([a, b]);
 */
export function dispose(x: TensorContainer): void {
  const all = new Set<Tensor>();
  collect(x, all);
  for (const t of all) release(t);
}

export interface MemoryInfo {
  /** Live tensor handles (views count separately). */
  tensors: number;
  /** Bytes of the live buffers: those tensors hold and gradient graphs saved (logical sizes). */
  bytes: number;
  /** The most `bytes` has been since the last `resetPeakMemory()`. */
  peakBytes: number;
  /** What each initialised backend reports for itself. */
  perBackend: Record<string, { buffers: number; bytes: number }>;
}

/**
 * Counts live tensors and bytes, overall and per backend.
 * @example const before = memory().tensors;
 */
export function memory(): MemoryInfo {
  const perBackend: MemoryInfo['perBackend'] = {};
  for (const name of listBackends()) {
    const b = findBackend(name);
    if (b) perBackend[name] = b.memory();
  }
  return { tensors: state.live.size, bytes: state.bytes, peakBytes: state.peakBytes, perBackend };
}

/**
 * Every live tensor handle, oldest first: for finding leaks (and freeing what a failed test left).
 * @example const before = new Set(liveTensors()); run(); liveTensors().filter((t) => !before.has(t))
 */
export function liveTensors(): Tensor[] {
  return [...state.live];
}

/**
 * Restarts `memory().peakBytes` from the bytes live now, to measure the peak of what follows.
 * @example resetPeakMemory(); step(); console.log(memory().peakBytes);
 */
export function resetPeakMemory(): void {
  state.peakBytes = state.bytes;
}
