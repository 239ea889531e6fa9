// Shared test helpers of the zoo: the backends the models run on, and leak checks.
import '@tensile/backend-js/register';
import '@tensile/backend-wasm/register';
import { memory, setBackend } from '@tensile/core';
import { expect } from 'vitest';

/** The backends every model test runs on. */
export const BACKENDS = ['js', 'wasm'] as const;
export type BackendName = (typeof BACKENDS)[number];

/** Selects `name` (awaiting its initialisation). */
export async function useBackend(name: BackendName): Promise<void> {
  await setBackend(name);
}

/** Runs `fn` and expects every tensor and byte it made to be freed by its end. */
export async function expectNoLeak(fn: () => void | Promise<void>): Promise<void> {
  const before = memory();
  await fn();
  const after = memory();
  expect(after.tensors, 'live tensors').toBe(before.tensors);
  expect(after.bytes, 'live bytes').toBe(before.bytes);
}
