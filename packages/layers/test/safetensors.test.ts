// safetensors against the Python package: files it wrote (fixtures/gen_safetensors.py, committed)
// read with exact values and written back byte for byte; files Tensile wrote (committed) that
// the Python package read back (its findings in tensile.json); malformed files; ModelCheckpoint.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArgumentError, DisposedError, Tensor, dispose, memory, noGrad, randn, tensor, tidy, type DType, type Variable } from '@tensile/core';
import { describe, expect, it } from 'vitest';
import {
  BatchNorm2d, Conv2d, Linear, ModelCheckpoint, ReLU, Sequential, SafetensorsError, fit, floatToHalf, halfToFloat,
  loadSafetensors, loadWeights, parseSafetensorsHeader, saveSafetensors, saveWeights, type EpochLogs,
} from '../src/index.js';
import { loadWeightsFile, readSafetensorsFile, saveToFile, saveWeightsFile, writeSafetensorsFile } from '../src/node.js';
import { crossEntropy } from '../src/functional.js';
import { useJs, values } from './helpers.js';

useJs();

const dir = fileURLToPath(new URL('./fixtures/safetensors/', import.meta.url));
const file = (name: string): Uint8Array => new Uint8Array(readFileSync(join(dir, name)));
const json = (name: string) => JSON.parse(readFileSync(join(dir, name), 'utf8'));
const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

interface Described { dtype: string; shape: number[]; values: (number | string | boolean)[]; sha256: string }
const py = json('python.json') as Record<string, Record<string, Described>> & { dtypes: { metadata: Record<string, string>; tensors: Record<string, Described> } };

/** JSON values back to numbers: 'nan', 'inf', '-inf' as written by gen_safetensors.py; booleans as 0/1. */
function decoded(vals: Described['values']): number[] {
  return vals.map((v) => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : Number(v)));
}

/** Exact equality that tells -0 from 0 and matches NaN with NaN. */
function expectExact(got: ArrayLike<number>, want: number[], what: string): void {
  expect(Array.from(got).map(String), what).toEqual(want.map(String));
  Array.from(got).forEach((g, i) => expect(Object.is(g, want[i]) || (Number.isNaN(g) && Number.isNaN(want[i])), `${what}[${i}]: ${g} vs ${want[i]}`).toBe(true));
}

function tensorOf(d: Described): Tensor {
  return tensor(Float32Array.from(decoded(d.values)), d.shape);
}

describe('loadSafetensors: files written by the Python package', () => {
  it('reads every dtype with exact values, shapes and the metadata', () => {
    const want = py.dtypes.tensors;
    const dtypes: Record<string, DType> = { f32: 'float32', f16: 'float32', bf16: 'float32', f64: 'float32', i64: 'int32', i32: 'int32', i8: 'int8', u8: 'uint8', bool: 'bool', scalar: 'float32', empty: 'float32', cube: 'float32' };
    const before = memory().tensors;
    const bytes = file('python_dtypes.safetensors');
    const got = loadSafetensors(bytes);
    expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
    for (const [name, w] of Object.entries(want)) {
      const t = got[name]!;
      expect(t.dtype, name).toBe(dtypes[name]);
      expect(t.shape, name).toEqual(w.shape);
      // F64 is rounded to float32; everything else is exact.
      const expected = name === 'f64' ? decoded(w.values).map(Math.fround) : decoded(w.values);
      expectExact(t.dataSync(), expected, name);
    }
    expect(parseSafetensorsHeader(bytes).metadata).toEqual(py.dtypes.metadata);
    dispose(got);
    expect(memory().tensors).toBe(before);
  });

  it('writes a Python-written F32 file back byte for byte', async () => {
    for (const name of ['python_mlp.safetensors', 'python_f32_values.safetensors']) {
      const bytes = file(name);
      const tensors = loadSafetensors(bytes);
      const again = await saveSafetensors(tensors, parseSafetensorsHeader(bytes).metadata);
      expect(sha256(again), name).toBe(sha256(bytes));
      expect(again).toEqual(bytes);
      dispose(tensors);
    }
  });

  it("writes float32 as F16 exactly as torch's .half() rounds (ties to even, overflow to inf, subnormals)", async () => {
    const x = loadSafetensors(file('python_f32_values.safetensors'));
    const f16 = file('python_f16_values.safetensors');
    const ours = await saveSafetensors(x, { format: 'pt' }, { floatDType: 'F16' });
    expect(ours).toEqual(f16);
    // and it reads back as the halves' values
    const back = loadSafetensors(ours);
    expectExact(back.x!.dataSync(), Array.from(x.x!.dataSync()).map((v) => halfToFloat(floatToHalf(v))), 'x');
    expect(halfToFloat(floatToHalf(65519.99))).toBe(65504);
    expect(halfToFloat(floatToHalf(65520))).toBe(Infinity);
    dispose([x, back]);
  });

  it('loads PyTorch models into the same Tensile architecture with the same outputs (BatchNorm statistics and I64 num_batches_tracked included)', async () => {
    const mlp = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2));
    expect(loadWeights(mlp, file('python_mlp.safetensors'))).toEqual({ missingKeys: [], unexpectedKeys: [] });
    const cnn = new Sequential(new Conv2d(1, 2, 3), new BatchNorm2d(2), new ReLU());
    loadWeights(cnn, file('python_cnn_bn.safetensors'));
    cnn.eval();
    expect(values((cnn.getSubmodule('1') as BatchNorm2d).numBatchesTracked!)).toEqual([3]);
    for (const [model, d] of [[mlp, py.mlp!], [cnn, py.cnn_bn!]] as const) {
      const x = tensorOf(d.x!);
      const y = noGrad(() => model.call(x));
      const want = decoded(d.y!.values);
      expect(y.shape).toEqual(d.y!.shape);
      values(y).forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThan(1e-5));
      dispose([x, y]);
      model.dispose();
    }
  });
});

/** The tensors of the committed Tensile-written files: a seeded model's state dict and one tensor of each dtype. */
function tensileTensors(): { tensors: Record<string, Tensor>; mlp: Sequential } {
  const mlp = new Sequential(new Linear(4, 3, { seed: 11 }), new ReLU(), new Linear(3, 2, { seed: 12 }));
  const tensors = tidy(() => ({
    ...mlp.stateDict({ prefix: 'mlp' }),
    'extra.f32': tensor([0.5, -1.25, 3, 1e-3, -0, 65504.5, 1e-7, Infinity], [2, 4]),
    'extra.i32': tensor(Int32Array.from([0, -1, 2147483647, -2147483648]), [4], 'int32'),
    'extra.i8': tensor(Int8Array.from([-128, 0, 127]), [3], 'int8'),
    'extra.u8': tensor(Uint8Array.from([0, 200, 255]), [3], 'uint8'),
    'extra.bool': tensor([true, false, false, true], [2, 2], 'bool'),
    'extra.scalar': tensor([7.25], [], 'float32'),
    'extra.empty': tensor(new Float32Array(0), [0, 2]),
    // A name that sorts differently by UTF-16 and by UTF-8 bytes, and one that JSON escapes.
    'extra.\uff5e': tensor([1]),
    'extra.\u{1f600}': tensor([2]),
    'extra."q"\n': tensor([3]),
  }));
  return { tensors, mlp };
}
const TENSILE_META = { format: 'pt', writer: 'tensile', 'note "quoted"': 'é\n' };

describe('saveSafetensors: files the Python package reads back', () => {
  const found = json('tensile.json') as Record<string, {
    file_sha256: string; metadata: Record<string, string>; keys: string[]; tensors: Record<string, Described>; mlp_output: Described;
  }>;

  it.each([
    { name: 'tensile_written', floatDType: 'F32' as const },
    { name: 'tensile_written_f16', floatDType: 'F16' as const },
  ])('$name: today\'s bytes are the committed file Python read, with the values, metadata and model outputs it found', async ({ name, floatDType }) => {
    const { tensors, mlp } = tensileTensors();
    const bytes = await saveSafetensors(tensors, TENSILE_META, { floatDType });
    if (process.env.UPDATE_SAFETENSORS_FIXTURES) writeFileSync(join(dir, `${name}.safetensors`), bytes);
    const py = found[name]!;
    expect(py, `${name} missing from tensile.json: run fixtures/gen_safetensors.py`).toBeDefined();
    expect(sha256(file(`${name}.safetensors`))).toBe(py.file_sha256);
    expect(sha256(bytes), 'what Tensile writes now differs from the committed file Python read').toBe(py.file_sha256);
    expect(py.metadata).toEqual(TENSILE_META);
    expect(py.keys.sort()).toEqual(Object.keys(tensors).sort());
    const torchDType: Record<string, string> = { float32: floatDType === 'F16' ? 'float16' : 'float32', int32: 'int32', int8: 'int8', uint8: 'uint8', bool: 'bool' };
    for (const [k, t] of Object.entries(tensors)) {
      const p = py.tensors[k]!;
      expect(p.dtype, k).toBe(torchDType[t.dtype]);
      expect(p.shape, k).toEqual(t.shape);
      const mine = Array.from(t.dataSync());
      expectExact(decoded(p.values), t.dtype === 'float32' && floatDType === 'F16' ? mine.map((v) => halfToFloat(floatToHalf(v))) : mine, k);
    }
    // torch.nn.Sequential(Linear(4, 3), ReLU(), Linear(3, 2)) loaded the mlp.* weights strictly and ran on x.
    const x = tidy(() => tensor(Float32Array.from({ length: 8 }, (_, i) => i / 4 - 1), [2, 4]));
    if (floatDType === 'F16') loadWeights(mlp, await saveWeights(mlp, { floatDType })); // the weights Python saw
    const y = noGrad(() => mlp.call(x));
    const want = decoded(py.mlp_output.values);
    values(y).forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThan(1e-6));
    dispose([tensors, x, y]);
    mlp.dispose();
  });

  it('orders tensors as the Python package does: by dtype alignment, then by name in UTF-8 bytes', async () => {
    const { tensors, mlp } = tensileTensors();
    const h = parseSafetensorsHeader(await saveSafetensors(tensors));
    expect(h.entries.map((e) => e.name)).toEqual([
      'extra."q"\n', 'extra.empty', 'extra.f32', 'extra.scalar', 'extra.\uff5e', 'extra.\u{1f600}',
      'mlp.0.bias', 'mlp.0.weight', 'mlp.2.bias', 'mlp.2.weight', 'extra.i32', 'extra.i8', 'extra.u8', 'extra.bool',
    ]);
    expect(h.metadata).toBeUndefined();
    expect(h.dataStart % 8).toBe(0);
    dispose(tensors);
    mlp.dispose();
  });
});

describe('malformed files: typed errors naming the problem', () => {
  const good = file('python_mlp.safetensors');
  /** A file made of a header object and `data` bytes. */
  const make = (header: unknown, data = 0, lengthOverride?: bigint): Uint8Array => {
    const h = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
    const out = new Uint8Array(8 + h.length + data);
    new DataView(out.buffer).setBigUint64(0, lengthOverride ?? BigInt(h.length), true);
    out.set(h, 8);
    return out;
  };
  it.each([
    { name: 'empty file', bytes: () => new Uint8Array(0), reason: 'truncated', msg: 'the file is 0 bytes, shorter than the 8-byte header length' },
    { name: 'truncated in the header', bytes: () => good.subarray(0, 40), reason: 'header-length', msg: /the header length is \d+ bytes, but only 32 bytes follow the length/ },
    { name: 'truncated in the data', bytes: () => good.subarray(0, good.length - 4), reason: 'offsets', msg: /tensor '2\.weight': data_offsets \[\d+,\d+\] run past the end of the data/ },
    { name: 'huge header length', bytes: () => make({}, 0, 2n ** 63n), reason: 'header-length', msg: 'the header length is 9223372036854775808 bytes' },
    { name: 'header not JSON', bytes: () => make('{"a": [1,'), reason: 'header', msg: 'the 9-byte header is not valid JSON' },
    { name: 'header not an object', bytes: () => make([1, 2]), reason: 'header', msg: 'the header must be a JSON object, got [1,2]' },
    { name: 'bad UTF-8', bytes: () => { const b = make('{"\u00e9":1}'); b[10] = 0xff; return b; }, reason: 'header', msg: 'not valid UTF-8' },
    { name: 'non-string metadata', bytes: () => make({ __metadata__: { epoch: 3 } }), reason: 'header', msg: '__metadata__ must map strings to strings, got {"epoch":3}' },
    { name: 'unknown dtype', bytes: () => make({ w: { dtype: 'Q4', shape: [2], data_offsets: [0, 2] } }, 2), reason: 'dtype', msg: "tensor 'w' has unknown dtype 'Q4'" },
    { name: 'a dtype Tensile does not read', bytes: () => make({ w: { dtype: 'F8_E4M3', shape: [2], data_offsets: [0, 2] } }, 2), reason: 'dtype', msg: "tensor 'w' has dtype F8_E4M3, which Tensile does not read" },
    { name: 'offsets that do not match the shape', bytes: () => make({ w: { dtype: 'F32', shape: [2, 2], data_offsets: [0, 12] } }, 12), reason: 'offsets', msg: "tensor 'w': data_offsets [0,12] hold 12 bytes, but F32 [2,2] needs 16" },
    { name: 'offsets out of range', bytes: () => make({ w: { dtype: 'F32', shape: [2], data_offsets: [8, 16] } }, 8), reason: 'offsets', msg: "tensor 'w': data_offsets [8,16] run past the end of the data (8 bytes after the header)" },
    { name: 'overlapping tensors', bytes: () => make({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, 8), reason: 'offsets', msg: "tensor 'b': data_offsets [4,8] overlaps the previous tensor (expected it to start at 8)" },
    { name: 'a gap between tensors', bytes: () => make({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] }, b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] } }, 12), reason: 'offsets', msg: "tensor 'b': data_offsets [8,12] leaves a gap" },
    { name: 'extra bytes at the end', bytes: () => make({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, 6), reason: 'offsets', msg: 'the tensors cover 4 bytes of data but 6 follow the header' },
    { name: 'a bad shape', bytes: () => make({ a: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, 4), reason: 'header', msg: "tensor 'a': 'shape' must be a list of non-negative integers, got [-1]" },
    { name: 'I64 beyond int32', bytes: () => file('python_i64_overflow.safetensors'), reason: 'overflow', msg: "tensor 'big' (I64 [2]): element 1 is 2147483648, outside int32" },
  ])('$name', ({ bytes, reason, msg }) => {
    const before = memory().tensors;
    let err: unknown;
    try {
      loadSafetensors(bytes());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SafetensorsError);
    expect((err as SafetensorsError).reason).toBe(reason);
    expect((err as Error).message).toMatch(typeof msg === 'string' ? msg : msg);
    expect((err as Error).message.startsWith('loadSafetensors: ')).toBe(true);
    expect(memory().tensors).toBe(before);
  });

  it('rejects bad arguments to saveSafetensors', async () => {
    const t = tensor([1]);
    await expect(saveSafetensors({ __metadata__: t })).rejects.toThrow(ArgumentError);
    await expect(saveSafetensors({ a: 3 as never })).rejects.toThrow("saveSafetensors: 'a' must be a Tensor, got 3");
    await expect(saveSafetensors({ a: t }, { epoch: 3 as never })).rejects.toThrow("saveSafetensors: 'metadata' must map strings to strings");
    await expect(saveSafetensors({ a: t }, undefined, { floatDType: 'BF16' as never })).rejects.toThrow("'floatDType' must be 'F32' or 'F16'");
    t.dispose();
    await expect(saveSafetensors({ a: t })).rejects.toThrow(DisposedError);
    expect(() => loadSafetensors('abc' as never)).toThrow(ArgumentError);
  });
});

describe('weights: saveWeights / loadWeights and the Node file helpers', () => {
  it('round-trips a model through bytes and files into a fresh model with identical outputs', async () => {
    const make = (seed: number) => new Sequential(new Conv2d(1, 2, 3, { seed }), new BatchNorm2d(2), new ReLU(), new Linear(2, 2, { seed: seed + 1 }));
    const a = make(1), b = make(7);
    const x = randn([2, 1, 4, 4], { seed: 3 });
    a.train();
    noGrad(() => a.call(x)).dispose(); // running statistics move away from their initial values
    a.eval();
    b.eval();
    const ya = noGrad(() => a.call(x));
    const yb0 = noGrad(() => b.call(x));
    expect(values(yb0)).not.toEqual(values(ya));
    const bytes = await saveWeights(a, { metadata: { epoch: '3' } });
    expect(parseSafetensorsHeader(bytes).metadata).toEqual({ format: 'pt', epoch: '3' });
    loadWeights(b, bytes);
    const yb = noGrad(() => b.call(x));
    expect(values(yb)).toEqual(values(ya));

    const tmp = mkdtempSync(join(tmpdir(), 'tensile-st-'));
    try {
      const c = make(20);
      c.eval();
      await saveWeightsFile(a, join(tmp, 'sub', 'a.safetensors'));
      await loadWeightsFile(c, join(tmp, 'sub', 'a.safetensors'));
      const yc = noGrad(() => c.call(x));
      expect(values(yc)).toEqual(values(ya));
      await writeSafetensorsFile(join(tmp, 't.safetensors'), { x }, { k: 'v' });
      const r = await readSafetensorsFile(join(tmp, 't.safetensors'));
      expect(values(r.x!)).toEqual(values(x));
      expect(readdirSync(tmp).sort()).toEqual(['sub', 't.safetensors']); // no temporary file left behind
      dispose([yc, r]);
      c.dispose();
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    dispose([x, ya, yb0, yb]);
    a.dispose();
    b.dispose();
  });
});

describe('ModelCheckpoint', () => {
  /** Plain SGD (duck-typed). */
  const sgd = (params: Variable[]) => ({
    step: () => noGrad(() => tidy(() => params.forEach((p) => p.grad && p.assign(p.sub(p.grad.mul(0.1)))))),
    zeroGrad: () => params.forEach((p) => p.zeroGrad()),
  });
  const data = (x: Tensor, y: Tensor) => ({ *[Symbol.iterator]() { yield tidy(() => [x.add(0), y.add(0)]); } });

  it('saves a safetensors file each time the monitored value improves, with the weights of that epoch', async () => {
    const x = randn([8, 2], { seed: 1 });
    const y = tensor(Int32Array.from([0, 1, 0, 1, 1, 0, 0, 1]), [8], 'int32');
    const model = new Linear(2, 2, { seed: 5 });
    const saved: [number, Uint8Array][] = [];
    const weights: number[][] = [];
    const before = memory().tensors;
    const ckpt = new ModelCheckpoint({ save: (bytes, info) => { saved.push([info.epoch, bytes]); }, monitor: 'valAccuracy' });
    const script = { onEpochEnd: (e: number, logs: EpochLogs) => { logs.valAccuracy = [0.5, 0.7, 0.6, 0.7, 0.9][e]!; weights.push(values(model.weight)); } };
    await fit(model, data(x, y), { optimizer: sgd(model.parameters()), loss: crossEntropy, epochs: 5, callbacks: [script, ckpt] });
    expect(saved.map(([e]) => e)).toEqual([0, 1, 4]);
    expect(ckpt.savedEpochs).toEqual([0, 1, 4]);
    expect(ckpt.bestEpoch).toBe(4);
    expect(ckpt.best).toBe(0.9);
    for (const [epoch, bytes] of saved) {
      const sd = loadSafetensors(bytes);
      expect(values(sd.weight!)).toEqual(weights[epoch]);
      expect(parseSafetensorsHeader(bytes).metadata).toEqual({ format: 'pt', epoch: String(epoch), valAccuracy: String([0.5, 0.7, 0.6, 0.7, 0.9][epoch]) });
      dispose(sd);
    }
    expect(memory().tensors).toBe(before);
    model.dispose();
    dispose([x, y]);
  });

  it('writes files through saveToFile, every epoch when saveBestOnly is false', async () => {
    const x = randn([4, 2], { seed: 1 });
    const y = tensor(Int32Array.from([0, 1, 0, 1]), [4], 'int32');
    const model = new Linear(2, 2, { seed: 5 });
    const tmp = mkdtempSync(join(tmpdir(), 'tensile-ckpt-'));
    try {
      const ckpt = new ModelCheckpoint({ save: saveToFile(join(tmp, 'e{epoch}-{loss}.safetensors')), monitor: 'loss', saveBestOnly: false, floatDType: 'F16' });
      const history = await fit(model, data(x, y), { optimizer: sgd(model.parameters()), loss: crossEntropy, epochs: 3, callbacks: [ckpt] });
      expect(readdirSync(tmp).sort()).toEqual(history.map((h) => `e${h.epoch}-${h.loss.toFixed(4)}.safetensors`).sort());
      const h = parseSafetensorsHeader(file2(join(tmp, `e2-${history[2]!.loss.toFixed(4)}.safetensors`)));
      expect(h.entries.map((e) => e.dtype)).toEqual(['F16', 'F16']);
      expect(() => new ModelCheckpoint({ save: 'x' as never })).toThrow("ModelCheckpoint: 'save' must be a function");
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    model.dispose();
    dispose([x, y]);
  });
});

function file2(path: string): Uint8Array {
  return new Uint8Array(readFileSync(path));
}
