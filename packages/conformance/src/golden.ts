// Turns the PyTorch fixtures (fixtures/golden.ts, written by fixtures/gen.py) into cases.
import type { Tensor } from '@tensile/core';
import { golden } from './fixtures/golden.js';
import type { GoldenCase } from './golden_types.js';
import { FD, GRAD } from './tol.js';
import type { FDCheck, Tol, ValueCase } from './types.js';

/** Calls the Tensile op a fixture names, with the fixture's attributes. */
export type GoldenRun = (xs: Tensor[], attrs: Record<string, any>) => Tensor | Tensor[];

export interface GoldenOptions {
  /** Forward tolerance for a fixture. */
  tol: (g: GoldenCase) => Tol;
  /** Tolerance against torch.autograd (default GRAD). */
  gradTol?: (g: GoldenCase) => Tol;
  /** Finite-difference settings for fixtures flagged `fd` (default tolerance FD, eps 1e-2). */
  fd?: (g: GoldenCase) => Omit<FDCheck, 'weights'>;
}

/** Every fixture of `family` as a case: forward vs torch, gradients vs torch, and central differences. */
export function goldenCases(family: string, runs: Record<string, GoldenRun>, opts: GoldenOptions): ValueCase[] {
  const list = golden[family];
  if (!list) throw new Error(`no golden fixtures for '${family}' (run fixtures/gen.py)`);
  return list.map((g) => {
    const run = runs[g.op];
    if (!run) throw new Error(`golden family '${family}': no runner for op '${g.op}'`);
    const c: ValueCase = {
      name: `${g.name} (vs torch)`,
      inputs: g.inputs,
      run: (xs) => run(xs, g.attrs),
      expected: g.outputs,
      tol: opts.tol(g),
    };
    if (g.grads && g.weights) c.goldenGrad = { weights: g.weights, grads: g.grads, tol: opts.gradTol?.(g) ?? GRAD };
    if (g.fd && g.weights) c.grad = { tol: FD, ...opts.fd?.(g), weights: g.weights };
    return c;
  });
}

/** Optional attribute: null in the fixtures means "not given". */
export function opt<T>(v: T | null | undefined): T | undefined {
  return v === null ? undefined : v;
}
