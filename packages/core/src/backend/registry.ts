// Backend registry: names -> factories, the active backend, loss, and moving tensors between them.
import { BackendError, DeviceLostError } from '../errors.js';
import { SPEC_VERSION, type Backend, type BackendFactory } from './backend.js';
import { state, type DataRef } from '../engine/state.js';
import { hold, unref } from '../engine/buffers.js';

interface Entry { factory: BackendFactory; priority: number; instance?: Backend; pending?: Promise<Backend> }
const entries = new Map<string, Entry>();
/** The name each live instance is registered under (two names may share one implementation). */
const names = new WeakMap<Backend, string>();

/**
 * Registers a backend factory under `name` (idempotent: a second call with the same name is ignored).
 * @example registerBackend('js', createJsBackend, { priority: 1 })
 */
export function registerBackend(name: string, factory: BackendFactory, opts: { priority?: number } = {}): void {
  if (entries.has(name)) return;
  entries.set(name, { factory, priority: opts.priority ?? 0 });
}

/**
 * Unregisters `name`, so it can be registered again (e.g. with other options). Refused while
 * tensors still hold data on it: move them (`toBackend`) or dispose them first.
 * @example removeBackend('webgpu')
 */
export function removeBackend(name: string): void {
  const e = entries.get(name);
  if (!e) throw new BackendError(`removeBackend: no backend named '${name}' (registered: ${listBackends().join(', ') || 'none'})`);
  const b = e.instance;
  if (b && !state.lost.has(b)) {
    const live = [...state.refs].filter((r) => r.backend === b).length;
    if (live > 0) {
      throw new BackendError(`removeBackend: backend '${name}' still holds ${live} buffer(s) of live tensors; move them with \`await toBackend(t, other)\` or dispose them first`);
    }
    state.lost.set(b, 'it was removed');
  }
  if (b && state.backend === b) state.backend = undefined;
  entries.delete(name);
}

/** Names of the registered backends, highest priority first. */
export function listBackends(): string[] {
  return [...entries.entries()].sort((a, b) => b[1].priority - a[1].priority).map(([n]) => n);
}

function adopt(e: Entry, name: string, b: Backend, op: string): Backend {
  if (b.specVersion !== SPEC_VERSION) {
    throw new BackendError(`${op}: backend '${name}' implements contract version ${b.specVersion}, core needs ${SPEC_VERSION}`);
  }
  e.instance = b;
  names.set(b, name);
  // Device loss: tensors on this instance become unusable; the next setBackend re-creates it.
  void b.lost?.then((reason) => {
    state.lost.set(b, reason || 'device lost');
    if (e.instance === b) {
      e.instance = undefined;
      e.pending = undefined;
    }
  });
  return b;
}

function failed(op: string, name: string, err: unknown): BackendError {
  if (err instanceof BackendError) return err;
  const why = err instanceof Error ? err.message : String(err);
  return new BackendError(`${op}: backend '${name}' failed to initialise: ${why}`, { cause: err });
}

/** Starts creating `name`'s instance once; a failure rejects this attempt only (the next one retries). */
function start(e: Entry, name: string, op: string): Promise<Backend> {
  if (!e.pending) {
    let made: Backend | Promise<Backend>;
    try {
      made = e.factory();
    } catch (err) {
      return Promise.reject(failed(op, name, err));
    }
    const p = Promise.resolve(made).then((b) => adopt(e, name, b, op), (err: unknown) => {
      throw failed(op, name, err);
    });
    e.pending = p;
    // Whoever awaits sees the error; an attempt nobody awaits must not crash the process.
    p.catch(() => { if (e.pending === p) e.pending = undefined; });
  }
  return e.pending;
}

/** The backend registered as `name`, created (once) if needed; errors name `op`. */
export async function instantiate(name: string, op = 'setBackend'): Promise<Backend> {
  const e = entries.get(name);
  if (!e) throw new BackendError(`${op}: no backend named '${name}' (registered: ${listBackends().join(', ') || 'none'})`);
  return e.instance ?? start(e, name, op);
}

/**
 * Makes `name` the active backend once it is ready; a backend that fails to initialise
 * rejects with a BackendError and the active backend stays. Live tensors stay valid: their
 * data moves on first use, except off a backend without synchronous reads, whose tensors move
 * now (a lost backend's tensors are gone and stay behind).
 * @example await setBackend('js')
 */
export async function setBackend(name: string): Promise<void> {
  const next = await instantiate(name);
  const prev = state.backend;
  if (prev && prev !== next && !prev.readSync && !state.lost.has(prev)) {
    for (const ref of [...state.refs]) if (ref.backend === prev) await moveRef(ref, next, 'setBackend');
  }
  state.backend = next;
}

/** The active backend, initialising the highest-priority synchronous one if none is set. */
export function getBackend(): Backend {
  const active = state.backend;
  if (active) {
    const why = state.lost.get(active);
    if (why === undefined) return active;
    throw new DeviceLostError(`backend '${nameOf(active)}' was lost (${why}); \`await setBackend(name)\` to re-create it or pick another`);
  }
  for (const name of listBackends()) {
    const e = entries.get(name)!;
    if (e.instance) return (state.backend = e.instance);
    if (e.pending) continue;
    let made: Backend | Promise<Backend>;
    try {
      made = e.factory();
    } catch {
      continue; // it will report its error when asked for by name
    }
    if (!(made instanceof Promise)) return (state.backend = adopt(e, name, made, 'getBackend'));
    e.pending = made.then((b) => adopt(e, name, b, 'getBackend'));
    e.pending.catch(() => { e.pending = undefined; });
  }
  throw new BackendError(`getBackend: no backend is ready; import a backend's './register' entry and \`await setBackend(name)\` first`);
}

/** Name of the active backend, as registered. */
export function getBackendName(): string {
  return nameOf(getBackend());
}

/** The name `b` was registered under (its own `name` if it was never registered). */
export function nameOf(b: Backend): string {
  return names.get(b) ?? b.name;
}

/** The backend instance registered as `name`, if it was initialised. */
export function findBackend(name: string): Backend | undefined {
  return entries.get(name)?.instance;
}

/**
 * Moves a buffer to `to` asynchronously (works off any backend). Moves of one buffer run one
 * at a time; the move holds the buffer, so a tensor disposed meanwhile is freed once, on
 * the backend that holds its data then, and is not uploaded at all if the read finished after.
 */
export async function moveRef(ref: DataRef, to: Backend, op = 'toBackend'): Promise<void> {
  while (ref.moving) await ref.moving;
  if (ref.backend === to || ref.refCount === 0) return;
  const from = ref.backend;
  const why = state.lost.get(from);
  if (why !== undefined) throw new DeviceLostError(`${op}: backend '${nameOf(from)}' was lost (${why}); the tensor's data is gone`);
  let done!: () => void;
  ref.moving = new Promise<void>((r) => (done = r));
  hold(ref);
  try {
    if (from.flush) await from.flush();
    const values = await from.read(ref.id);
    if (ref.refCount > 1) rehome(ref, to, values);
  } finally {
    ref.moving = undefined;
    done();
    unref(ref);
  }
}

/** Moves a buffer to `to` synchronously; throws if its backend cannot read synchronously. */
export function moveRefSync(ref: DataRef, to: Backend, op: string): void {
  if (ref.backend === to) return;
  if (!ref.backend.readSync || ref.moving) {
    const why = ref.moving ? 'is being moved asynchronously' : 'has no synchronous read';
    throw new BackendError(`${op}: a tensor lives on '${nameOf(ref.backend)}', which ${why}; ` +
      `move it first with \`await toBackend(t, '${nameOf(to)}')\``);
  }
  rehome(ref, to, ref.backend.readSync(ref.id));
}

function rehome(ref: DataRef, to: Backend, values: ArrayLike<number> & { length: number }): void {
  const id = to.write(values as never, ref.shape, ref.dtype);
  ref.backend.dispose(ref.id);
  ref.backend = to;
  ref.id = id;
}
