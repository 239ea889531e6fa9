// Crops: at a given position, and random crops with padding.
import { ShapeError, fmt, type Tensor } from '@tensile/core';
import { checkInt, checkOptions, checkSeed } from '../check.js';
import { RandomStream } from '../random.js';
import { checkFill, checkSize, imageDims, place } from './image.js';
import type { Transform } from './transform.js';

/**
 * The height x width region whose top-left corner is (top, left) of every image (torchvision's
 * F.crop); parts of the region outside the image are `fill` (default 0), so negative corners
 * and regions past the edge pad.
 * @example crop(tensor([1, 2, 3, 4], [1, 2, 2]), 1, 0, 1, 2) // [[[3, 4]]]
 */
export function crop(x: Tensor, top: number, left: number, height: number, width: number, fill = 0): Tensor {
  const fn = 'crop';
  const { n } = imageDims(fn, x);
  const t = checkInt(fn, 'top', top, Number.MIN_SAFE_INTEGER);
  const l = checkInt(fn, 'left', left, Number.MIN_SAFE_INTEGER);
  const [h, w] = checkSize(fn, [height, width]);
  return place(fn, x, h, w, { top: new Int32Array(n).fill(t), left: new Int32Array(n).fill(l) }, checkFill(fn, fill));
}

export interface RandomCropOptions {
  /** Pixels of `fill` added on every side before cropping (default 0). */
  padding?: number;
  /** The padding's value (default 0). */
  fill?: number;
  /** Seed of the draws (default: random). */
  seed?: number;
}

/**
 * A random size[0] x size[1] crop of each sample after padding every side by `padding`
 * (torchvision's RandomCrop(size, padding)): the corner (top, left) of sample k is uniform
 * over the positions that fit, top drawn before left for the whole batch.
 * @example const aug = randomCrop(28, { padding: 4, seed: 0 }); aug(batch) // [N, 1, 28, 28], shifted by up to 4 px
 */
export function randomCrop(size: number | readonly [number, number], options?: RandomCropOptions): Transform {
  const fn = 'randomCrop';
  const [outH, outW] = checkSize(fn, size);
  const o = checkOptions(fn, options);
  const pad = checkInt(fn, 'padding', o.padding, 0, 0);
  const fill = checkFill(fn, o.fill);
  const random = new RandomStream(checkSeed(fn, o.seed));
  return (x: Tensor): Tensor => {
    const { n, h, w } = imageDims(fn, x);
    if (outH > h + 2 * pad || outW > w + 2 * pad) {
      throw new ShapeError(`${fn}: size [${outH},${outW}] does not fit in x of shape ${fmt(x.shape)} padded by ${pad}`);
    }
    const top = random.ints(n, 0, h + 2 * pad - outH).map((v) => v - pad);
    const left = random.ints(n, 0, w + 2 * pad - outW).map((v) => v - pad);
    return place(fn, x, outH, outW, { top, left }, fill);
  };
}
