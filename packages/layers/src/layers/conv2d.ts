// Conv2d: 2-D cross-correlation over NCHW with OIHW weights (torch.nn.Conv2d).
import { ArgumentError, ShapeError, conv2d, fmt, type Pair, type Padding, type Tensor, type Variable } from '@tensile/core';
import { checkFloat } from '../check.js';
import { Module } from '../module.js';
import { checkPadding, convConfig, convParams, fmtPair, type ConvOptions } from './conv_options.js';

/**
 * A 2-D convolution: x [N, inChannels, H, W] -> [N, outChannels, H', W'], weight
 * [outChannels, inChannels / groups, kH, kW]. PyTorch's default initialisation
 * (kaiming_uniform with a = sqrt 5, bias U(-1/sqrt(fan_in), 1/sqrt(fan_in))).
 * @example const conv = new Conv2d(3, 16, 3, { padding: 'same', seed: 0 });
 */
export class Conv2d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: Padding;
  readonly dilation: [number, number];
  readonly groups: number;
  readonly weight: Variable;
  readonly bias: Variable | null;

  constructor(inChannels: number, outChannels: number, kernelSize: Pair, opts: ConvOptions = {}) {
    super();
    const cfg = convConfig('Conv2d', inChannels, outChannels, kernelSize, opts);
    this.padding = checkPadding('Conv2d', opts.padding ?? 0, true);
    if (this.padding === 'same' && (cfg.stride[0] !== 1 || cfg.stride[1] !== 1)) {
      throw new ArgumentError(`Conv2d: padding 'same' is not supported for strided convolutions (stride ${fmt(cfg.stride)}), as PyTorch`);
    }
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = cfg.kernelSize;
    this.stride = cfg.stride;
    this.dilation = cfg.dilation;
    this.groups = cfg.groups;
    ({ weight: this.weight, bias: this.bias } = convParams(this, [outChannels, inChannels / cfg.groups, ...cfg.kernelSize], outChannels, cfg));
  }

  forward(xIn: Tensor): Tensor {
    const x = checkFloat('Conv2d', xIn, 'x');
    if (x.rank !== 4 && x.rank !== 3) throw new ShapeError(`Conv2d: x must be [N, C, H, W] or [C, H, W], got ${fmt(x.shape)}`);
    const c = x.shape[x.rank - 3];
    if (c !== this.inChannels) {
      throw new ShapeError(`Conv2d: x ${fmt(x.shape)} has ${c} channels but the layer expects inChannels = ${this.inChannels} (weight ${fmt(this.weight.shape)})`);
    }
    return conv2d(x, this.weight, {
      bias: this.bias ?? undefined, stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups,
    });
  }

  override extraRepr(): string {
    const parts = [`${this.inChannels}, ${this.outChannels}, kernel_size=${fmtPair(this.kernelSize)}, stride=${fmtPair(this.stride)}`];
    if (this.padding !== 0) parts.push(`padding=${typeof this.padding === 'string' ? `'${this.padding}'` : JSON.stringify(this.padding)}`);
    if (this.dilation[0] !== 1 || this.dilation[1] !== 1) parts.push(`dilation=${fmtPair(this.dilation)}`);
    if (this.groups !== 1) parts.push(`groups=${this.groups}`);
    if (this.bias === null) parts.push('bias=false');
    return parts.join(', ');
  }
}
