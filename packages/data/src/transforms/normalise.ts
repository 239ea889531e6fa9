// Per-channel normalisation.
import { ArgumentError, DTypeError, ShapeError, fmt, sub, div, tensor, tidy, type Tensor } from '@tensile/core';
import { describe } from '../check.js';
import { imageDims } from './image.js';
import type { Transform } from './transform.js';

function channels(fn: string, arg: string, v: unknown, positive: boolean): number[] {
  const list = typeof v === 'number' ? [v] : v;
  if (!Array.isArray(list) || list.length === 0 || list.some((m) => typeof m !== 'number' || !Number.isFinite(m) || (positive && m <= 0))) {
    const what = positive ? 'positive numbers' : 'finite numbers';
    throw new ArgumentError(`${fn}: ${arg} must be a number or a non-empty array of ${what} (one per channel), got ${describe(v)}`);
  }
  return list as number[];
}

/**
 * (x - mean[c]) / std[c] per channel c (torchvision's Normalize): mean and std are numbers
 * (every channel) or one per channel. For a float32 [C, H, W] image or [N, C, H, W] batch.
 * @example normalise(0.5, 0.25)(tensor([0, 0.5, 1], [1, 1, 3])) // [[[-2, 0, 2]]]
 */
export function normalise(mean: number | readonly number[], std: number | readonly number[]): Transform {
  const fn = 'normalise';
  const m = channels(fn, 'mean', mean, false);
  const s = channels(fn, 'std', std, true);
  if (m.length > 1 && s.length > 1 && m.length !== s.length) {
    throw new ShapeError(`${fn}: mean has ${m.length} channels but std has ${s.length}`);
  }
  return (x: Tensor): Tensor => {
    const { c } = imageDims(fn, x);
    if (x.dtype !== 'float32') throw new DTypeError(`${fn}: argument 'x' has dtype ${x.dtype} (shape ${fmt(x.shape)}); expected float32`);
    for (const [arg, v] of [['mean', m], ['std', s]] as const) {
      if (v.length > 1 && v.length !== c) {
        throw new ShapeError(`${fn}: ${arg} has ${v.length} values but x has ${c} channels (shape ${fmt(x.shape)})`);
      }
    }
    const perChannel = (v: number[]): Tensor | number => (v.length === 1 ? v[0]! : tensor(v, [v.length, 1, 1]));
    return tidy(() => div(sub(x, perChannel(m)), perChannel(s)));
  };
}

/** The same as `normalise` (US spelling). @example normalize([0.5, 0.5, 0.5], [0.5, 0.5, 0.5]) */
export const normalize = normalise;
