// The IDX file format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/):
// magic 00 00 <dtype code> <ndims>, then ndims big-endian uint32 dimensions, then the data,
// row-major, multi-byte values big-endian.
import { ArgumentError, ShapeError, fmt } from '@tensile/core';
import { checkInt, checkOptions, describe } from './check.js';
import { gunzip, hex, isGzip } from './gzip.js';

/** The element types IDX can hold. */
export type IdxDType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/** A parsed IDX array: its dtype, its shape (the dims) and its values, row-major. */
export interface IdxArray {
  dtype: IdxDType;
  shape: number[];
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

export interface IdxOptions {
  /** Read only the first `limit` items along the first dimension (the buffer may then be truncated). */
  limit?: number;
}

/** The dtype codes of the third magic byte, with their sizes. */
export const IDX_DTYPES: Readonly<Record<number, { dtype: IdxDType; bytes: number }>> = {
  0x08: { dtype: 'uint8', bytes: 1 },
  0x09: { dtype: 'int8', bytes: 1 },
  0x0b: { dtype: 'int16', bytes: 2 },
  0x0c: { dtype: 'int32', bytes: 4 },
  0x0d: { dtype: 'float32', bytes: 4 },
  0x0e: { dtype: 'float64', bytes: 8 },
};

/**
 * Parses an (uncompressed) IDX buffer. Errors are typed: a bad magic number or dtype code is an
 * ArgumentError; a buffer whose length does not match its dims is a ShapeError.
 * @example parseIdx(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 7, 9])) // { dtype: 'uint8', shape: [2], data: [7, 9] }
 */
export function parseIdx(data: Uint8Array | ArrayBuffer, options?: IdxOptions): IdxArray {
  const fn = 'parseIdx';
  if (!(data instanceof Uint8Array) && !(data instanceof ArrayBuffer)) {
    throw new ArgumentError(`${fn}: data must be a Uint8Array or an ArrayBuffer, got ${describe(data)}`);
  }
  const limit = checkOptions(fn, options).limit;
  if (limit !== undefined) checkInt(fn, 'limit', limit, 0);
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  if (bytes.length < 4) throw new ArgumentError(`${fn}: ${bytes.length} bytes is too short for an IDX header (4-byte magic number)`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const gz = isGzip(bytes) ? ' (it is gzip: use decodeIdx, or gunzip first)' : '';
    throw new ArgumentError(`${fn}: bad magic number ${hex(bytes.subarray(0, 4))}: IDX starts with 00 00${gz}`);
  }
  const type = IDX_DTYPES[bytes[2]!];
  if (!type) {
    throw new ArgumentError(`${fn}: unknown dtype code 0x${bytes[2]!.toString(16).padStart(2, '0')} (expected 08 uint8, 09 int8, 0b int16, 0c int32, 0d float32 or 0e float64)`);
  }
  const ndims = bytes[3]!;
  const header = 4 + 4 * ndims;
  if (bytes.length < header) {
    throw new ShapeError(`${fn}: the header declares ${ndims} dims (${header} bytes) but the buffer has ${bytes.length} bytes`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape = Array.from({ length: ndims }, (_, i) => view.getUint32(4 + 4 * i, false));
  if (limit !== undefined && ndims > 0 && limit < shape[0]!) shape[0] = limit;
  const count = shape.reduce((a, b) => a * b, 1);
  const need = count * type.bytes;
  const have = bytes.length - header;
  if (limit === undefined ? have !== need : have < need) {
    const wanted = limit === undefined ? `${need} bytes of ${type.dtype} data` : `at least ${need} bytes for the first ${shape[0]} items`;
    throw new ShapeError(`${fn}: dims ${fmt(shape)} need ${wanted} but the buffer has ${have} after the header`);
  }
  return { dtype: type.dtype, shape, data: readValues(view, header, count, type.dtype) };
}

function readValues(view: DataView, at: number, n: number, dtype: IdxDType): IdxArray['data'] {
  switch (dtype) {
    case 'uint8': return new Uint8Array(view.buffer, view.byteOffset + at, n).slice();
    case 'int8': return new Int8Array(view.buffer, view.byteOffset + at, n).slice();
    case 'int16': { const o = new Int16Array(n); for (let i = 0; i < n; i++) o[i] = view.getInt16(at + 2 * i, false); return o; }
    case 'int32': { const o = new Int32Array(n); for (let i = 0; i < n; i++) o[i] = view.getInt32(at + 4 * i, false); return o; }
    case 'float32': { const o = new Float32Array(n); for (let i = 0; i < n; i++) o[i] = view.getFloat32(at + 4 * i, false); return o; }
    case 'float64': { const o = new Float64Array(n); for (let i = 0; i < n; i++) o[i] = view.getFloat64(at + 8 * i, false); return o; }
  }
}

/** The most header bytes an IDX file can have (255 dims). */
const MAX_HEADER = 4 + 4 * 255;

/**
 * Parses IDX bytes that may be gzipped (`.gz`, detected by its magic number): with a `limit`,
 * only the head of the stream needed for the first `limit` items is decompressed.
 * @example const labels = await decodeIdx(await readFile('train-labels-idx1-ubyte.gz'));
 */
export async function decodeIdx(data: Uint8Array | ArrayBuffer, options?: IdxOptions): Promise<IdxArray> {
  const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : data;
  if (!(bytes instanceof Uint8Array) || !isGzip(bytes)) return parseIdx(data, options);
  const limit = checkOptions('decodeIdx', options).limit;
  if (limit === undefined) return parseIdx(await gunzip(bytes), options);
  checkInt('decodeIdx', 'limit', limit, 0);
  const head = await gunzip(bytes, MAX_HEADER);
  const { shape, dtype } = parseIdx(head, { limit: 0 });
  const item = shape.slice(1).reduce((a, b) => a * b, 1);
  const size = Object.values(IDX_DTYPES).find((t) => t.dtype === dtype)!.bytes;
  const need = 4 + 4 * shape.length + Math.min(limit, Number.MAX_SAFE_INTEGER) * item * size;
  return parseIdx(await gunzip(bytes, need), options);
}
