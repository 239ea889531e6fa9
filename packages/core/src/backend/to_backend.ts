// Explicitly moving a tensor's data between backends.
import { checkTensor } from '../ops/op.js';
import type { Tensor } from '../tensor.js';
import { getBackend, instantiate, moveRef, nameOf } from './registry.js';

/**
 * Moves t's data to backend `name` (the active one by default), asynchronously so it works
 * off backends without synchronous reads. The tensor keeps its identity; returns it.
 * @example await toBackend(t, 'js')
 */
export async function toBackend(t: Tensor, name?: string): Promise<Tensor> {
  checkTensor('toBackend', t, 't');
  const target = name === undefined ? getBackend() : await instantiate(name, 'toBackend');
  await moveRef(t.ref!, target);
  return t;
}

/** Name (as registered) of the backend currently holding t's data. */
export function backendOf(t: Tensor): string {
  return nameOf(checkTensor('backendOf', t, 't').ref!.backend);
}
