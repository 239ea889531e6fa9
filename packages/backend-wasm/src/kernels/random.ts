// Random: Philox-4x32-10 in Rust, bit-identical uniform draws to every other backend.
import { shapeUtil } from '@tensile/core';
import type { KernelImpl } from '@tensile/core';
import type { WasmBackend } from '../backend.js';

/** The Random kernel. */
export const random: KernelImpl<'Random', WasmBackend> = (_inputs, { dist, shape, seed, offset }, backend) => {
  const [out, o] = backend.output(shape.slice(), 'float32');
  const n = shapeUtil.sizeOf(shape);
  if (n > 0) backend.wasm.tk_random(dist === 'uniform' ? 0 : 1, seed, offset, o, n);
  return out;
};
