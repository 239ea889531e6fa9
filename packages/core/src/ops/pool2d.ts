// 2-D pooling (max, min, average) over NCHW, with PyTorch's geometry options.
import { runKernel } from '../engine/engine.js';
import { record } from '../autograd/tape.js';
import type { PoolAttrs, PoolOp } from '../backend/kernels.js';
import { ArgumentError, ShapeError, fmt } from '../errors.js';
import { windowOutSize } from '../util/shape.js';
import type { Tensor } from '../tensor.js';
import { toFloat } from './cast.js';
import { checkNCHW, pair, resolvePadding, type Pair } from './conv_util.js';
import { checkDType, checkTensor, defineOp, describe } from './op.js';
import { expandDims, squeeze } from './reshape.js';

/** 'valid' | 'same' | one amount for all sides | [h, w] | [top, bottom, left, right]. */
export type PoolPadding = 'valid' | 'same' | number | [number, number] | [number, number, number, number];

export interface Pool2DOptions {
  kernelSize: Pair;
  /** Defaults to kernelSize. */
  stride?: Pair;
  /**
   * 'valid' (none, the default), 'same', or explicit non-negative amounts: n, [h, w] or
   * [top, bottom, left, right], each at most half the effective kernel
   * floor((dilation * (kernelSize - 1) + 1) / 2) (PyTorch's rule; more is a ShapeError).
   * 'same' is TensorFlow's SAME: out = ceil(in / stride) per axis, with total padding
   * max((out - 1) * stride + effectiveKernel - in, 0), the smaller half before and any odd
   * extra at the end. Padded cells never win max/min (a dilated window whose taps all land
   * in the padding gives -Infinity for max, Infinity for min, as PyTorch).
   */
  padding?: PoolPadding;
  dilation?: Pair;
  /**
   * Use ceil instead of floor for the output size (a window must start inside the input or
   * left padding). No effect with padding 'same', whose output is ceil(in / stride) already.
   */
  ceilMode?: boolean;
}

export interface AvgPool2DOptions extends Omit<Pool2DOptions, 'dilation'> {
  /**
   * Divide by the whole window including explicit padding (default true, as PyTorch), or by
   * its in-bounds cells only. With padding 'same' the default is false: TensorFlow's SAME
   * averages over the in-bounds cells only; true counts the implicit 'same' padding too.
   */
  countIncludePad?: boolean;
}

type AnyPoolOptions = Pool2DOptions & { countIncludePad?: boolean; returnIndices?: boolean };

const MAX_OPTIONS = ['kernelSize', 'stride', 'padding', 'dilation', 'ceilMode', 'returnIndices'];
const AVG_OPTIONS = ['kernelSize', 'stride', 'padding', 'ceilMode', 'countIncludePad'];

/**
 * Checks the options object: an object with only the op's keys (an undefined value counts as
 * absent) and real booleans for the flags, so no value is ever reinterpreted ('yes' is not true).
 */
function checkOptions(op: string, pool: PoolOp, o: unknown): AnyPoolOptions {
  const keys = pool === 'avg' ? AVG_OPTIONS : MAX_OPTIONS;
  if (typeof o !== 'object' || o === null || Array.isArray(o)) {
    throw new ArgumentError(`${op}: options must be an object with kernelSize (and ${keys.slice(1).join(', ')}), got ${describe(o)}`);
  }
  for (const [k, v] of Object.entries(o)) {
    if (v !== undefined && !keys.includes(k)) throw new ArgumentError(`${op}: unknown option '${k}' (options: ${keys.join(', ')})`);
  }
  const opts = o as AnyPoolOptions;
  for (const k of ['ceilMode', 'countIncludePad', 'returnIndices'] as const) {
    const v = opts[k];
    if (v !== undefined && typeof v !== 'boolean') throw new ArgumentError(`${op}: '${k}' must be a boolean, got ${describe(v)}`);
  }
  return opts;
}

function outSize(size: number, k: number, s: number, before: number, after: number, d: number, ceil: boolean): number {
  // PyTorch's ceil mode rounds a negative span up as well, so a window larger than the input
  // still yields one output when it starts inside it (GoogLeNet's 3x3/2 pools on a 2x2 map).
  const span = size + before + after - (d * (k - 1) + 1);
  let out = ceil ? Math.max(0, Math.ceil(span / s) + 1) : windowOutSize(size, k, s, before + after, d, false);
  // PyTorch: with ceil mode the last window must start inside the input or the leading padding.
  if (ceil && out > 0 && (out - 1) * s >= size + before) out--;
  return out;
}

function geometry(op: string, x: Tensor, pool: PoolOp, o: AnyPoolOptions): PoolAttrs {
  const kernel = pair(op, o.kernelSize, 'kernelSize');
  const stride = o.stride === undefined ? kernel : pair(op, o.stride, 'stride');
  const dilation = o.dilation === undefined ? [1, 1] as [number, number] : pair(op, o.dilation, 'dilation');
  const [h, w] = x.shape.slice(-2) as [number, number];
  const padding = o.padding === undefined ? 'valid' : o.padding; // null is not a padding: resolvePadding rejects it
  // resolvePadding checks the value and resolves 'same' against the real input size.
  const pad = resolvePadding(op, padding, [h, w], kernel, stride, dilation);
  const same = padding === 'same';
  if (!same) {
    const effective = [dilation[0] * (kernel[0] - 1) + 1, dilation[1] * (kernel[1] - 1) + 1];
    const half = [Math.floor(effective[0]! / 2), Math.floor(effective[1]! / 2)];
    if (pad[0] > half[0]! || pad[1] > half[0]! || pad[2] > half[1]! || pad[3] > half[1]!) {
      throw new ShapeError(
        `${op}: padding ${fmt(pad)} (top, bottom, left, right) must be at most half the effective kernel ${fmt(effective)}, ` +
        `i.e. <= ${fmt(half)} per side (kernelSize ${fmt(kernel)}, dilation ${fmt(dilation)}); x ${fmt(x.shape)}`,
      );
    }
  }
  const ceil = o.ceilMode ?? false;
  // For 'same' both give ceil(in / stride): the padding was sized for it.
  const oh = outSize(h, kernel[0], stride[0], pad[0], pad[1], dilation[0], ceil);
  const ow = outSize(w, kernel[1], stride[1], pad[2], pad[3], dilation[1], ceil);
  if (oh <= 0 || ow <= 0) {
    throw new ShapeError(`${op}: window ${fmt(kernel)} (dilation ${fmt(dilation)}) does not fit padded input ${fmt([h + pad[0] + pad[1], w + pad[2] + pad[3]])} of x ${fmt(x.shape)}`);
  }
  return { op: pool, kernel, stride, pad, dilation, outSize: [oh, ow], countIncludePad: o.countIncludePad ?? !same };
}

const pool2d = defineOp((op: string, pool: PoolOp, xIn: Tensor, opts: unknown): Tensor[] => {
  checkTensor(op, xIn);
  checkDType(op, xIn, ['float32', 'int32', 'int8', 'uint8'], 'x');
  const { batched } = checkNCHW(op, xIn);
  const o = checkOptions(op, pool, opts);
  const withIndices = o.returnIndices ?? false;
  const attrs = geometry(op, xIn, pool, o);
  let x = toFloat(xIn);
  if (!batched) x = expandDims(x, 0);
  const xs = x;
  let y = runKernel('Pool2D', { x: xs }, { ...attrs, indices: false });
  y = record(op, y, [xs], (dy) => [runKernel('Pool2DGrad', { x: xs, dy }, attrs)], [xs]);
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
  const r = pool2d('maxPool2d', 'max', x, opts);
  return r.length === 2 ? [r[0]!, r[1]!] : r[0]!;
}

/**
 * Min pooling (max pooling of -x, negated); same options as maxPool2d.
 * @example minPool2d(tensor([[[[1, 2], [3, 4]]]]), { kernelSize: 2 }) // [[[[1]]]]
 */
export function minPool2d(x: Tensor, opts: Pool2DOptions & { returnIndices: true }): [Tensor, Tensor];
export function minPool2d(x: Tensor, opts: Pool2DOptions & { returnIndices?: false }): Tensor;
export function minPool2d(x: Tensor, opts: Pool2DOptions & { returnIndices?: boolean }): Tensor | [Tensor, Tensor] {
  const r = pool2d('minPool2d', 'min', x, opts);
  return r.length === 2 ? [r[0]!, r[1]!] : r[0]!;
}

/**
 * Average pooling (torch.nn.functional.avg_pool2d); `countIncludePad` (default true)
 * divides by the window area including padding. With padding 'same' the default is false
 * (TensorFlow's SAME): each window averages its in-bounds cells only.
 * @example avgPool2d(tensor([[[[1, 2], [3, 4]]]]), { kernelSize: 2 }) // [[[[2.5]]]]
 */
export function avgPool2d(x: Tensor, opts: AvgPool2DOptions): Tensor {
  return pool2d('avgPool2d', 'avg', x, opts)[0]!;
}
