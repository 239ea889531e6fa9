// A test-only backend that behaves the way a GPU backend does, over backend-js's kernels: an
// async factory, no readSync, reads that resolve on a later task, a flush, buffers it counts,
// and a device that can be lost. The conformance suite runs on it, so core's asynchronous
// paths are exercised in every CI run.
import type { Backend, TypedArray } from '@tensile/core';
import { createJsBackend } from '../src/index.js';

/** What the test backend counts, and a handle to lose its device. */
export interface AsyncTestBackend extends Backend {
  /** Uploads (`write` calls) and flushes so far. */
  readonly stats: { writes: number; flushes: number; reads: number };
  /** Simulates device loss: `lost` resolves with `reason`. */
  loseDevice(reason: string): void;
}

/** Resolves on a later macrotask, as a GPU readback does. */
const laterTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** Creates the backend asynchronously (as a WebGPU adapter request is). */
export async function createAsyncTestBackend(name = 'async'): Promise<AsyncTestBackend> {
  await laterTask();
  const inner = createJsBackend();
  const stats = { writes: 0, flushes: 0, reads: 0 };
  let lose!: (reason: string) => void;
  const lost = new Promise<string>((resolve) => (lose = resolve));
  const { readSync: _sync, name: _name, ...rest } = inner;
  return {
    ...rest,
    name,
    stats,
    lost,
    loseDevice: (reason) => lose(reason),
    write(values, shape, dtype) {
      stats.writes++;
      return inner.write(values, shape, dtype);
    },
    async read(id): Promise<TypedArray> {
      stats.reads++;
      // Copy now (the buffer may be freed after the call), deliver on a later task.
      const values = inner.readSync(id);
      await laterTask();
      return values;
    },
    async flush() {
      stats.flushes++;
      await Promise.resolve();
    },
  };
}
