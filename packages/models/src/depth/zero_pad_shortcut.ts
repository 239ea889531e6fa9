// The parameter-free shortcut of ResNet's option A (He et al. 2016, CIFAR-10 experiments): where
// a block halves the resolution and widens the channels, the identity is subsampled and the
// new channels are zeros, so shortcuts add no parameters.
import { ShapeError, fmt, pad, slice, type Tensor } from '@tensile/core';
import { Module } from '@tensile/layers';

/**
 * x [N, C, H, W] -> x[:, :, ::stride, ::stride] with `outChannels - C` zero channels appended
 * (the identity when stride is 1 and the channels match).
 * @example new ZeroPadShortcut(16, 32, 2).call(x) // [N, 16, 28, 28] -> [N, 32, 14, 14]
 */
export class ZeroPadShortcut extends Module {
  constructor(readonly inChannels: number, readonly outChannels: number, readonly stride: number) {
    super();
    if (!Number.isInteger(stride) || stride < 1) throw new ShapeError(`ZeroPadShortcut: stride must be an integer >= 1, got ${stride}`);
    if (!Number.isInteger(inChannels) || inChannels < 1 || !Number.isInteger(outChannels) || outChannels < inChannels) {
      throw new ShapeError(`ZeroPadShortcut: outChannels (${outChannels}) must be an integer >= inChannels (${inChannels}) >= 1`);
    }
  }

  forward(x: Tensor): Tensor {
    if (x.rank !== 4 || x.shape[1] !== this.inChannels) {
      throw new ShapeError(`ZeroPadShortcut: x must be [N,${this.inChannels},H,W], got ${fmt(x.shape)}`);
    }
    const s = this.stride;
    const sub = s === 1 ? x : slice(x, [0, 0, 0, 0], [null, null, null, null], [1, 1, s, s]);
    const extra = this.outChannels - this.inChannels;
    return extra === 0 ? sub : pad(sub, [[0, 0], [0, extra], [0, 0], [0, 0]]);
  }

  override extraRepr(): string {
    return `${this.inChannels}, ${this.outChannels}, stride=${this.stride}`;
  }
}
