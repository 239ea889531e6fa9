// Reading tensor values back to JS.
import type { TypedArray } from '../dtype.js';
import { BackendError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { hold, unref } from './buffers.js';
import { nameOf } from '../backend/registry.js';
import { assertLive, assertUsable } from './engine.js';

/**
 * Async readback from wherever the tensor's data lives, after the backend's queued work. The
 * read holds the buffer, so disposing the tensor meanwhile cannot free it under the read.
 */
export async function readData(t: Tensor): Promise<TypedArray> {
  assertLive('data', t, 'this');
  const ref = t.ref!;
  // A backend with nothing queued and a synchronous read answers now: no hold, no awaits
  // (a tiny op with readback is dominated by this path).
  if (ref.moving === undefined && ref.backend.flush === undefined && ref.backend.readSync !== undefined) {
    return ref.backend.readSync(ref.id);
  }
  hold(ref);
  try {
    // Wait out any move in flight and the backend's queued work, then read where the data is.
    for (;;) {
      if (ref.moving) await ref.moving;
      const backend = ref.backend;
      if (backend.flush) await backend.flush();
      if (ref.moving || ref.backend !== backend) continue;
      assertUsable('data', backend, 'the tensor lives on it');
      return await backend.read(ref.id);
    }
  } finally {
    unref(ref);
  }
}

/** Sync readback; BackendError where the backend cannot read synchronously. */
export function readDataSync(t: Tensor): TypedArray {
  assertLive('dataSync', t, 'this');
  const ref = t.ref!;
  if (!ref.backend.readSync) {
    throw new BackendError(`dataSync: backend '${nameOf(ref.backend)}' cannot read synchronously; use \`await t.data()\``);
  }
  return ref.backend.readSync(ref.id);
}
