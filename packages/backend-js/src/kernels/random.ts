// Random: Philox-4x32-10 numbers, bit-identical on every backend (core's philoxFill).
import { philoxFill, shapeUtil } from '@tensile/core';
import type { KernelImpl, RandomDist } from '@tensile/core';
import type { JsBackend } from '../backend.js';

/** Uniform [0, 1) or standard normal float32s for stream (seed, offset). */
export function randomImpl(dist: RandomDist, shape: readonly number[], seed: number, offset: number): Float32Array {
  const out = new Float32Array(shapeUtil.sizeOf(shape));
  philoxFill(dist, seed, offset, out);
  return out;
}

/** The Random kernel: `randomImpl` on the backend's buffers. */
export const random: KernelImpl<'Random', JsBackend> = (_inputs, { dist, shape, seed, offset }, backend) =>
  backend.output(randomImpl(dist, shape, seed, offset), shape.slice(), 'float32');
