// Shared plumbing of the image transforms: input checks and a per-sample gather that moves
// pixels (crop, flip, translate) in one kernel.
import { ArgumentError, ShapeError, Tensor, fmt, gather, reshape, tensor, tidy, where } from '@tensile/core';
import { describe } from '../check.js';

/** Checks an image tensor: [C, H, W] (one sample) or [N, C, H, W] (a batch); returns its dims. */
export function imageDims(fn: string, x: unknown): { n: number; c: number; h: number; w: number; batched: boolean } {
  if (!(x instanceof Tensor)) throw new ArgumentError(`${fn}: argument 'x' must be a Tensor, got ${describe(x)}`);
  if (x.rank !== 3 && x.rank !== 4) {
    throw new ShapeError(`${fn}: argument 'x' must be an image [C, H, W] or a batch [N, C, H, W], got shape ${fmt(x.shape)}`);
  }
  const [n, c, h, w] = x.rank === 4 ? x.shape : [1, ...x.shape];
  return { n: n!, c: c!, h: h!, w: w!, batched: x.rank === 4 };
}

/** Where sample n's output pixel (i, j) comes from: row top + i, column left + j, mirrored when flip. */
export interface Placement {
  top: Int32Array;
  left: Int32Array;
  flip?: Uint8Array;
}

/**
 * Moves pixels per sample: out[n, c, i, j] = x[n, c, top[n] + i, col] with col = left[n] + j,
 * or W - 1 - (left[n] + j) when flip[n]; positions outside x are `fill`. One gather on the
 * flattened input with host-computed indices (out-of-range indices gather zeros).
 */
export function place(fn: string, x: Tensor, outH: number, outW: number, at: Placement, fill: number): Tensor {
  const { n, c, h, w, batched } = imageDims(fn, x);
  const size = n * c * outH * outW;
  const index = new Int32Array(size);
  const outside = fill === 0 ? null : new Uint8Array(size);
  let k = 0;
  for (let s = 0; s < n; s++) {
    const top = at.top[s]!, left = at.left[s]!, flip = at.flip?.[s] === 1;
    for (let ch = 0; ch < c; ch++) {
      const base = (s * c + ch) * h;
      for (let i = 0; i < outH; i++) {
        const y = top + i;
        for (let j = 0; j < outW; j++, k++) {
          const col = flip ? w - 1 - (left + j) : left + j;
          if (y >= 0 && y < h && col >= 0 && col < w) {
            index[k] = (base + y) * w + col;
          } else {
            index[k] = x.size; // out of range: gathers 0
            if (outside) outside[k] = 1;
          }
        }
      }
    }
  }
  const shape = batched ? [n, c, outH, outW] : [c, outH, outW];
  return tidy(() => {
    const moved = reshape(gather(reshape(x, [x.size]), tensor(index, [size], 'int32')), shape);
    if (!outside || !outside.includes(1)) return moved;
    return where(tensor(outside, shape, 'bool'), fill, moved);
  });
}

/** A fill value: a finite number. */
export function checkFill(fn: string, fill: unknown): number {
  if (fill === undefined) return 0;
  if (typeof fill !== 'number' || !Number.isFinite(fill)) throw new ArgumentError(`${fn}: fill must be a finite number, got ${describe(fill)}`);
  return fill;
}

/** An output size: n or [height, width], positive integers. */
export function checkSize(fn: string, size: unknown): [number, number] {
  const pair = typeof size === 'number' ? [size, size] : size;
  if (!Array.isArray(pair) || pair.length !== 2 || pair.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new ArgumentError(`${fn}: size must be a positive integer or [height, width] of positive integers, got ${describe(size)}`);
  }
  return [pair[0], pair[1]];
}
