// Turns case tables into vitest cases. Every case runs inside a leak check: memory()'s tensor
// and byte counts, and each backend's own buffer count, must be the same before and after.
import { describe, expect, it } from 'vitest';
import {
  Tensor, TensileError, add, dispose, liveTensors, memory, mul, sum, tensor, tidy, valueAndGrad,
  type BackendFactory, type DType,
} from '@tensile/core';
import type {
  Caps, Case, CustomCase, ErrorCase, FDCheck, SuiteContext, TensorSpec, Tol, ValueCase,
} from './types.js';
import { EXACT } from './tol.js';
import { compareValues, fmtShape, fromSpec, hash, mismatchMessage, numbers, sizeOf, toList, uniform } from './util.js';

export interface Env {
  name: string;
  factory: BackendFactory;
  caps: Caps;
}

interface Snapshot {
  tensors: number;
  bytes: number;
  backends: Record<string, { buffers: number; bytes: number }>;
}

/** Backends whose buffers the leak check watches: the one under test and its switch twin. */
export function watched(name: string): string[] {
  return [name, `${name}-b`];
}

function snapshot(env: Env): Snapshot {
  const m = memory();
  const backends: Snapshot['backends'] = {};
  for (const n of watched(env.name)) backends[n] = m.perBackend[n] ?? { buffers: 0, bytes: 0 };
  return { tensors: m.tensors, bytes: m.bytes, backends };
}

function expectBalanced(caseName: string, before: Snapshot, after: Snapshot): void {
  const where = `${caseName}: leak check`;
  expect(after.tensors, `${where}: memory().tensors`).toBe(before.tensors);
  expect(after.bytes, `${where}: memory().bytes`).toBe(before.bytes);
  for (const n of Object.keys(before.backends)) {
    expect(after.backends[n]!.buffers, `${where}: perBackend['${n}'].buffers`).toBe(before.backends[n]!.buffers);
    expect(after.backends[n]!.bytes, `${where}: perBackend['${n}'].bytes`).toBe(before.backends[n]!.bytes);
  }
}

export async function readValues(t: Tensor): Promise<number[]> {
  return Array.from(await t.data(), Number);
}

/** Asserts dtype, shape and values of `t`. */
export async function expectTensor(t: Tensor, want: TensorSpec, tol: Tol = EXACT, label = 'output'): Promise<void> {
  expect(t, `${label}: not a Tensor`).toBeInstanceOf(Tensor);
  const dtype: DType = want.dtype ?? 'float32';
  expect(t.dtype, `${label}: dtype`).toBe(dtype);
  expect(fmtShape(t.shape), `${label}: shape`).toBe(fmtShape(want.shape));
  const got = await readValues(t);
  const exp = numbers(want.values);
  expect(exp.length, `${label}: the case's expected values do not fill its shape (case bug)`).toBe(sizeOf(want.shape));
  const bad = compareValues(got, exp, dtype, dtype === 'float32' ? tol : EXACT);
  if (bad.length > 0) throw new Error(mismatchMessage(label, bad, tol, exp.length));
}

function dtypesOf(c: Case): DType[] {
  const out = new Set<DType>(c.dtypes ?? []);
  if ('inputs' in c && c.inputs) for (const s of c.inputs) out.add(s.dtype ?? 'float32');
  if ('expected' in c && c.expected) {
    for (const s of Array.isArray(c.expected) ? c.expected : [c.expected]) out.add(s.dtype ?? 'float32');
  }
  return [...out];
}

/** Whether the backend's declared capabilities cover the case (the only branching allowed). */
export function supported(c: Case, caps: Caps): boolean {
  if (c.needsReadSync && !caps.readSync) return false;
  if (caps.dtypes) return dtypesOf(c).every((d) => caps.dtypes!.includes(d));
  return true;
}

export function makeContext(env: Env): SuiteContext {
  return { name: env.name, factory: env.factory, caps: env.caps, read: readValues, expectTensor };
}

/**
 * Registers one `describe` block with an `it` per case. Returns the names of the cases the
 * backend's caps exclude, so the suite can report them (nothing disappears silently).
 */
export function registerTable(family: string, cases: readonly Case[], env: Env): string[] {
  const excluded: string[] = [];
  describe(family, () => {
    const seen = new Set<string>();
    for (const c of cases) {
      if (seen.has(c.name)) throw new Error(`conformance table '${family}' has two cases named '${c.name}'`);
      seen.add(c.name);
      if (!supported(c, env.caps)) {
        excluded.push(`${family} > ${c.name}`);
        continue;
      }
      it(c.name, () => runCase(c, env));
    }
  });
  return excluded;
}

/**
 * Runs one case inside a leak check. Whatever the case leaves alive is freed afterwards,
 * whether it passed or failed, so one failing case can never fail the next one.
 */
export async function runCase(c: Case, env: Env): Promise<void> {
  const before = snapshot(env);
  const existing = new Set(liveTensors());
  let failure: unknown;
  try {
    if ('check' in c) await runCustom(c, env);
    else if ('throws' in c) await runError(c);
    else await runValue(c);
  } catch (err) {
    failure = err ?? new Error(`${c.name}: threw ${String(err)}`);
  }
  const after = snapshot(env);
  dispose(liveTensors().filter((t) => !existing.has(t)));
  if (failure !== undefined) throw failure;
  expectBalanced(c.name, before, after);
}

async function runCustom(c: CustomCase, env: Env): Promise<void> {
  await c.check(makeContext(env));
}

async function runError(c: ErrorCase): Promise<void> {
  const inputs = (c.inputs ?? []).map(fromSpec);
  for (const k of c.disposed ?? []) inputs[k]!.dispose();
  let err: unknown;
  let result: unknown;
  try {
    result = await c.run(inputs);
  } catch (e) {
    err = e;
  } finally {
    dispose(toList(result));
    dispose(inputs);
  }
  const want = c.throws.error;
  if (err === undefined) throw new Error(`${c.name}: expected ${want.name}, but the call returned normally`);
  expect(err, `${c.name}: error class (got ${(err as Error)?.name}: ${(err as Error)?.message})`).toBeInstanceOf(want);
  expect(err, `${c.name}: every deliberate error is a TensileError`).toBeInstanceOf(TensileError);
  const msg = (err as Error).message;
  for (const s of c.throws.includes) expect(msg, `${c.name}: the message should mention '${s}'`).toContain(s);
}

async function runValue(c: ValueCase): Promise<void> {
  const inputs = c.inputs.map(fromSpec);
  const owned: Tensor[] = [...inputs];
  try {
    const mid = memory().tensors;
    const outs = toList(c.composite ? tidy(() => c.run(inputs)) : c.run(inputs));
    owned.push(...outs);
    // The op must leave alive exactly its outputs: intermediates freed, inputs untouched.
    const fresh = new Set(outs.filter((t) => !inputs.includes(t))).size;
    expect(memory().tensors - mid, `${c.name}: tensors alive after the op besides its ${fresh} output(s)`).toBe(fresh);
    for (const x of inputs) expect(x.isDisposed, `${c.name}: an input was disposed by the op`).toBe(false);
    if (c.expected !== undefined) {
      const want = Array.isArray(c.expected) ? c.expected : [c.expected];
      expect(outs.length, `${c.name}: number of outputs`).toBe(want.length);
      for (let i = 0; i < want.length; i++) {
        await expectTensor(outs[i]!, want[i]!, c.tol ?? EXACT, `${c.name}: output ${i}`);
      }
    }
    if (c.goldenGrad) {
      const { grads } = await analyticGrads(c, inputs, c.goldenGrad.weights, undefined);
      c.goldenGrad.grads.forEach((want, k) => {
        if (want === null) return;
        const got = grads.get(k);
        if (!got) throw new Error(`${c.name}: no gradient for input ${k}`);
        const bad = compareValues(got, numbers(want.values), 'float32', c.goldenGrad!.tol);
        if (bad.length > 0) throw new Error(mismatchMessage(`${c.name}: gradient of input ${k} vs torch.autograd`, bad, c.goldenGrad!.tol, got.length));
      });
    }
    if (c.grad) await finiteDifferences(c, c.grad);
  } finally {
    dispose(owned);
  }
}

interface OutInfo { shape: number[]; dtype: DType; size: number }

/** W per output: given, or fixed pseudo-random values in [-1, 1) seeded by the case name. */
function weightsFor(c: ValueCase, outs: OutInfo[], given: (TensorSpec | null)[] | undefined): (number[] | null)[] {
  if (given) return given.map((w) => (w === null ? null : numbers(w.values)));
  return outs.map((o, i) => (o.dtype === 'float32' ? uniform(o.size, hash(`${c.name}#${i}`)) : null));
}

/**
 * Gradients of sum_i sum(out_i * W_i) by valueAndGrad, for the float32 inputs in `wrt`.
 * Checks that valueAndGrad leaves alive only its value and gradients.
 */
async function analyticGrads(
  c: ValueCase, inputs: Tensor[], given: (TensorSpec | null)[] | undefined, wrt: number[] | undefined,
): Promise<{ grads: Map<number, number[]>; weights: (number[] | null)[] }> {
  const idx = (wrt ?? inputs.map((_, k) => k)).filter((k) => inputs[k]!.dtype === 'float32');
  // Output shapes, for the weights (a dry run under tidy).
  const shapes: OutInfo[] = [];
  tidy(() => {
    for (const o of toList(c.run(inputs))) shapes.push({ shape: [...o.shape], dtype: o.dtype, size: o.size });
  });
  const weights = weightsFor(c, shapes, given);
  const wts = weights.map((w, i) => (w === null ? null : tensor(w, shapes[i]!.shape, 'float32')));
  try {
    const f = (...fx: Tensor[]): Tensor => {
      const all = [...inputs];
      idx.forEach((k, j) => (all[k] = fx[j]!));
      const outs = toList(c.run(all));
      let acc: Tensor | undefined;
      outs.forEach((o, i) => {
        const w = wts[i];
        if (!w) return;
        const term = sum(mul(o, w));
        acc = acc === undefined ? term : add(acc, term);
      });
      if (acc === undefined) throw new Error(`${c.name}: no float32 output to differentiate`);
      return acc;
    };
    const mid = memory().tensors;
    const { value, grads } = valueAndGrad(f)(...idx.map((k) => inputs[k]!));
    try {
      const distinct = new Set(grads).size;
      expect(memory().tensors - mid, `${c.name}: valueAndGrad must leave alive only its value and ${distinct} gradient(s)`).toBe(1 + distinct);
      expect(grads.length, `${c.name}: one gradient per argument`).toBe(idx.length);
      const out = new Map<number, number[]>();
      for (let j = 0; j < idx.length; j++) {
        const g = grads[j]!;
        const x = inputs[idx[j]!]!;
        expect(fmtShape(g.shape), `${c.name}: gradient ${idx[j]} shape`).toBe(fmtShape(x.shape));
        expect(g.dtype, `${c.name}: gradient ${idx[j]} dtype`).toBe('float32');
        out.set(idx[j]!, await readValues(g));
      }
      expect(distinct, `${c.name}: each gradient must be its own tensor (disposing one must not dispose another)`).toBe(grads.length);
      return { grads: out, weights };
    } finally {
      dispose([value, ...grads]);
    }
  } finally {
    dispose(wts.filter((w): w is Tensor => w !== null));
  }
}

async function finiteDifferences(c: ValueCase, fd: FDCheck): Promise<void> {
  const eps = fd.eps ?? 1e-2;
  const base = c.inputs.map((s) => numbers(s.values));
  const inputs = c.inputs.map(fromSpec);
  try {
    const { grads, weights } = await analyticGrads(c, inputs, fd.weights, fd.wrt);
    const objective = async (vals: number[][]): Promise<number> => {
      const xs = c.inputs.map((s, k) => tensor(vals[k]!, [...s.shape], s.dtype ?? 'float32'));
      const outs = tidy(() => toList(c.run(xs)));
      try {
        let f = 0;
        for (let i = 0; i < outs.length; i++) {
          const w = weights[i];
          if (!w) continue;
          const v = await readValues(outs[i]!);
          for (let j = 0; j < v.length; j++) f += v[j]! * w[j]!;
        }
        return f;
      } finally {
        dispose(outs);
        dispose(xs);
      }
    };
    for (const [k, analytic] of grads) {
      const numeric: number[] = [];
      for (let j = 0; j < base[k]!.length; j++) {
        const x0 = base[k]![j]!;
        const xp = Math.fround(x0 + eps), xm = Math.fround(x0 - eps);
        const vp = base.map((v) => [...v]);
        const vm = base.map((v) => [...v]);
        vp[k]![j] = xp;
        vm[k]![j] = xm;
        numeric.push(((await objective(vp)) - (await objective(vm))) / (xp - xm));
      }
      const bad = compareValues(analytic, numeric, 'float32', fd.tol, false);
      if (bad.length > 0) {
        throw new Error(mismatchMessage(`${c.name}: gradient of input ${k} (valueAndGrad, 'got') vs central differences (eps ${eps}, 'expected')`, bad, fd.tol, numeric.length));
      }
    }
  } finally {
    dispose(inputs);
  }
}
