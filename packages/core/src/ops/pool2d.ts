// 2-D pooling (max, min, average) over NCHW, with PyTorch's geometry options.
import { runKernel } from '../engine/engine.js';
import { record } from '../autograd/tape.js';
import type { PoolAttrs, PoolOp } from '../backend/kernels.js';
import { ShapeError, fmt } from '../errors.js';
import { windowOutSize } from '../util/shape.js';
import type { Tensor } from '../tensor.js';
import { toFloat } from './cast.js';
import { checkNCHW, pair, resolvePadding, type Pair } from './conv_util.js';
import { checkDType, checkTensor, defineOp } from './op.js';
import { expandDims, squeeze } from './reshape.js';

export interface Pool2DOptions {
  kernelSize: Pair;
  /** Defaults to kernelSize. */
  stride?: Pair;
  /** Non-negative implicit padding: amount, [h, w] or [top, bottom, left, right]. */
  padding?: number | [number, number] | [number, number, number, number];
  dilation?: Pair;
  /** Use ceil instead of floor for the output size (a window must start inside the input or left padding). */
  ceilMode?: boolean;
}

export interface AvgPool2DOptions extends Omit<Pool2DOptions, 'dilation'> {
  /** Divide by the whole window including padding (default true, as PyTorch). */
  countIncludePad?: boolean;
}

function outSize(size: number, k: number, s: number, before: number, after: number, d: number, ceil: boolean): number {
  let out = windowOutSize(size, k, s, before + after, d, ceil);
  // PyTorch: with ceil mode the last window must start inside the input or the leading padding.
  if (ceil && out > 0 && (out - 1) * s >= size + before) out--;
  return out;
}

function geometry(op: string, x: Tensor, pool: PoolOp, o: Pool2DOptions & { countIncludePad?: boolean }): PoolAttrs {
  const kernel = pair(op, o.kernelSize, 'kernelSize');
  const stride = pair(op, o.stride ?? kernel, 'stride');
  const dilation = pair(op, o.dilation ?? 1, 'dilation');
  const pad = resolvePadding(op, o.padding ?? 0, [0, 0], kernel, stride, dilation);
  const [h, w] = x.shape.slice(-2) as [number, number];
  const ceil = !!o.ceilMode;
  const oh = outSize(h, kernel[0], stride[0], pad[0], pad[1], dilation[0], ceil);
  const ow = outSize(w, kernel[1], stride[1], pad[2], pad[3], dilation[1], ceil);
  if (oh <= 0 || ow <= 0) {
    throw new ShapeError(`${op}: window ${fmt(kernel)} (dilation ${fmt(dilation)}) does not fit padded input ${fmt([h + pad[0] + pad[1], w + pad[2] + pad[3]])} of x ${fmt(x.shape)}`);
  }
  return { op: pool, kernel, stride, pad, dilation, outSize: [oh, ow], countIncludePad: o.countIncludePad ?? true };
}

const pool2d = defineOp((op: string, pool: PoolOp, xIn: Tensor, o: Pool2DOptions & { countIncludePad?: boolean }, withIndices: boolean): Tensor[] => {
  checkTensor(op, xIn);
  checkDType(op, xIn, ['float32', 'int32', 'int8', 'uint8'], 'x');
  const { batched } = checkNCHW(op, xIn);
  const attrs = geometry(op, xIn, pool, o);
  let x = toFloat(xIn);
  if (!batched) x = expandDims(x, 0);
  const xs = x;
  let y = runKernel('Pool2D', { x: xs }, { ...attrs, indices: false });
  y = record(op, y, [xs], (dy) => [runKernel('Pool2DGrad', { x: xs, dy }, attrs)]);
  const out = [batched ? y : squeeze(y, 0)];
  if (withIndices) {
    const idx = runKernel('Pool2D', { x: xs }, { ...attrs, indices: true });
    out.push(batched ? idx : squeeze(idx, 0));
  }
  return out;
});

/**
 * Max pooling over x [N, C, H, W] (torch.nn.functional.max_pool2d). Padded cells never win.
 * With `returnIndices`, returns [values, indices], indices being int32 flat positions
 * h * W + w in each input plane.
 * @example maxPool2d(tensor([[[[1, 2], [3, 4]]]]), { kernelSize: 2 }) // [[[[4]]]]
 */
export function maxPool2d(x: Tensor, opts: Pool2DOptions & { returnIndices: true }): [Tensor, Tensor];
export function maxPool2d(x: Tensor, opts: Pool2DOptions & { returnIndices?: false }): Tensor;
export function maxPool2d(x: Tensor, opts: Pool2DOptions & { returnIndices?: boolean }): Tensor | [Tensor, Tensor] {
  const r = pool2d('maxPool2d', 'max', x, opts, !!opts.returnIndices);
  return opts.returnIndices ? [r[0]!, r[1]!] : r[0]!;
}

/**
 * Min pooling (max pooling of -x, negated); same options as maxPool2d.
 * @example minPool2d(tensor([[[[1, 2], [3, 4]]]]), { kernelSize: 2 }) // [[[[1]]]]
 */
export function minPool2d(x: Tensor, opts: Pool2DOptions & { returnIndices: true }): [Tensor, Tensor];
export function minPool2d(x: Tensor, opts: Pool2DOptions & { returnIndices?: false }): Tensor;
export function minPool2d(x: Tensor, opts: Pool2DOptions & { returnIndices?: boolean }): Tensor | [Tensor, Tensor] {
  const r = pool2d('minPool2d', 'min', x, opts, !!opts.returnIndices);
  return opts.returnIndices ? [r[0]!, r[1]!] : r[0]!;
}

/**
 * Average pooling (torch.nn.functional.avg_pool2d); `countIncludePad` (default true)
 * divides by the window area including padding.
 * @example avgPool2d(tensor([[[[1, 2], [3, 4]]]]), { kernelSize: 2 }) // [[[[2.5]]]]
 */
export function avgPool2d(x: Tensor, opts: AvgPool2DOptions): Tensor {
  return pool2d('avgPool2d', 'avg', x, opts, false)[0]!;
}
