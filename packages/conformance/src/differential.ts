// The differential family: a backend's kernels against a reference backend's (backend-js,
// passed in by the caller, so this package depends on no backend) on the random inputs of
// differential_cases.ts. Each case writes the same values to both backends, runs the kernel
// on each, compares the outputs (shape, dtype, values within the case's tolerance) and checks
// that neither backend leaks a buffer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocate, type Backend, type BackendFactory, type DType, type FusedKernelName, type TensorInfo, type TypedArray } from '@tensile/core';
import { DIFFERENTIAL_CASES, type DiffCase, type DiffInput } from './differential_cases.js';
import { hash, prng, sizeOf } from './util.js';

/** Options of `describeDifferential`. */
export interface DifferentialOptions {
  /** The reference backend (the oracle): `createJsBackend` from @tensile/backend-js. */
  reference: BackendFactory;
  /**
   * The optional fused kernels the backend implements (default: all of them). Their cases run;
   * a fused kernel a backend leaves out is core's decomposition into required kernels, which
   * those kernels' cases and `describeConformance` cover. The family fails if the backend's
   * `fused` table names a different set, so the list cannot drift from the backend.
   */
  fused?: readonly FusedKernelName[];
}

const ALL_FUSED: readonly FusedKernelName[] = ['FusedMatMul', 'BatchNorm', 'LayerNorm'];

/** Random values for an input (integers for integer dtypes, 0/1 for bool), seeded by the case. */
function values(spec: DiffInput, seed: number): TypedArray {
  const r = prng(seed);
  const out = allocate(spec.dtype, sizeOf(spec.shape));
  const lo = spec.lo ?? -1, hi = spec.hi ?? 1;
  for (let k = 0; k < out.length; k++) {
    if (spec.dtype === 'bool') out[k] = r() < 0.5 ? 1 : 0;
    else if (spec.dtype === 'float32') out[k] = lo + (hi - lo) * r();
    else out[k] = Math.floor(lo + (hi - lo) * r());
  }
  return out;
}

/** Runs one case on `backend` with the generated `data`; returns the output's info and values. */
async function runOn(backend: Backend, c: DiffCase, data: Map<string, TypedArray[]>): Promise<{ info: TensorInfo; values: TypedArray }> {
  const written: TensorInfo[] = [];
  const upload = (spec: DiffInput, v: TypedArray): TensorInfo => {
    const info = { id: backend.write(v, spec.shape, spec.dtype), shape: [...spec.shape], dtype: spec.dtype };
    written.push(info);
    return info;
  };
  const inputs: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(c.inputs)) {
    if (spec === undefined) continue;
    if (typeof spec === 'number') inputs[name] = spec;
    else if (Array.isArray(spec)) inputs[name] = spec.map((x, k) => upload(x, data.get(name)![k]!));
    else inputs[name] = upload(spec, data.get(name)![0]!);
  }
  const table = (c.fused ? backend.fused : backend.kernels) as Record<string, (i: unknown, a: unknown, b: Backend) => TensorInfo>;
  const impl = table[c.kernel];
  if (!impl) throw new Error(`differential: backend '${backend.name}' has no ${c.fused ? 'fused ' : ''}kernel ${c.kernel}`);
  try {
    const info = impl(inputs, structuredClone(c.attrs), backend);
    await backend.flush?.();
    const out = await backend.read(info.id);
    backend.dispose(info.id);
    return { info, values: out };
  } finally {
    for (const w of written) backend.dispose(w.id);
  }
}

/** Whether `got` is within tol of `want` (NaN meets NaN, an infinity the same infinity). */
function close(got: number, want: number, rtol: number, atol: number): boolean {
  if (Number.isNaN(want)) return Number.isNaN(got);
  if (!Number.isFinite(want)) return got === want;
  return Math.abs(got - want) <= atol + rtol * Math.abs(want);
}

/**
 * Registers the differential family for `name`: every kernel compared with `opts.reference`.
 * @example describeDifferential('wasm', createWasmBackend, { reference: createJsBackend })
 */
export function describeDifferential(name: string, factory: BackendFactory, opts: DifferentialOptions): void {
  describe(`@tensile/conformance differential: backend '${name}' against the reference`, () => {
    let backend: Backend;
    let reference: Backend;
    const fused = new Set(opts.fused ?? ALL_FUSED);
    beforeAll(async () => {
      backend = await factory();
      reference = await opts.reference();
    });
    it('implements exactly the fused kernels it declares', () => {
      expect(Object.keys(backend.fused ?? {}).sort()).toEqual([...fused].sort());
    });
    afterAll(() => {
      expect(backend.memory().buffers).toBe(0);
    });
    for (const [family, cases] of DIFFERENTIAL_CASES) {
      const run = cases.filter((c) => !c.fused || fused.has(c.kernel as FusedKernelName));
      if (run.length === 0) continue;
      describe(family, () => {
        it.each(run.map((c) => [`${c.kernel}: ${c.name}`, c] as const))('%s', async (_label, c) => {
          const seed = hash(`${c.kernel} ${c.name}`);
          const data = new Map<string, TypedArray[]>();
          for (const [k, spec] of Object.entries(c.inputs)) {
            if (spec === undefined || typeof spec === 'number') continue;
            const specs = Array.isArray(spec) ? spec : [spec];
            data.set(k, specs.map((sp, j) => values(sp, seed + 7919 * (j + 1) + hash(k))));
          }
          const before = [backend.memory(), reference.memory()];
          const got = await runOn(backend, c, data);
          const want = await runOn(reference, c, data);
          expect([backend.memory(), reference.memory()]).toEqual(before);
          expect(got.info.shape).toEqual(want.info.shape);
          expect(got.info.dtype as DType).toBe(want.info.dtype);
          expect(got.values.length).toBe(want.values.length);
          const bad: string[] = [];
          for (let k = 0; k < want.values.length && bad.length < 5; k++) {
            if (!close(got.values[k]!, want.values[k]!, c.tol.rtol, c.tol.atol)) bad.push(`[${k}] got ${got.values[k]} want ${want.values[k]}`);
          }
          expect(bad, `${c.kernel} ${c.name}: tolerance rtol ${c.tol.rtol} atol ${c.tol.atol} (${c.tol.why})`).toEqual([]);
        });
      });
    }
  });
}
