// gzip decompression through the platform's DecompressionStream (Node 18+, every browser).
import { ArgumentError } from '@tensile/core';
import { describe } from './check.js';

/**
 * Whether `bytes` starts with the gzip magic number (1f 8b).
 * @example isGzip(new Uint8Array([0x1f, 0x8b, 8])) // true
 */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Decompresses gzip data with `DecompressionStream('gzip')`; stops early once `maxBytes`
 * bytes are out (to read the head of a large file). Corrupt data is an ArgumentError.
 * @example const raw = await gunzip(await (await fetch(url)).bytes());
 */
export async function gunzip(data: Uint8Array | ArrayBuffer, maxBytes = Infinity): Promise<Uint8Array> {
  if (!(data instanceof Uint8Array) && !(data instanceof ArrayBuffer)) {
    throw new ArgumentError(`gunzip: data must be a Uint8Array or an ArrayBuffer, got ${describe(data)}`);
  }
  if (!(maxBytes >= 0)) throw new ArgumentError(`gunzip: maxBytes must be >= 0, got ${describe(maxBytes)}`);
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  if (!isGzip(bytes)) {
    throw new ArgumentError(`gunzip: data is not gzip (it starts with ${hex(bytes.subarray(0, 4))}, not 1f 8b)`);
  }
  const source = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream();
  const reader = source.pipeThrough(new DecompressionStream('gzip')).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    while (total < maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.length;
    }
  } catch (err) {
    throw new ArgumentError(`gunzip: corrupt gzip data (${(err as Error).message})`, { cause: err });
  } finally {
    if (total >= maxBytes) await reader.cancel().catch(() => {});
  }
  const out = new Uint8Array(Math.min(total, maxBytes));
  let at = 0;
  for (const c of chunks) {
    if (at >= out.length) break;
    const part = c.subarray(0, out.length - at);
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Bytes as `1f 8b 08` for messages. */
export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ') || '(nothing)';
}
