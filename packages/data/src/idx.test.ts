import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { ArgumentError, ShapeError } from '@tensile/core';
import { decodeIdx, parseIdx, type IdxDType } from './idx.js';
import { gunzip, isGzip } from './gzip.js';

/** An IDX buffer written byte by byte: magic 00 00 code ndims, big-endian dims, then `data`. */
function idx(code: number, dims: number[], data: number[]): Uint8Array {
  const header = [0, 0, code, dims.length];
  for (const d of dims) header.push((d >>> 24) & 255, (d >>> 16) & 255, (d >>> 8) & 255, d & 255);
  return Uint8Array.from([...header, ...data]);
}

/** A gzip member built by hand: header, one stored (uncompressed) deflate block, CRC-32, size. */
function storedGzip(data: Uint8Array): Uint8Array {
  let crc = 0xffffffff;
  for (const b of data) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  crc = (crc ^ 0xffffffff) >>> 0;
  const n = data.length; // < 65536: one stored block
  const le32 = (v: number) => [v & 255, (v >>> 8) & 255, (v >>> 16) & 255, (v >>> 24) & 255];
  return Uint8Array.from([
    0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff, // magic, deflate, no flags, mtime 0, xfl, OS unknown
    1, n & 255, n >>> 8, ~n & 255, (~n >>> 8) & 255, ...data, // BFINAL, stored; LEN, NLEN
    ...le32(crc), ...le32(n),
  ]);
}

describe('parseIdx', () => {
  // Each dtype code with values whose big-endian bytes are written out by hand.
  it.each([
    ['uint8 (0x08)', 0x08, [2, 2], [0x00, 0x01, 0x80, 0xff], 'uint8', [0, 1, 128, 255]],
    ['int8 (0x09)', 0x09, [3], [0x00, 0x7f, 0x80], 'int8', [0, 127, -128]],
    ['int16 (0x0b)', 0x0b, [2], [0xff, 0xfe, 0x01, 0x00], 'int16', [-2, 256]],
    ['int32 (0x0c)', 0x0c, [2], [0x00, 0x00, 0x01, 0x02, 0xff, 0xff, 0xff, 0xff], 'int32', [258, -1]],
    ['float32 (0x0d)', 0x0d, [1, 2], [0x3f, 0xc0, 0x00, 0x00, 0xc1, 0x20, 0x00, 0x00], 'float32', [1.5, -10]],
    ['float64 (0x0e)', 0x0e, [1], [0x40, 0x09, 0x21, 0xfb, 0x54, 0x44, 0x2d, 0x18], 'float64', [Math.PI]],
  ] as [string, number, number[], number[], IdxDType, number[]][])('%s', (_name, code, dims, bytes, dtype, values) => {
    const got = parseIdx(idx(code, dims, bytes));
    expect(got.dtype).toBe(dtype);
    expect(got.shape).toEqual(dims);
    expect(Array.from(got.data)).toEqual(values);
  });

  it('reads dims as big-endian uint32 (258 = 00 00 01 02, 65536 * 3 + 5 = 00 03 00 05)', () => {
    const a = parseIdx(idx(0x08, [258], Array.from({ length: 258 }, (_, i) => i & 255)));
    expect(a.shape).toEqual([258]);
    expect(a.data[257]).toBe(1);
    const big = parseIdx(idx(0x08, [65536 * 3 + 5, 0], []));
    expect(big.shape).toEqual([196613, 0]);
  });

  it('takes an ArrayBuffer or a Uint8Array view at an offset', () => {
    const bytes = idx(0x0c, [1], [0x00, 0x00, 0x01, 0x02]);
    expect(Array.from(parseIdx(bytes.slice().buffer).data)).toEqual([258]);
    const padded = new Uint8Array(bytes.length + 3);
    padded.set(bytes, 3);
    expect(Array.from(parseIdx(padded.subarray(3)).data)).toEqual([258]);
  });

  it('limit keeps the first items along axis 0 and accepts a truncated buffer', () => {
    const full = idx(0x08, [3, 2], [1, 2, 3, 4, 5, 6]);
    const got = parseIdx(full.subarray(0, full.length - 1), { limit: 2 });
    expect(got.shape).toEqual([2, 2]);
    expect(Array.from(got.data)).toEqual([1, 2, 3, 4]);
    expect(parseIdx(full, { limit: 10 }).shape).toEqual([3, 2]);
  });

  it.each([
    ['too short for the magic number', Uint8Array.of(0, 0, 8), ArgumentError, /parseIdx: 3 bytes is too short/],
    ['a bad magic number', Uint8Array.of(1, 0, 8, 1, 0, 0, 0, 0), ArgumentError, /parseIdx: bad magic number 01 00 08 01/],
    ['gzip passed to parseIdx', Uint8Array.of(0x1f, 0x8b, 8, 0), ArgumentError, /bad magic number 1f 8b 08 00.*use decodeIdx/],
    ['an unknown dtype code', Uint8Array.of(0, 0, 0x0a, 1, 0, 0, 0, 0), ArgumentError, /parseIdx: unknown dtype code 0x0a/],
    ['a header cut short', Uint8Array.of(0, 0, 8, 3, 0, 0, 0, 1), ShapeError, /parseIdx: the header declares 3 dims \(16 bytes\) but the buffer has 8/],
    ['data shorter than the dims', idx(0x0c, [2], [0, 0, 0, 1]), ShapeError, /parseIdx: dims \[2\] need 8 bytes of int32 data but the buffer has 4/],
    ['trailing bytes', idx(0x08, [2], [1, 2, 3]), ShapeError, /parseIdx: dims \[2\] need 2 bytes of uint8 data but the buffer has 3/],
    ['not bytes', [0, 0, 8, 0] as unknown as Uint8Array, ArgumentError, /parseIdx: data must be a Uint8Array or an ArrayBuffer, got \[0, 0, 8, 0\]/],
  ] as [string, Uint8Array, typeof ArgumentError, RegExp][])('rejects %s', (_name, bytes, type, message) => {
    expect(() => parseIdx(bytes)).toThrow(type);
    expect(() => parseIdx(bytes)).toThrow(message);
  });

  it.each([[-1], [1.5], ['2']])('rejects limit %j', (limit) => {
    expect(() => parseIdx(idx(0x08, [1], [1]), { limit: limit as number })).toThrow(ArgumentError);
    expect(() => parseIdx(idx(0x08, [1], [1]), { limit: limit as number })).toThrow(/parseIdx: limit must be an integer >= 0/);
  });
});

describe('gzip and decodeIdx', () => {
  const raw = idx(0x0b, [2, 2], [0x00, 0x01, 0xff, 0xff, 0x7f, 0xff, 0x80, 0x00]); // [1, -1, 32767, -32768]

  it('gunzips a gzip member built by hand (stored block, CRC-32)', async () => {
    const gz = storedGzip(raw);
    expect(isGzip(gz)).toBe(true);
    expect(Array.from(await gunzip(gz))).toEqual(Array.from(raw));
    const got = await decodeIdx(gz);
    expect(got).toMatchObject({ dtype: 'int16', shape: [2, 2] });
    expect(Array.from(got.data)).toEqual([1, -1, 32767, -32768]);
  });

  it('gunzips what zlib compressed, and stops early at maxBytes', async () => {
    const big = Uint8Array.from({ length: 300000 }, (_, i) => (i * 7) & 255);
    const gz = gzipSync(big);
    // Buffer.equals: a byte comparison (toEqual on 300k elements is slow).
    expect(Buffer.from(await gunzip(gz)).equals(big)).toBe(true);
    expect(Buffer.from(await gunzip(gz.buffer.slice(gz.byteOffset, gz.byteOffset + gz.byteLength))).equals(big)).toBe(true);
    expect(Array.from(await gunzip(gz, 10))).toEqual(Array.from(big.subarray(0, 10)));
  });

  it('decodeIdx reads plain IDX too, and decompresses only what a limit needs', async () => {
    expect(Array.from((await decodeIdx(raw)).data)).toEqual([1, -1, 32767, -32768]);
    const many = idx(0x08, [5000, 2], Array.from({ length: 10000 }, (_, i) => i % 251));
    const got = await decodeIdx(gzipSync(many), { limit: 3 });
    expect(got.shape).toEqual([3, 2]);
    expect(Array.from(got.data)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('rejects corrupt or non-gzip data with ArgumentError', async () => {
    const gz = gzipSync(raw);
    const corrupt = gz.slice();
    corrupt.fill(0xaa, 10, gz.length - 8); // the deflate stream
    await expect(gunzip(corrupt)).rejects.toThrow(ArgumentError);
    await expect(gunzip(corrupt)).rejects.toThrow(/gunzip: corrupt gzip data/);
    await expect(gunzip(raw)).rejects.toThrow(/gunzip: data is not gzip \(it starts with 00 00 0b 02, not 1f 8b\)/);
    await expect(gunzip('x' as unknown as Uint8Array)).rejects.toThrow(/gunzip: data must be a Uint8Array or an ArrayBuffer, got "x"/);
  });
});
