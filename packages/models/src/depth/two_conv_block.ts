// The unit both depth-comparison CNNs stack: two 3x3 convolutions with BatchNorm and ReLU,
// with or without ResNet's shortcut around them (He et al. 2016, "basic block").
import { type Tensor } from '@tensile/core';
import { BatchNorm2d, Conv2d, Module, ReLU } from '@tensile/layers';
import { ZeroPadShortcut } from './zero_pad_shortcut.js';

/**
 * conv3x3 (stride) -> BN -> ReLU -> conv3x3 -> BN, then + shortcut(x) when `residual`, then
 * ReLU. The shortcut is parameter-free (ZeroPadShortcut), so the plain and the residual block
 * have the same parameters, under the same names.
 * @example new TwoConvBlock(16, 32, 2, true) // [N, 16, 28, 28] -> [N, 32, 14, 14]
 */
export class TwoConvBlock extends Module {
  readonly conv1: Conv2d;
  readonly bn1: BatchNorm2d;
  readonly conv2: Conv2d;
  readonly bn2: BatchNorm2d;
  readonly relu: ReLU;
  readonly shortcut: ZeroPadShortcut | null;

  constructor(inChannels: number, outChannels: number, stride: number, residual: boolean, seeds: { conv1?: number; conv2?: number } = {}) {
    super();
    this.conv1 = this.module('conv1', new Conv2d(inChannels, outChannels, 3, { stride, padding: 1, bias: false, ...seedOf(seeds.conv1) }));
    this.bn1 = this.module('bn1', new BatchNorm2d(outChannels));
    this.conv2 = this.module('conv2', new Conv2d(outChannels, outChannels, 3, { padding: 1, bias: false, ...seedOf(seeds.conv2) }));
    this.bn2 = this.module('bn2', new BatchNorm2d(outChannels));
    this.relu = this.module('relu', new ReLU());
    this.shortcut = residual ? this.module('shortcut', new ZeroPadShortcut(inChannels, outChannels, stride)) : null;
  }

  forward(x: Tensor): Tensor {
    const h = this.relu.call(this.bn1.call(this.conv1.call(x)));
    const y = this.bn2.call(this.conv2.call(h));
    return this.relu.call(this.shortcut ? y.add(this.shortcut.call(x)) : y);
  }

  override extraRepr(): string {
    return this.shortcut ? 'residual' : 'plain';
  }
}

function seedOf(seed: number | undefined): { seed?: number } {
  return seed === undefined ? {} : { seed };
}
