// Explicitly moving a tensor's data between backends.
import { checkTensor } from '../ops/op.js';
import type { Tensor } from '../tensor.js';
import { findBackend, getBackend, listBackends, moveRef, setBackend } from './registry.js';
import { BackendError } from '../errors.js';

/**
 * Moves t's data to backend `name` (the active one by default), asynchronously so it works
 * off backends without synchronous reads. The tensor keeps its identity; returns it.
 * @example await toBackend(t, 'js')
 */
export async function toBackend(t: Tensor, name?: string): Promise<Tensor> {
  checkTensor('toBackend', t, 't');
  if (name !== undefined && !listBackends().includes(name)) {
    throw new BackendError(`toBackend: no backend named '${name}' (registered: ${listBackends().join(', ') || 'none'})`);
  }
  let target = name === undefined ? getBackend() : findBackend(name);
  if (!target && name !== undefined) {
    const active = getBackend();
    await setBackend(name);
    target = getBackend();
    await setBackend(active.name);
  }
  if (!target) throw new BackendError(`toBackend: backend '${name}' is not available`);
  await moveRef(t.ref!, target);
  return t;
}

/** Name of the backend currently holding t's data. */
export function backendOf(t: Tensor): string {
  return checkTensor('backendOf', t, 't').ref!.backend.name;
}
