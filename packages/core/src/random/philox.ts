// Philox-4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011),
// the counter-based generator every backend implements bit-for-bit. The word stream is a
// pure function of (seed, offset, element index), so what every backend shares is:
//   - the uint32 words, and the uniform draws made from them with integer ops and one exact
//     scaling (rand, dropout masks): bit-identical on every backend for the same seed and offset;
//   - normal draws (randn): specified as Box-Muller on those same uniform words, but log, sqrt,
//     cos and sin are not correctly rounded (float64 Math here, float32 builtins on devices),
//     so backends agree within a stated tolerance (the conformance suite's NORMAL: 1e-5
//     relative + 1e-5 absolute), not bit for bit.
//
// Specification used by the Random kernel, for element i of an output of n elements:
//   key     = [seed & 0xffffffff, floor(seed / 2^32) & 0xffffffff]
//   block b = offset + floor(i / 4); counter = [b & 0xffffffff, floor(b / 2^32), 0, 0]
//   word    = philox(counter, key)[i % 4]
//   uniform: (word >>> 8) * 2^-24                        in [0, 1)
//   normal:  with u1 = ((w(2k) >>> 8) + 1) * 2^-24 in (0, 1], u2 = (w(2k+1) >>> 8) * 2^-24,
//            r = sqrt(-2 ln u1); element 2k = r cos(2 pi u2), element 2k+1 = r sin(2 pi u2),
//            where w(j) is the word stream above (Box-Muller on consecutive pairs; u1, u2 are
//            exact, the transcendentals are the backend's, hence the tolerance above).
// A caller that draws n numbers advances its offset by ceil(n / 4) blocks.

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

// M0 and M1 in 16-bit halves, for the exact high words of the products below.
const M0L = M0 & 0xffff, M0H = M0 >>> 16, M1L = M1 & 0xffff, M1H = M1 >>> 16;

/**
 * The high 32 bits of the 64-bit product (mH 2^16 + mL) * b, exact: every partial product of
 * 16-bit halves is below 2^32, so float64 holds it exactly. Allocation-free because it runs
 * twenty times per block (filling a model's weights draws hundreds of millions of numbers).
 */
function mulhi(mL: number, mH: number, b: number): number {
  const bL = b & 0xffff, bH = b >>> 16;
  const lh = mL * bH, hl = mH * bL;
  const mid = ((mL * bL) >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  return (mH * bH + (lh >>> 16) + (hl >>> 16) + (mid >>> 16)) >>> 0;
}

/** Ten rounds of Philox-4x32 on one counter block; writes four uint32 words into `out` at `at` (default 0). */
export function philox4x32(
  c0: number, c1: number, c2: number, c3: number, k0: number, k1: number, out: Uint32Array, at = 0,
): void {
  for (let r = 0; r < 10; r++) {
    const hi0 = mulhi(M0L, M0H, c0), lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulhi(M1L, M1H, c2), lo1 = Math.imul(M1, c2) >>> 0;
    const n0 = (hi1 ^ c1 ^ k0) >>> 0;
    const n2 = (hi0 ^ c3 ^ k1) >>> 0;
    c0 = n0; c1 = lo1; c2 = n2; c3 = lo0;
    k0 = (k0 + W0) >>> 0;
    k1 = (k1 + W1) >>> 0;
  }
  out[at] = c0; out[at + 1] = c1; out[at + 2] = c2; out[at + 3] = c3;
}

/** The raw uint32 words for elements [0, n) of the stream (seed, offset). */
export function philoxWords(seed: number, offset: number, n: number): Uint32Array {
  const k0 = seed >>> 0, k1 = Math.floor(seed / 4294967296) >>> 0;
  const words = new Uint32Array(Math.ceil(n / 4) * 4);
  for (let b = 0; b < words.length / 4; b++) {
    const ctr = offset + b;
    philox4x32(ctr >>> 0, Math.floor(ctr / 4294967296) >>> 0, 0, 0, k0, k1, words, b * 4);
  }
  return words.subarray(0, n);
}

const TWO_M24 = 1 / 16777216;

/**
 * Fills `out` with uniform [0, 1) or standard normal floats per the specification above: the
 * reference every backend's Random kernel is tested against (uniform bit for bit, normal within
 * tolerance; this one evaluates Box-Muller in float64 and rounds once).
 */
export function philoxFill(dist: 'uniform' | 'normal', seed: number, offset: number, out: Float32Array): void {
  const n = out.length;
  if (dist === 'uniform') {
    const w = philoxWords(seed, offset, n);
    for (let i = 0; i < n; i++) out[i] = (w[i]! >>> 8) * TWO_M24;
    return;
  }
  const w = philoxWords(seed, offset, n + (n & 1));
  for (let i = 0; i < n; i += 2) {
    const u1 = ((w[i]! >>> 8) + 1) * TWO_M24;
    const u2 = (w[i + 1]! >>> 8) * TWO_M24;
    const r = Math.sqrt(-2 * Math.log(u1));
    out[i] = r * Math.cos(2 * Math.PI * u2);
    if (i + 1 < n) out[i + 1] = r * Math.sin(2 * Math.PI * u2);
  }
}

/** Blocks consumed by a draw of n numbers (how far a caller advances its offset). */
export function philoxBlocks(dist: 'uniform' | 'normal', n: number): number {
  return Math.ceil((dist === 'normal' ? n + (n & 1) : n) / 4);
}
