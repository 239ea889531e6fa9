// Shared test helpers: the JS backend, goldens as tensors, closeness checks, leak checks.
import '@tensile/backend-js/register';
import { Tensor, dispose, memory, setBackend, tensor, variable, type Variable } from '@tensile/core';
import { beforeAll, expect } from 'vitest';
import type { GT } from './fixtures/types.js';
import type { AnyModule } from '../src/index.js';

/** Selects the JS backend before the file's tests. */
export function useJs(): void {
  beforeAll(async () => {
    await setBackend('js');
  });
}

/** A golden tensor as a Tensor (float32 or int32). */
export function T(g: GT): Tensor {
  const data = g.dtype === 'int32' ? Int32Array.from(g.data) : Float32Array.from(g.data);
  return tensor(data, g.shape);
}

/** A golden tensor as a trainable Variable (for input gradients through backward()). */
export function V(g: GT): Variable {
  const t = T(g);
  const v = variable(t);
  t.dispose();
  return v;
}

export interface Tol {
  rtol?: number;
  atol?: number;
}

/** Expects `t` to have the golden's shape and values within atol + rtol |expected|. */
export function expectClose(t: Tensor | null | undefined, want: GT | number[], tol: Tol = {}, what = ''): void {
  const { rtol = 1e-4, atol = 1e-5 } = tol;
  expect(t, `${what}: missing tensor`).toBeInstanceOf(Tensor);
  const values = Array.isArray(want) ? want : want.data;
  if (!Array.isArray(want)) expect(t!.shape, `${what}: shape`).toEqual(want.shape);
  const got = Array.from(t!.dataSync());
  expect(got.length, `${what}: size`).toBe(values.length);
  for (let i = 0; i < values.length; i++) {
    const w = values[i]!, g = got[i]!;
    if (Math.abs(g - w) > atol + rtol * Math.abs(w)) {
      expect.fail(`${what}: element ${i} is ${g}, expected ${w} (atol ${atol}, rtol ${rtol}); got ${JSON.stringify(got.slice(0, 12))}...`);
    }
  }
}

/** Loads a golden PyTorch state dict (name -> GT) into a module, strictly. */
export function loadGolden(m: AnyModule, state: Record<string, GT>): void {
  const sd = Object.fromEntries(Object.entries(state).map(([k, g]) => [k, T(g)]));
  try {
    m.loadStateDict(sd);
  } finally {
    dispose(Object.values(sd));
  }
}

/** Runs `fn` and expects no tensor or byte to outlive it. */
export function expectNoLeak(fn: () => void): void {
  const before = memory();
  fn();
  const after = memory();
  expect(after.tensors, 'live tensors').toBe(before.tensors);
  expect(after.bytes, 'live bytes').toBe(before.bytes);
}

/** Plain numbers of a tensor. */
export function values(t: Tensor): number[] {
  return Array.from(t.dataSync());
}
