// Shared test helpers of the zoo: the backends the models run on, and leak checks.
import '@tensile/backend-js/register';
import '@tensile/backend-wasm/register';
import { memory, setBackend } from '@tensile/core';
import { expect } from 'vitest';

/** The backends every model test runs on. */
export const BACKENDS = ['js', 'wasm'] as const;

/** Selects `name` (awaiting its initialisation). */
export async function useBackend(name: (typeof BACKENDS)[number]): Promise<void> {
  await setBackend(name);
}

/** Runs `fn` and expects no tensor to outlive it (the model is built and disposed inside). */
export async function expectNoLeak(fn: () => void | Promise<void>): Promise<void> {
  const before = memory().tensors;
  await fn();
  expect(memory().tensors, 'tensors left behind').toBe(before);
}
