// Horizontal flips: deterministic and random.
import { type Tensor } from '@tensile/core';
import { checkNumber, checkOptions, checkSeed } from '../check.js';
import { RandomStream } from '../random.js';
import { imageDims, place } from './image.js';
import type { Transform } from './transform.js';

/**
 * Mirrors images left to right (the last axis reversed), for [C, H, W] or [N, C, H, W].
 * @example hflip(tensor([1, 2, 3], [1, 1, 3])) // [[[3, 2, 1]]]
 */
export function hflip(x: Tensor): Tensor {
  const { n, w, h } = imageDims('hflip', x);
  return place('hflip', x, h, w, { top: new Int32Array(n), left: new Int32Array(n), flip: new Uint8Array(n).fill(1) }, 0);
}

export interface RandomFlipOptions {
  /** Probability that a sample is flipped (default 0.5). */
  p?: number;
  /** Seed of the draws (default: random). */
  seed?: number;
}

/**
 * Flips each sample left to right with probability p (torchvision's RandomHorizontalFlip):
 * sample k of a call is flipped when its uniform draw u_k < p.
 * @example const flip = randomHorizontalFlip({ p: 0.5, seed: 0 }); const y = flip(batch);
 */
export function randomHorizontalFlip(options?: RandomFlipOptions): Transform {
  const fn = 'randomHorizontalFlip';
  const o = checkOptions(fn, options);
  const p = checkNumber(fn, 'p', o.p, 0, 1, 0.5);
  const random = new RandomStream(checkSeed(fn, o.seed));
  return (x: Tensor): Tensor => {
    const { n, h, w } = imageDims(fn, x);
    const u = random.uniform(n);
    const flip = Uint8Array.from(u, (v) => (v < p ? 1 : 0));
    return place(fn, x, h, w, { top: new Int32Array(n), left: new Int32Array(n), flip }, 0);
  };
}
