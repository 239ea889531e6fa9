// Reading tensor values back to JS.
import type { TypedArray } from '../dtype.js';
import { BackendError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { assertLive } from './engine.js';

/** Async readback from wherever the tensor's data lives. */
export async function readData(t: Tensor): Promise<TypedArray> {
  assertLive('data', t, 'this');
  const ref = t.ref!;
  return ref.backend.read(ref.id);
}

/** Sync readback; BackendError where the backend cannot read synchronously. */
export function readDataSync(t: Tensor): TypedArray {
  assertLive('dataSync', t, 'this');
  const ref = t.ref!;
  if (!ref.backend.readSync) {
    throw new BackendError(`dataSync: backend '${ref.backend.name}' cannot read synchronously; use \`await t.data()\``);
  }
  return ref.backend.readSync(ref.id);
}
