// The 6n+2-layer CNN of He et al.'s CIFAR-10 experiments (ResNet-20/32/56 and their plain
// twins), for 1-channel 28x28 images: the model behind plainCnn and residualCnn.
import { ArgumentError, ShapeError, fmt, type Tensor, type Variable } from '@tensile/core';
import { BatchNorm2d, Conv2d, GlobalAvgPool2d, Linear, Module, ReLU, Sequential, deriveSeed, init } from '@tensile/layers';
import { TwoConvBlock } from './two_conv_block.js';

export interface DepthCnnConfig {
  /** Weighted layers, 6n + 2 (default 20): a 3x3 stem conv, 3 stages of n two-conv blocks, the classifier. */
  depth?: number;
  /** Channels of the three stages (default [16, 32, 64], the paper's); stages 2 and 3 halve the resolution. */
  widths?: readonly [number, number, number];
  /** Input channels (default 1). */
  inChannels?: number;
  /** Output classes (default 10). */
  numClasses?: number;
  /** Philox seed of the initial weights (default 0): the plain and residual models of one seed start from the same weights. */
  seed?: number;
}

/**
 * stem (conv3x3, BN, ReLU) -> stages.0..2 (n TwoConvBlocks each, the first of stages 1 and 2
 * with stride 2) -> global average pool -> fc. Convolutions start from He-normal (fan_out,
 * ReLU) weights, BatchNorm from γ = 1, β = 0, as torchvision's ResNet.
 */
export class DepthCnn extends Module {
  readonly stem: Sequential;
  readonly stages: Sequential;
  readonly pool: GlobalAvgPool2d;
  readonly fc: Linear;
  readonly residual: boolean;
  readonly inChannels: number;

  constructor(residual: boolean, config: DepthCnnConfig) {
    super();
    const name = residual ? 'residualCnn' : 'plainCnn';
    const { depth = 20, widths = [16, 32, 64], inChannels = 1, numClasses = 10, seed = 0 } = config;
    if (!Number.isInteger(depth) || depth < 8 || (depth - 2) % 6 !== 0) {
      throw new ArgumentError(`${name}: depth must be 6n + 2 with n >= 1 (8, 14, 20, 32, 56, ...), got ${depth}`);
    }
    if (!Array.isArray(widths) || widths.length !== 3 || widths.some((w) => !Number.isInteger(w) || w < 1) || widths[1]! < widths[0]! || widths[2]! < widths[1]!) {
      throw new ArgumentError(`${name}: widths must be 3 non-decreasing positive integers, got ${JSON.stringify(widths)}`);
    }
    for (const [what, v] of [['inChannels', inChannels], ['numClasses', numClasses]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new ArgumentError(`${name}: ${what} must be a positive integer, got ${v}`);
    }
    this.residual = residual;
    this.inChannels = inChannels;
    const n = (depth - 2) / 6;
    let k = 0;
    const next = () => deriveSeed(seed, ++k);
    this.stem = this.module('stem', new Sequential(
      new Conv2d(inChannels, widths[0], 3, { padding: 1, bias: false, seed: next() }), new BatchNorm2d(widths[0]), new ReLU(),
    ));
    const blocks: TwoConvBlock[] = [];
    widths.forEach((w, s) => {
      for (let b = 0; b < n; b++) {
        const from = b === 0 && s > 0 ? widths[s - 1]! : w;
        blocks.push(new TwoConvBlock(from, w, b === 0 && s > 0 ? 2 : 1, residual, { conv1: next(), conv2: next() }));
      }
    });
    this.stages = this.module('stages', new Sequential(
      ...[0, 1, 2].map((s) => new Sequential(...blocks.slice(s * n, (s + 1) * n))),
    ));
    this.pool = this.module('pool', new GlobalAvgPool2d());
    this.fc = this.module('fc', new Linear(widths[2], numClasses, { seed: next() }));
    let c = 0;
    for (const m of this.modules()) {
      if (m instanceof Conv2d) init.kaimingNormal(m.weight, { mode: 'fan_out', nonlinearity: 'relu', seed: deriveSeed(seed, 1000 + c++) });
    }
  }

  /** The first convolution's weight: where the demo measures how much gradient reaches the input end. */
  get firstLayerWeight(): Variable {
    return (this.stem.at(0) as Conv2d).weight;
  }

  /** x [N, inChannels, H, W] -> logits [N, numClasses]. */
  forward(x: Tensor): Tensor {
    if (x.rank !== 4 || x.shape[1] !== this.inChannels) {
      throw new ShapeError(`${this.residual ? 'residualCnn' : 'plainCnn'}: x must be [N,${this.inChannels},H,W], got ${fmt(x.shape)}`);
    }
    return this.fc.call(this.pool.call(this.stages.call(this.stem.call(x))));
  }
}
