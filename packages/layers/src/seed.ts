// Seeds for the Philox streams layers draw from. A layer given `{ seed }` draws its weight from
// that stream and its other tensors (bias, dropout masks per call) from derived ones, so one
// seed makes the whole layer reproducible, bit for bit on the same backend.

/** Mixes 32 bits (the murmur3 finaliser). */
function mix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * A seed for sub-stream `stream` of `seed`: a different, well-mixed Philox key per stream
 * (stream 0 is `seed` itself), a safe integer like every seed.
 * @example deriveSeed(42, 1) // the bias stream of a layer seeded 42
 */
export function deriveSeed(seed: number, stream: number): number {
  if (stream === 0) return seed;
  const lo = seed >>> 0, hi = Math.floor(seed / 4294967296) >>> 0;
  const a = mix32(lo ^ mix32(stream * 0x9e3779b9 + hi));
  const b = mix32(hi ^ mix32(a + stream + 0x632be5ab));
  return (b & 0x1fffff) * 4294967296 + a;
}
