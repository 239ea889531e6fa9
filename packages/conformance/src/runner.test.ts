// Tests of the harness itself, on a storage-only fake backend (no kernels): the runner must
// catch wrong values, missing errors, wrong error classes and leaks, and pass correct cases.
import { beforeAll, describe, expect, it } from 'vitest';
import * as T from '@tensile/core';
import type { Backend, DataId, DType, TypedArray } from '@tensile/core';
import { registerTable, runCase, supported, type Env } from './runner.js';
import { ACCUM, EXACT } from './tol.js';
import { compareValues, f32, i32, prng } from './util.js';

function storageBackend(): Backend {
  const bufs = new Map<DataId, TypedArray>();
  return {
    name: 'storage', specVersion: T.SPEC_VERSION,
    write(values) { const id = {}; bufs.set(id, values.slice()); return id; },
    async read(id) { return bufs.get(id)!.slice(); },
    readSync(id) { return bufs.get(id)!.slice(); },
    dispose(id) { bufs.delete(id); },
    memory() { let bytes = 0; for (const b of bufs.values()) bytes += b.byteLength; return { buffers: bufs.size, bytes }; },
    kernels: {} as Backend['kernels'],
  };
}

const env: Env = { name: 'conformance-selftest', factory: storageBackend, caps: { readSync: true } };

beforeAll(async () => {
  T.registerBackend(env.name, env.factory);
  await T.setBackend(env.name);
});

describe('compareValues', () => {
  it('matches NaN with NaN and infinities exactly', () => {
    expect(compareValues([NaN, Infinity, -Infinity], [NaN, Infinity, -Infinity], 'float32', EXACT)).toEqual([]);
    expect(compareValues([1, Infinity], [NaN, 3e38], 'float32', ACCUM)).toHaveLength(2);
    expect(compareValues([3e38], [Infinity], 'float32', ACCUM)).toHaveLength(1);
  });
  it('applies atol + rtol * |expected|', () => {
    const tol = { rtol: 1e-3, atol: 1e-6, why: 'test' };
    expect(compareValues([1000.9], [1000], 'float32', tol)).toEqual([]);
    expect(compareValues([1001.1], [1000], 'float32', tol)).toHaveLength(1);
  });
  it('rounds float32 expectations before comparing exactly', () => {
    expect(compareValues([Math.fround(0.1)], [0.1], 'float32', EXACT)).toEqual([]);
  });
});

describe('runner', () => {
  it('passes a correct value case', async () => {
    await runCase({ name: 'ok', inputs: [], run: () => T.tensor([1, 2], [2], 'int32'), expected: i32([1, 2]) }, env);
  });
  it('fails a wrong value, dtype or shape', async () => {
    await expect(runCase({ name: 'v', inputs: [], run: () => T.tensor([1, 2]), expected: f32([1, 2.5]) }, env)).rejects.toThrow(/out of tolerance/);
    await expect(runCase({ name: 'd', inputs: [], run: () => T.tensor([1, 2]), expected: i32([1, 2]) }, env)).rejects.toThrow(/dtype/);
    await expect(runCase({ name: 's', inputs: [], run: () => T.tensor([1, 2]), expected: f32([1, 2], [2, 1]) }, env)).rejects.toThrow(/shape/);
  });
  it('fails an op that leaves an extra tensor alive', async () => {
    await expect(runCase({ name: 'l', inputs: [], run: () => { T.tensor([0]); return T.tensor([1]); }, expected: f32([1]) }, env)).rejects.toThrow(/tensors alive/);
  });
  it('frees the intermediates of a composite case', async () => {
    await runCase({ name: 'c', inputs: [], run: () => { T.tensor([0]); return T.tensor([1]); }, composite: true, expected: f32([1]) }, env);
  });
  it('fails a leak in a custom case and passes a clean one', async () => {
    await expect(runCase({ name: 'x', check: () => { T.tensor([1]); } }, env)).rejects.toThrow(/leak check/);
    await runCase({ name: 'y', check: () => { T.tensor([1]).dispose(); } }, env);
  });
  it('checks the error class, TensileError and the message', async () => {
    const bad = (): never => T.tensor([1, 2, 3], [2, 2]) as never;
    await runCase({ name: 'e', run: bad, throws: { error: T.ShapeError, includes: ['tensor', '[2,2]'] } }, env);
    await expect(runCase({ name: 'e2', run: bad, throws: { error: T.DTypeError, includes: [] } }, env)).rejects.toThrow(/error class/);
    await expect(runCase({ name: 'e3', run: bad, throws: { error: T.ShapeError, includes: ['reshape'] } }, env)).rejects.toThrow(/mention 'reshape'/);
    await expect(runCase({ name: 'e4', run: () => { throw new RangeError('x'); }, throws: { error: RangeError, includes: [] } }, env)).rejects.toThrow(/TensileError/);
    await expect(runCase({ name: 'e5', inputs: [], run: () => T.tensor([1]), throws: { error: T.ShapeError, includes: [] } }, env)).rejects.toThrow(/returned normally/);
  });
  it('frees what a failing case left alive, so the next case starts clean', async () => {
    const before = T.memory().tensors;
    await expect(runCase({ name: 'f', check: () => { T.tensor([1]); T.variable(T.tensor([2])); throw new Error('boom'); } }, env)).rejects.toThrow('boom');
    expect(T.memory().tensors).toBe(before);
    await runCase({ name: 'next', check: () => { T.tensor([3]).dispose(); } }, env);
  });
  it('disposes inputs listed in `disposed` before running', async () => {
    await runCase({ name: 'd', inputs: [f32([1])], disposed: [0], run: ([x]) => x!.data(), throws: { error: T.DisposedError, includes: ['data'] } }, env);
  });
});

describe('caps', () => {
  // registerTable must run at collection time; the excluded names come back to be reported
  const excluded = registerTable('caps-selftest', [
    { name: 'runs', check: () => {} },
    { name: 'needs sync reads', needsReadSync: true, check: () => {} },
  ], { ...env, caps: { readSync: false } });
  it('registerTable returns the cases the caps exclude (the suite prints them)', () => {
    expect(excluded).toEqual(['caps-selftest > needs sync reads']);
  });

  it('filters cases by dtypes and readSync', () => {
    const c = { name: 'i8', inputs: [{ values: [1], shape: [1], dtype: 'int8' as DType }], run: () => T.zeros([1]) };
    expect(supported(c, { readSync: true })).toBe(true);
    expect(supported(c, { readSync: true, dtypes: ['float32', 'int32', 'bool'] })).toBe(false);
    expect(supported({ name: 's', needsReadSync: true, check: () => {} }, { readSync: false })).toBe(false);
  });
});

describe('prng', () => {
  it('is deterministic per seed and uniform in [0, 1)', () => {
    const a = prng(7), b = prng(7);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});
