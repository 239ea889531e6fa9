// Seeded host-side randomness for shuffling and augmentation, drawn from core's
// Philox-4x32-10 word stream: the same seed gives the same draws on every platform.
import { philoxWords } from '@tensile/core';

const TWO_M32 = 2 ** -32;

/**
 * A stream of uniform draws: key `seed`, counter blocks from `offset` on. Each call takes the
 * next ceil(n / 4) blocks, so a stream's draws depend only on the seed and the calls made.
 */
export class RandomStream {
  private offset: number;

  constructor(readonly seed: number, offset = 0) {
    this.offset = offset;
  }

  /** `n` uniform floats in [0, 1) (32-bit resolution). */
  uniform(n: number): Float64Array {
    const words = philoxWords(this.seed, this.offset, n);
    this.offset += Math.ceil(n / 4);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = words[i]! * TWO_M32;
    return out;
  }

  /** `n` integers uniform in [lo, hi] (inclusive). */
  ints(n: number, lo: number, hi: number): Int32Array {
    const u = this.uniform(n);
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = lo + Math.floor(u[i]! * (hi - lo + 1));
    return out;
  }
}

/**
 * mulberry32: a tiny seeded generator of uniform floats in [0, 1) from a 32-bit seed, for
 * host-side sampling that needs no tensors (MNIST's class interleaving, Siamese pairs).
 * @example const rand = mulberry32(1); rand(); // 0.6270739405881613
 */
export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A permutation of 0..n-1 (Fisher-Yates) for `epoch` of a shuffle seeded with `seed`: each
 * epoch reads its own counter range (block epoch * 2^32 on), so epochs differ and any epoch
 * can be reproduced on its own.
 */
export function permutation(n: number, seed: number, epoch: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const u = new RandomStream(seed, epoch * 2 ** 32).uniform(Math.max(n - 1, 0));
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(u[n - 1 - i]! * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}
