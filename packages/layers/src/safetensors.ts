// safetensors (https://github.com/huggingface/safetensors): the weight format of Hugging Face
// and PyTorch users. A file is
//   [8 bytes: N, little-endian u64] [N bytes: a JSON header, padded with spaces to a multiple
//   of 8] [the tensors' raw little-endian bytes, back to back]
// where the header maps each name to { dtype, shape, data_offsets: [begin, end] } (offsets
// into the data part) and may hold "__metadata__": { string: string }.
// Writing follows the Python package byte for byte: tensors sorted by dtype alignment
// (descending: F32 before I32 before F16 ... before BOOL) and then by name (UTF-8 bytes),
// compact JSON with "__metadata__" first, spaces to the next multiple of 8.
import { ArgumentError, DisposedError, Tensor, TensileError, dispose, fmt, tensor, type DType } from '@tensile/core';
import { describe } from './check.js';
import type { AnyModule, LoadResult, LoadStateDictOptions } from './module.js';

/** What went wrong in a file: the `reason` of a SafetensorsError. */
export type SafetensorsProblem = 'truncated' | 'header-length' | 'header' | 'dtype' | 'offsets' | 'overflow';

/**
 * A malformed or unsupported safetensors file: `reason` says which check failed (truncated,
 * header-length, header, dtype, offsets, overflow) and the message names the tensor, the values
 * and the sizes seen.
 */
export class SafetensorsError extends TensileError {
  constructor(readonly reason: SafetensorsProblem, message: string) {
    super(message);
  }
}

/** The safetensors dtypes this module reads. */
export type SafetensorsDType = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I8' | 'U8' | 'BOOL';

/** One tensor's entry of the header. */
export interface SafetensorsEntry {
  name: string;
  dtype: string;
  shape: number[];
  /** [begin, end) in bytes, relative to the start of the data (after the header). */
  dataOffsets: [number, number];
}

/** A parsed header: the entries in data order, the metadata, and where the data starts. */
export interface SafetensorsHeader {
  entries: SafetensorsEntry[];
  metadata: Record<string, string> | undefined;
  /** Byte offset of the data part in the file: 8 + N. */
  dataStart: number;
}

// Bytes per element of every dtype the format defines (so offsets of any file can be checked);
// only those in READ can be turned into tensors.
const SIZES: Record<string, number> = {
  BOOL: 1, U8: 1, I8: 1, F8_E5M2: 1, F8_E4M3: 1, F8_E8M0: 1, I16: 2, U16: 2, F16: 2, BF16: 2,
  I32: 4, U32: 4, F32: 4, F64: 8, I64: 8, U64: 8,
};
const READ: readonly string[] = ['F64', 'F32', 'F16', 'BF16', 'I64', 'I32', 'I8', 'U8', 'BOOL'];
// The Python package's Dtype enum order; files list tensors by descending rank, then by name.
const RANK = ['BOOL', 'F4', 'F6_E2M3', 'F6_E3M2', 'U8', 'I8', 'F8_E5M2', 'F8_E4M3', 'F8_E8M0', 'I16', 'U16',
  'F16', 'BF16', 'I32', 'U32', 'F32', 'F64', 'I64', 'U64'];
// The Python package refuses headers above 100 MB.
const MAX_HEADER = 100_000_000;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Reads and checks the header of a safetensors file without decoding any tensor: the checks
 * of the Python package (length, UTF-8 JSON object, string metadata, known dtypes, offsets
 * that match each shape, tile the data with no gap or overlap and end at the end of the file).
 * @example parseSafetensorsHeader(bytes).entries.map((e) => `${e.name} ${e.dtype} [${e.shape}]`)
 */
export function parseSafetensorsHeader(bytes: Uint8Array | ArrayBuffer): SafetensorsHeader {
  const op = 'loadSafetensors';
  const buf = toBytes(op, bytes);
  if (buf.length < 8) {
    throw new SafetensorsError('truncated', `${op}: the file is ${buf.length} bytes, shorter than the 8-byte header length that starts every safetensors file`);
  }
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const n64 = view.getBigUint64(0, true);
  if (n64 > BigInt(buf.length - 8) || n64 > BigInt(MAX_HEADER)) {
    const why = n64 > BigInt(MAX_HEADER) ? `above the ${MAX_HEADER}-byte limit` : `but only ${buf.length - 8} bytes follow the length`;
    throw new SafetensorsError('header-length', `${op}: the header length is ${n64} bytes, ${why} (file of ${buf.length} bytes: truncated, or not a safetensors file)`);
  }
  const n = Number(n64);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(8, 8 + n));
  } catch {
    throw new SafetensorsError('header', `${op}: the ${n}-byte header is not valid UTF-8`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new SafetensorsError('header', `${op}: the ${n}-byte header is not valid JSON (${(e as Error).message}): ${clip(text)}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new SafetensorsError('header', `${op}: the header must be a JSON object, got ${clip(text)}`);
  }
  let metadata: Record<string, string> | undefined;
  const entries: SafetensorsEntry[] = [];
  for (const [name, v] of Object.entries(json as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof v !== 'object' || v === null || Array.isArray(v) || Object.values(v).some((s) => typeof s !== 'string')) {
        throw new SafetensorsError('header', `${op}: __metadata__ must map strings to strings, got ${clip(JSON.stringify(v))}`);
      }
      metadata = v as Record<string, string>;
      continue;
    }
    const e = v as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof e !== 'object' || e === null) throw new SafetensorsError('header', `${op}: tensor '${name}': the entry must be an object, got ${clip(JSON.stringify(v))}`);
    if (typeof e.dtype !== 'string') throw new SafetensorsError('header', `${op}: tensor '${name}': 'dtype' must be a string, got ${clip(JSON.stringify(e.dtype))}`);
    if (!Array.isArray(e.shape) || !e.shape.every(isIndex)) {
      throw new SafetensorsError('header', `${op}: tensor '${name}': 'shape' must be a list of non-negative integers, got ${clip(JSON.stringify(e.shape))}`);
    }
    const off = e.data_offsets;
    if (!Array.isArray(off) || off.length !== 2 || !off.every(isIndex)) {
      throw new SafetensorsError('header', `${op}: tensor '${name}': 'data_offsets' must be [begin, end], got ${clip(JSON.stringify(off))}`);
    }
    const size = SIZES[e.dtype];
    if (size === undefined) {
      throw new SafetensorsError('dtype', `${op}: tensor '${name}' has unknown dtype '${e.dtype}' (safetensors dtypes: ${Object.keys(SIZES).join(', ')})`);
    }
    const [begin, end] = off as [number, number];
    const need = e.shape.reduce((a: number, d: number) => a * d, 1) * size;
    if (end < begin || end - begin !== need) {
      throw new SafetensorsError('offsets', `${op}: tensor '${name}': data_offsets [${begin},${end}] hold ${end - begin} bytes, but ${e.dtype} ${fmt(e.shape)} needs ${need}`);
    }
    entries.push({ name, dtype: e.dtype, shape: e.shape as number[], dataOffsets: [begin, end] });
  }
  // The data must be tiled exactly: sorted by offsets, each tensor starts where the last ended.
  entries.sort((a, b) => a.dataOffsets[0] - b.dataOffsets[0] || a.dataOffsets[1] - b.dataOffsets[1]);
  const dataLength = buf.length - 8 - n;
  let at = 0;
  for (const e of entries) {
    const [begin, end] = e.dataOffsets;
    if (end > dataLength) {
      throw new SafetensorsError('offsets', `${op}: tensor '${e.name}': data_offsets [${begin},${end}] run past the end of the data (${dataLength} bytes after the header): truncated file?`);
    }
    if (begin !== at) {
      const what = begin < at ? 'overlaps the previous tensor' : 'leaves a gap after the previous tensor';
      throw new SafetensorsError('offsets', `${op}: tensor '${e.name}': data_offsets [${begin},${end}] ${what} (expected it to start at ${at})`);
    }
    at = end;
  }
  if (at !== dataLength) {
    throw new SafetensorsError('offsets', `${op}: the tensors cover ${at} bytes of data but ${dataLength} follow the header (extra bytes at the end)`);
  }
  return { entries, metadata, dataStart: 8 + n };
}

/**
 * Reads a safetensors file into tensors (name -> Tensor, in the file's data order). F32, F16,
 * BF16 and F64 become float32 (F16 and BF16 exactly; F64 rounded), I64 and I32 int32 (an I64
 * value outside int32 is a SafetensorsError 'overflow'), I8 int8, U8 uint8, BOOL bool. Every
 * check runs before any tensor is made; the caller owns (and disposes) the result.
 * @example const sd = loadSafetensors(bytes); model.loadStateDict(sd); dispose(sd);
 */
export function loadSafetensors(bytes: Uint8Array | ArrayBuffer): Record<string, Tensor> {
  const op = 'loadSafetensors';
  const buf = toBytes(op, bytes);
  const { entries, dataStart } = parseSafetensorsHeader(buf);
  const decoded: [string, Float32Array | Int32Array | Int8Array | Uint8Array, number[], DType][] = [];
  for (const e of entries) {
    if (!READ.includes(e.dtype)) {
      throw new SafetensorsError('dtype', `${op}: tensor '${e.name}' has dtype ${e.dtype}, which Tensile does not read (it reads ${READ.join(', ')})`);
    }
    const raw = buf.subarray(dataStart + e.dataOffsets[0], dataStart + e.dataOffsets[1]);
    const count = e.shape.reduce((a, d) => a * d, 1);
    decoded.push([e.name, ...decode(op, e, raw, count)]);
  }
  const out: Record<string, Tensor> = {};
  try {
    for (const [name, data, shape, dtype] of decoded) out[name] = tensor(data, shape, dtype);
  } catch (err) {
    dispose(out);
    throw err;
  }
  return out;
}

function decode(op: string, e: SafetensorsEntry, raw: Uint8Array, count: number): [Float32Array | Int32Array | Int8Array | Uint8Array, number[], DType] {
  // A copy at offset 0 (aligned for any typed array); byte order fixed below where the host is big-endian.
  const bytes = new Uint8Array(raw); // a copy (Node's Buffer.slice would be a view)
  const v = new DataView(bytes.buffer);
  switch (e.dtype) {
    case 'F32': {
      if (LITTLE_ENDIAN) return [new Float32Array(bytes.buffer), e.shape, 'float32'];
      return [Float32Array.from({ length: count }, (_, i) => v.getFloat32(4 * i, true)), e.shape, 'float32'];
    }
    case 'F64':
      return [Float32Array.from({ length: count }, (_, i) => v.getFloat64(8 * i, true)), e.shape, 'float32'];
    case 'F16': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = halfToFloat(v.getUint16(2 * i, true));
      return [out, e.shape, 'float32'];
    }
    case 'BF16': {
      const bits = new Uint32Array(count);
      for (let i = 0; i < count; i++) bits[i] = v.getUint16(2 * i, true) << 16;
      return [new Float32Array(bits.buffer), e.shape, 'float32'];
    }
    case 'I64': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) {
        const lo = v.getInt32(8 * i, true), hi = v.getInt32(8 * i + 4, true);
        if (hi !== lo >> 31) {
          throw new SafetensorsError('overflow', `${op}: tensor '${e.name}' (I64 ${fmt(e.shape)}): element ${i} is ${v.getBigInt64(8 * i, true)}, outside int32 [-2147483648, 2147483647], Tensile's integer dtype`);
        }
        out[i] = lo;
      }
      return [out, e.shape, 'int32'];
    }
    case 'I32':
      if (LITTLE_ENDIAN) return [new Int32Array(bytes.buffer), e.shape, 'int32'];
      return [Int32Array.from({ length: count }, (_, i) => v.getInt32(4 * i, true)), e.shape, 'int32'];
    case 'I8':
      return [new Int8Array(bytes.buffer), e.shape, 'int8'];
    case 'U8':
      return [bytes, e.shape, 'uint8'];
    default: // BOOL
      return [bytes, e.shape, 'bool'];
  }
}

export interface SaveSafetensorsOptions {
  /** Store float32 tensors as F32 (default) or F16 (half the size; rounded to nearest even, as torch's `.half()`). */
  floatDType?: 'F32' | 'F16';
}

/**
 * Writes tensors as a safetensors file, byte for byte what the Python package writes for the
 * same tensors: float32 as F32 (or F16 with `floatDType: 'F16'`), int32 as I32, int8 as I8,
 * uint8 as U8, bool as BOOL; `metadata` (string -> string, written in its key order) as
 * `__metadata__`. Asynchronous because it reads the tensors back (every backend can).
 * @example const bytes = await saveSafetensors(model.stateDict(), { format: 'pt' });
 */
export async function saveSafetensors(tensors: Record<string, Tensor>, metadata?: Record<string, string>, opts: SaveSafetensorsOptions = {}): Promise<Uint8Array> {
  const op = 'saveSafetensors';
  if (typeof tensors !== 'object' || tensors === null || tensors instanceof Tensor) {
    throw new ArgumentError(`${op}: 'tensors' must be an object of name -> Tensor, got ${describe(tensors)}`);
  }
  if (metadata !== undefined && (typeof metadata !== 'object' || metadata === null || Object.values(metadata).some((s) => typeof s !== 'string'))) {
    throw new ArgumentError(`${op}: 'metadata' must map strings to strings, got ${describe(metadata)}`);
  }
  if (typeof opts !== 'object' || opts === null) throw new ArgumentError(`${op}: options must be an object, got ${describe(opts)}`);
  const floatDType = opts.floatDType ?? 'F32';
  if (floatDType !== 'F32' && floatDType !== 'F16') throw new ArgumentError(`${op}: 'floatDType' must be 'F32' or 'F16', got ${describe(floatDType)}`);
  const items = Object.entries(tensors).map(([name, t]) => {
    if (name === '' || name === '__metadata__') throw new ArgumentError(`${op}: '${name}' cannot name a tensor (empty, or the metadata key)`);
    if (!(t instanceof Tensor)) throw new ArgumentError(`${op}: '${name}' must be a Tensor, got ${describe(t)}`);
    if (t.isDisposed) throw new DisposedError(`${op}: '${name}' (shape ${fmt(t.shape)}) was disposed`);
    const dtype = t.dtype === 'float32' ? floatDType : ({ int32: 'I32', int8: 'I8', uint8: 'U8', bool: 'BOOL' } as const)[t.dtype];
    return { name, t, dtype, key: utf8(name) };
  });
  items.sort((a, b) => RANK.indexOf(b.dtype) - RANK.indexOf(a.dtype) || compareBytes(a.key, b.key));
  const data = await Promise.all(items.map((it) => it.t.data()));

  const parts: string[] = [];
  if (metadata !== undefined) {
    parts.push(`"__metadata__":{${Object.entries(metadata).map(([k, s]) => `${JSON.stringify(k)}:${JSON.stringify(s)}`).join(',')}}`);
  }
  let offset = 0;
  const sizes = items.map((it) => it.t.size * SIZES[it.dtype]!);
  items.forEach((it, i) => {
    parts.push(`${JSON.stringify(it.name)}:{"dtype":"${it.dtype}","shape":[${it.t.shape.join(',')}],"data_offsets":[${offset},${offset + sizes[i]!}]}`);
    offset += sizes[i]!;
  });
  const json = utf8(`{${parts.join(',')}}`);
  const n = json.length + ((8 - (json.length % 8)) % 8);
  const out = new Uint8Array(8 + n + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(n), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + n);
  let at = 8 + n;
  items.forEach((it, i) => {
    const values = data[i]!;
    if (it.dtype === 'F16') {
      for (let k = 0; k < values.length; k++) view.setUint16(at + 2 * k, floatToHalf(values[k]!), true);
    } else if (LITTLE_ENDIAN || values.BYTES_PER_ELEMENT === 1) {
      // The host's bytes are the file's (a copy keeps NaN payloads bit for bit): I8, U8, BOOL always.
      out.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), at);
    } else if (it.dtype === 'F32') {
      for (let k = 0; k < values.length; k++) view.setFloat32(at + 4 * k, values[k]!, true);
    } else {
      for (let k = 0; k < values.length; k++) view.setInt32(at + 4 * k, values[k]!, true);
    }
    at += sizes[i]!;
  });
  return out;
}

/**
 * The model's state dict (PyTorch's dotted names) as safetensors bytes, with metadata
 * `{ format: 'pt' }` (what Hugging Face loaders expect of PyTorch weights) plus `metadata`.
 * @example await writeFile('model.safetensors', await saveWeights(model));
 */
export async function saveWeights(model: AnyModule, opts: SaveSafetensorsOptions & { metadata?: Record<string, string> } = {}): Promise<Uint8Array> {
  const { metadata, ...rest } = opts;
  const sd = model.stateDict();
  try {
    return await saveSafetensors(sd, { format: 'pt', ...metadata }, rest);
  } finally {
    dispose(sd);
  }
}

/**
 * Loads safetensors bytes into the model through `loadStateDict` (strict by default: missing,
 * unexpected and mis-shaped names are reported together before anything changes); values are
 * cast to each parameter's dtype (an F16 file loads into float32 weights).
 * @example loadWeights(model, await readFile('model.safetensors'));
 */
export function loadWeights(model: AnyModule, bytes: Uint8Array | ArrayBuffer, opts: LoadStateDictOptions = {}): LoadResult {
  const sd = loadSafetensors(bytes);
  try {
    return model.loadStateDict(sd, opts);
  } finally {
    dispose(sd);
  }
}

/** float32 -> IEEE half bits, rounding to nearest even (c10's fp16_ieee_from_fp32_value, so torch's `.half()` bit for bit). */
export function floatToHalf(f: number): number {
  const f32 = new Float32Array(1), u32 = new Uint32Array(f32.buffer);
  f32[0] = f;
  const w = u32[0]!;
  const shl1 = (w << 1) >>> 0;
  const sign = w & 0x80000000;
  let bias = shl1 & 0xff000000;
  if (bias >>> 0 < 0x71000000) bias = 0x71000000;
  // Scale up to the exponent where the half's rounding happens, then add 2^(bias) to round at the right bit.
  let base = Math.fround(Math.fround(Math.abs(f32[0]!) * 2 ** 112) * 2 ** -110);
  u32[0] = ((bias >>> 1) + 0x07800000) >>> 0;
  base = Math.fround(f32[0]! + base);
  f32[0] = base;
  const bits = u32[0]!;
  const nonsign = ((bits >>> 13) & 0x7c00) + (bits & 0x0fff);
  return ((sign >>> 16) | (shl1 > 0xff000000 ? 0x7e00 : nonsign)) & 0xffff;
}

/** IEEE half bits -> the float32 value (exact: every half is a float32). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f, mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 31) return mant === 0 ? sign * Infinity : NaN;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

function toBytes(op: string, bytes: unknown): Uint8Array {
  // A plain view: Node's Buffer (a Uint8Array subclass, often into a shared pool) has other slice semantics.
  if (bytes instanceof Uint8Array) return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  throw new ArgumentError(`${op}: expected the file's bytes as a Uint8Array or ArrayBuffer, got ${describe(bytes)}`);
}

function isIndex(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function clip(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

const encoder = new TextEncoder();
function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}
