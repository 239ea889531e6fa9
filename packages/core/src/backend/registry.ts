// Backend registry: names -> factories, the active backend, and moving tensors between them.
import { BackendError } from '../errors.js';
import { SPEC_VERSION, type Backend, type BackendFactory } from './backend.js';
import { state, type DataRef } from '../engine/state.js';

interface Entry { factory: BackendFactory; priority: number; instance?: Backend; pending?: Promise<Backend> }
const entries = new Map<string, Entry>();

/**
 * Registers a backend factory under `name` (idempotent: a second call with the same name is ignored).
 * @example registerBackend('js', createJsBackend, { priority: 1 })
 */
export function registerBackend(name: string, factory: BackendFactory, opts: { priority?: number } = {}): void {
  if (entries.has(name)) return;
  entries.set(name, { factory, priority: opts.priority ?? 0 });
}

/** Names of the registered backends, highest priority first. */
export function listBackends(): string[] {
  return [...entries.entries()].sort((a, b) => b[1].priority - a[1].priority).map(([n]) => n);
}

function checked(name: string, b: Backend, op = 'setBackend'): Backend {
  if (b.specVersion !== SPEC_VERSION) {
    throw new BackendError(`${op}: backend '${name}' implements contract version ${b.specVersion}, core needs ${SPEC_VERSION}`);
  }
  return b;
}

/** The backend registered as `name`, created (once) if needed; errors name `op`. */
export async function instantiate(name: string, op = 'setBackend'): Promise<Backend> {
  const e = entries.get(name);
  if (!e) throw new BackendError(`${op}: no backend named '${name}' (registered: ${listBackends().join(', ') || 'none'})`);
  if (e.instance) return e.instance;
  e.pending ??= Promise.resolve(e.factory()).then((b) => (e.instance = checked(name, b, op)));
  try {
    return await e.pending;
  } catch (err) {
    e.pending = undefined;
    throw err;
  }
}

/**
 * Makes `name` the active backend once it is ready. Live tensors stay valid: their data moves
 * on first use, except off a backend without synchronous reads, whose tensors move now.
 * @example await setBackend('js')
 */
export async function setBackend(name: string): Promise<void> {
  const next = await instantiate(name);
  const prev = state.backend;
  if (prev && prev !== next && !prev.readSync) {
    for (const ref of [...state.refs]) if (ref.backend === prev) await moveRef(ref, next);
  }
  state.backend = next;
}

/** The active backend, initialising the highest-priority synchronous one if none is set. */
export function getBackend(): Backend {
  if (state.backend) return state.backend;
  for (const name of listBackends()) {
    const e = entries.get(name)!;
    if (e.instance) return (state.backend = e.instance);
    const made = e.factory();
    if (!(made instanceof Promise)) return (state.backend = e.instance = checked(name, made));
    e.pending ??= made.then((b) => (e.instance = checked(name, b)));
  }
  throw new BackendError(`getBackend: no backend is ready; import a backend's './register' entry and \`await setBackend(name)\` first`);
}

/** Name of the active backend. */
export function getBackendName(): string {
  return getBackend().name;
}

/** The backend instance registered as `name`, if it was initialised. */
export function findBackend(name: string): Backend | undefined {
  return entries.get(name)?.instance;
}

/** Moves a buffer to `to` asynchronously (works off any backend). */
export async function moveRef(ref: DataRef, to: Backend): Promise<void> {
  if (ref.backend === to) return;
  const values = await ref.backend.read(ref.id);
  rehome(ref, to, values);
}

/** Moves a buffer to `to` synchronously; throws if its backend cannot read synchronously. */
export function moveRefSync(ref: DataRef, to: Backend, op: string): void {
  if (ref.backend === to) return;
  if (!ref.backend.readSync) {
    throw new BackendError(`${op}: a tensor lives on '${ref.backend.name}', which has no synchronous read; ` +
      `move it first with \`await toBackend(t, '${to.name}')\``);
  }
  rehome(ref, to, ref.backend.readSync(ref.id));
}

function rehome(ref: DataRef, to: Backend, values: ArrayLike<number> & { length: number }): void {
  const id = to.write(values as never, ref.shape, ref.dtype);
  ref.backend.dispose(ref.id);
  ref.backend = to;
  ref.id = id;
}
