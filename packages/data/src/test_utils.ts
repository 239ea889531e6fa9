// Test set-up shared by the package's tests: the JS backend, and a leak check around every test.
import { afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { memory, setBackend, type Tensor } from '@tensile/core';
import '@tensile/backend-js/register';

/** Runs each test of the file on the JS backend and checks it leaves no tensor behind. */
export function useBackend(): void {
  let before = 0;
  beforeAll(async () => {
    await setBackend('js');
  });
  beforeEach(() => {
    before = memory().tensors;
  });
  afterEach(() => {
    expect(memory().tensors, 'tensors leaked by the test').toBe(before);
  });
}

/** A tensor's shape and values as plain arrays, then frees it. */
export function take(t: Tensor): { shape: number[]; values: number[] } {
  const out = { shape: t.shape, values: Array.from(t.dataSync()) };
  t.dispose();
  return out;
}

/** 0, 1, ..., n - 1. */
export const iota = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
