// Adaptive and global average pooling (the fixed-window pools are core's maxPool2d etc.).
import { ArgumentError, ShapeError, avgPool2d, concat, fmt, reshape, slice, tidy, type Tensor } from '@tensile/core';
import { checkFloat, describe } from '../check.js';

/** An output size: one number for both dims, or [h, w] where null keeps the input's size. */
export type AdaptiveSize = number | [number | null, number | null];

function resolveSize(op: string, size: AdaptiveSize, h: number, w: number): [number, number] {
  const p = typeof size === 'number' ? [size, size] : Array.isArray(size) && size.length === 2 ? size : null;
  const out = p?.map((d, i) => (d === null ? [h, w][i]! : d));
  if (!out || out.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new ArgumentError(`${op}: outputSize must be a positive integer or [h, w] of them (null keeps the input size), got ${describe(size)}`);
  }
  return [out[0]!, out[1]!];
}

/** Averages bins [floor(i in / out), ceil((i + 1) in / out)) along one axis (PyTorch's bins). */
function adaptiveAxis(x: Tensor, axis: number, out: number): Tensor {
  const size = x.shape[axis]!;
  if (size === out) return x;
  const parts: Tensor[] = [];
  for (let i = 0; i < out; i++) {
    const s = Math.floor((i * size) / out), e = Math.ceil(((i + 1) * size) / out);
    const begin: (number | null)[] = x.shape.map(() => null), end: (number | null)[] = x.shape.map(() => null);
    begin[axis] = s;
    end[axis] = e;
    parts.push(slice(x, begin, end).mean(axis, true));
  }
  return parts.length === 1 ? parts[0]! : concat(parts, axis);
}

/** adaptiveAvgPool2d() with the caller's name in errors. */
export function adaptiveAvgPool2dImpl(op: string, xIn: Tensor, outputSize: AdaptiveSize): Tensor {
  const x = checkFloat(op, xIn, 'x');
  if (x.rank !== 4 && x.rank !== 3) throw new ShapeError(`${op}: x must be [N, C, H, W] or [C, H, W], got ${fmt(x.shape)}`);
  const [h, w] = x.shape.slice(-2) as [number, number];
  const [oh, ow] = resolveSize(op, outputSize, h, w);
  if (h === 0 || w === 0) throw new ShapeError(`${op}: x ${fmt(x.shape)} has an empty spatial dim`);
  return tidy(() => {
    if (oh === 1 && ow === 1) return x.mean([-2, -1], true);
    if (h % oh === 0 && w % ow === 0) {
      const k: [number, number] = [h / oh, w / ow];
      const xb = x.rank === 4 ? x : x.expandDims(0);
      const y = avgPool2d(xb, { kernelSize: k, stride: k });
      return x.rank === 4 ? y : reshape(y, y.shape.slice(1));
    }
    return adaptiveAxis(adaptiveAxis(x, x.rank - 2, oh), x.rank - 1, ow);
  });
}

/**
 * Average pooling to a fixed output size, whatever the input size
 * (torch.nn.functional.adaptive_avg_pool2d): bin i spans [floor(i H / oh), ceil((i + 1) H / oh)).
 * @example adaptiveAvgPool2d(x, 1) // [N, C, 1, 1]
 */
export function adaptiveAvgPool2d(x: Tensor, outputSize: AdaptiveSize): Tensor {
  return adaptiveAvgPool2dImpl('adaptiveAvgPool2d', x, outputSize);
}

/** globalAvgPool2d() with the caller's name in errors. */
export function globalAvgPool2dImpl(op: string, xIn: Tensor): Tensor {
  const x = checkFloat(op, xIn, 'x');
  if (x.rank !== 4 && x.rank !== 3) throw new ShapeError(`${op}: x must be [N, C, H, W] or [C, H, W], got ${fmt(x.shape)}`);
  if (x.shape[x.rank - 1] === 0 || x.shape[x.rank - 2] === 0) throw new ShapeError(`${op}: x ${fmt(x.shape)} has an empty spatial dim`);
  return x.mean([-2, -1]);
}

/**
 * The mean over H and W: [N, C, H, W] -> [N, C] (Keras' GlobalAveragePooling2D; adaptiveAvgPool2d(x, 1) keeps the 1x1 dims).
 * @example globalAvgPool2d(features) // [N, C]
 */
export function globalAvgPool2d(x: Tensor): Tensor {
  return globalAvgPool2dImpl('globalAvgPool2d', x);
}
