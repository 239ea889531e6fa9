// Argument normalisation shared by convolution and pooling ops.
import { ArgumentError, ShapeError, fmt } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { describe } from './op.js';

export type Pair = number | [number, number];
/** 'valid' | 'same' | one amount for all sides | [h, w] | [top, bottom, left, right]. */
export type Padding = 'valid' | 'same' | number | [number, number] | [number, number, number, number];

/** A positive (or non-negative) integer pair from a number or a pair. */
export function pair(op: string, v: Pair, arg: string, min = 1): [number, number] {
  const p: number[] = typeof v === 'number' ? [v, v] : Array.isArray(v) ? v : [];
  if (p.length !== 2 || p.some((d) => !Number.isInteger(d) || d < min)) {
    throw new ArgumentError(`${op}: '${arg}' must be an integer >= ${min} or a pair of them, got ${describe(v)}`);
  }
  return [p[0]!, p[1]!];
}

/** Explicit [top, bottom, left, right] padding; 'same' puts any odd extra at the end (SAME_UPPER). */
export function resolvePadding(
  op: string, padding: Padding, inHW: [number, number], kernel: [number, number],
  stride: [number, number], dilation: [number, number],
): [number, number, number, number] {
  if (padding === 'valid') return [0, 0, 0, 0];
  if (padding === 'same') {
    const [t, b] = samePad(inHW[0], kernel[0], stride[0], dilation[0]);
    const [l, r] = samePad(inHW[1], kernel[1], stride[1], dilation[1]);
    return [t, b, l, r];
  }
  const p: number[] = typeof padding === 'number' ? [padding, padding, padding, padding]
    : Array.isArray(padding) && padding.length === 2 ? [padding[0], padding[0], padding[1], padding[1]]
      : Array.isArray(padding) ? [...padding] : [];
  if (p.length !== 4 || p.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ArgumentError(`${op}: padding must be 'valid', 'same', a non-negative integer, [h, w] or [top, bottom, left, right], got ${describe(padding)}`);
  }
  return p as [number, number, number, number];
}

function samePad(size: number, k: number, s: number, d: number): [number, number] {
  const eff = d * (k - 1) + 1;
  const out = Math.ceil(size / s);
  const total = Math.max(0, (out - 1) * s + eff - size);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/** Checks x is [N, C, H, W] (or unbatched [C, H, W], reported via `batched`). */
export function checkNCHW(op: string, x: Tensor): { batched: boolean } {
  if (x.rank !== 4 && x.rank !== 3) {
    throw new ShapeError(`${op}: x must be [N, C, H, W] or [C, H, W], got ${fmt(x.shape)}`);
  }
  return { batched: x.rank === 4 };
}
