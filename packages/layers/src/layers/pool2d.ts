// Fixed-window 2-D pooling layers over NCHW (torch.nn.MaxPool2d, AvgPool2d; MinPool2d).
import { avgPool2d, maxPool2d, minPool2d, type Pair, type PoolPadding, type Tensor } from '@tensile/core';
import { checkBool, checkFloat, pair } from '../check.js';
import { Module } from '../module.js';
import { fmtPair } from './conv_options.js';

export interface Pool2dOptions {
  /** Default: kernelSize. */
  stride?: Pair;
  /** 'valid' (default 0), 'same', n, [h, w] or [t, b, l, r]; at most half the kernel (PyTorch's rule). */
  padding?: PoolPadding;
  /** Spacing of the window's taps (max/min only); default 1. */
  dilation?: Pair;
  /** Ceil instead of floor for the output size. */
  ceilMode?: boolean;
}

export interface AvgPool2dOptions extends Omit<Pool2dOptions, 'dilation'> {
  /** Divide by the whole window including padding (default true, as PyTorch). */
  countIncludePad?: boolean;
}

abstract class Pool2dBase extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: PoolPadding;
  readonly ceilMode: boolean;

  constructor(op: string, kernelSize: Pair, opts: Pool2dOptions | AvgPool2dOptions) {
    super();
    this.kernelSize = pair(op, kernelSize, 'kernelSize');
    this.stride = pair(op, opts.stride ?? this.kernelSize, 'stride');
    this.padding = opts.padding ?? 0;
    this.ceilMode = checkBool(op, opts.ceilMode, 'ceilMode', false);
  }

  override extraRepr(): string {
    return `kernel_size=${fmtPair(this.kernelSize)}, stride=${fmtPair(this.stride)}, padding=${JSON.stringify(this.padding)}, ceil_mode=${this.ceilMode}`;
  }
}

/**
 * Max over each window (padded cells never win).
 * @example new MaxPool2d(2).call(x) // halves H and W
 */
export class MaxPool2d extends Pool2dBase {
  readonly dilation: [number, number];

  constructor(kernelSize: Pair, opts: Pool2dOptions = {}) {
    super('MaxPool2d', kernelSize, opts);
    this.dilation = pair('MaxPool2d', opts.dilation ?? 1, 'dilation');
  }

  forward(x: Tensor): Tensor {
    checkFloat('MaxPool2d', x, 'x');
    return maxPool2d(x, { kernelSize: this.kernelSize, stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode });
  }
}

/**
 * Min over each window (max pooling of -x, negated; padded cells never win).
 * @example new MinPool2d(2).call(x)
 */
export class MinPool2d extends Pool2dBase {
  readonly dilation: [number, number];

  constructor(kernelSize: Pair, opts: Pool2dOptions = {}) {
    super('MinPool2d', kernelSize, opts);
    this.dilation = pair('MinPool2d', opts.dilation ?? 1, 'dilation');
  }

  forward(x: Tensor): Tensor {
    checkFloat('MinPool2d', x, 'x');
    return minPool2d(x, { kernelSize: this.kernelSize, stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode });
  }
}

/**
 * Mean over each window; countIncludePad (default true) divides by the whole window.
 * @example new AvgPool2d(3, { stride: 2, padding: 1 }).call(x)
 */
export class AvgPool2d extends Pool2dBase {
  readonly countIncludePad: boolean | undefined;

  constructor(kernelSize: Pair, opts: AvgPool2dOptions = {}) {
    super('AvgPool2d', kernelSize, opts);
    this.countIncludePad = opts.countIncludePad === undefined ? undefined : checkBool('AvgPool2d', opts.countIncludePad, 'countIncludePad', true);
  }

  forward(x: Tensor): Tensor {
    checkFloat('AvgPool2d', x, 'x');
    return avgPool2d(x, { kernelSize: this.kernelSize, stride: this.stride, padding: this.padding, ceilMode: this.ceilMode, countIncludePad: this.countIncludePad });
  }
}
