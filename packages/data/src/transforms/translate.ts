// Translations: by a given offset, and random ones (the translation of RandomAffine).
import { ArgumentError, type Tensor } from '@tensile/core';
import { checkInt, checkOptions, checkSeed, describe } from '../check.js';
import { RandomStream } from '../random.js';
import { checkFill, imageDims, place } from './image.js';
import type { Transform } from './transform.js';

/**
 * Shifts every image by dx pixels right and dy pixels down (negative: left, up); uncovered
 * pixels are `fill` (default 0). The shape is unchanged.
 * @example translate(tensor([1, 2, 3], [1, 1, 3]), 1, 0) // [[[0, 1, 2]]]
 */
export function translate(x: Tensor, dx: number, dy: number, fill = 0): Tensor {
  const fn = 'translate';
  const { n, h, w } = imageDims(fn, x);
  const tx = checkInt(fn, 'dx', dx, Number.MIN_SAFE_INTEGER);
  const ty = checkInt(fn, 'dy', dy, Number.MIN_SAFE_INTEGER);
  return place(fn, x, h, w, { top: new Int32Array(n).fill(-ty), left: new Int32Array(n).fill(-tx) }, checkFill(fn, fill));
}

export interface RandomTranslateOptions {
  /** Value of the uncovered pixels (default 0). */
  fill?: number;
  /** Seed of the draws (default: random). */
  seed?: number;
}

/**
 * Random translation of each sample (torchvision's RandomAffine(degrees=0, translate=[a, b])):
 * dx = round(uniform(-a W, a W)) and dy = round(uniform(-b H, b H)), dx drawn before dy for
 * the whole batch; uncovered pixels are `fill`.
 * @example const aug = randomTranslate([0.1, 0.1], { seed: 0 }); aug(batch) // shifted by up to 2.8 px on 28x28
 */
export function randomTranslate(fraction: readonly [number, number], options?: RandomTranslateOptions): Transform {
  const fn = 'randomTranslate';
  if (!Array.isArray(fraction) || fraction.length !== 2 || fraction.some((f) => typeof f !== 'number' || !(f >= 0 && f <= 1))) {
    throw new ArgumentError(`${fn}: fraction must be [a, b] with 0 <= a, b <= 1 (the largest shift as a fraction of width, height), got ${describe(fraction)}`);
  }
  const [a, b] = fraction;
  const o = checkOptions(fn, options);
  const fill = checkFill(fn, o.fill);
  const random = new RandomStream(checkSeed(fn, o.seed));
  return (x: Tensor): Tensor => {
    const { n, h, w } = imageDims(fn, x);
    const shift = (u: Float64Array, max: number): Int32Array => Int32Array.from(u, (v) => Math.round(-max + 2 * max * v));
    const dx = shift(random.uniform(n), a * w);
    const dy = shift(random.uniform(n), b * h);
    return place(fn, x, h, w, { top: dy.map((v) => -v), left: dx.map((v) => -v) }, fill);
  };
}
