// ConvTranspose2d: the adjoint of Conv2d, upsampling (torch.nn.ConvTranspose2d).
import { ArgumentError, ShapeError, convTranspose2d, fmt, type Pair, type Tensor, type Variable } from '@tensile/core';
import { checkFloat, describe, pair } from '../check.js';
import { Module } from '../module.js';
import { convConfig, convParams, fmtPair, type ConvOptions } from './conv_options.js';

export interface ConvTranspose2dOptions extends Omit<ConvOptions, 'padding'> {
  /** dilation (kernelSize - 1) - padding zeros are added to each side of the input: n, [h, w] or [t, b, l, r]; default 0. */
  padding?: number | [number, number] | [number, number, number, number];
  /** Extra rows/columns on one side of the output (smaller than stride or dilation); default 0. */
  outputPadding?: Pair;
}

/**
 * A transposed 2-D convolution: x [N, inChannels, H, W] -> [N, outChannels, H', W'] with
 * H' = (H - 1) stride - 2 padding + dilation (kH - 1) + outputPadding + 1; weight
 * [inChannels, outChannels / groups, kH, kW]. PyTorch's default initialisation.
 * @example const up = new ConvTranspose2d(16, 8, 2, { stride: 2 }); // doubles H and W
 */
export class ConvTranspose2d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: number | [number, number] | [number, number, number, number];
  readonly outputPadding: [number, number];
  readonly dilation: [number, number];
  readonly groups: number;
  readonly weight: Variable;
  readonly bias: Variable | null;

  constructor(inChannels: number, outChannels: number, kernelSize: Pair, opts: ConvTranspose2dOptions = {}) {
    super();
    const op = 'ConvTranspose2d';
    const cfg = convConfig(op, inChannels, outChannels, kernelSize, opts);
    const padding = opts.padding ?? 0;
    const ok = (typeof padding === 'number' && Number.isInteger(padding) && padding >= 0)
      || (Array.isArray(padding) && (padding.length === 2 || padding.length === 4) && padding.every((d) => Number.isInteger(d) && d >= 0));
    if (!ok) throw new ArgumentError(`${op}: padding must be a non-negative integer, [h, w] or [top, bottom, left, right], got ${describe(padding)}`);
    this.padding = padding;
    this.outputPadding = pair(op, opts.outputPadding ?? 0, 'outputPadding', 0);
    for (let i = 0; i < 2; i++) {
      if (this.outputPadding[i]! >= cfg.stride[i]! && this.outputPadding[i]! >= cfg.dilation[i]!) {
        throw new ArgumentError(`${op}: outputPadding ${fmt(this.outputPadding)} must be smaller than stride ${fmt(cfg.stride)} or dilation ${fmt(cfg.dilation)}`);
      }
    }
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = cfg.kernelSize;
    this.stride = cfg.stride;
    this.dilation = cfg.dilation;
    this.groups = cfg.groups;
    // PyTorch computes fan_in from the transposed weight too: (outChannels / groups) kH kW.
    ({ weight: this.weight, bias: this.bias } = convParams(this, [inChannels, outChannels / cfg.groups, ...cfg.kernelSize], outChannels, cfg));
  }

  forward(xIn: Tensor): Tensor {
    const x = checkFloat('ConvTranspose2d', xIn, 'x');
    if (x.rank !== 4 && x.rank !== 3) throw new ShapeError(`ConvTranspose2d: x must be [N, C, H, W] or [C, H, W], got ${fmt(x.shape)}`);
    const c = x.shape[x.rank - 3];
    if (c !== this.inChannels) {
      throw new ShapeError(`ConvTranspose2d: x ${fmt(x.shape)} has ${c} channels but the layer expects inChannels = ${this.inChannels} (weight ${fmt(this.weight.shape)})`);
    }
    return convTranspose2d(x, this.weight, {
      bias: this.bias ?? undefined, stride: this.stride, padding: this.padding, outputPadding: this.outputPadding,
      dilation: this.dilation, groups: this.groups,
    });
  }

  override extraRepr(): string {
    const parts = [`${this.inChannels}, ${this.outChannels}, kernel_size=${fmtPair(this.kernelSize)}, stride=${fmtPair(this.stride)}`];
    if (this.padding !== 0) parts.push(`padding=${JSON.stringify(this.padding)}`);
    if (this.outputPadding[0] !== 0 || this.outputPadding[1] !== 0) parts.push(`output_padding=${fmtPair(this.outputPadding)}`);
    if (this.groups !== 1) parts.push(`groups=${this.groups}`);
    if (this.bias === null) parts.push('bias=false');
    return parts.join(', ');
  }
}
