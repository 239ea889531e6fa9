// LeNet-5 (LeCun, Bottou, Bengio & Haffner 1998), classic and with modern training tricks.
import { ArgumentError, ShapeError, fmt, type Tensor } from '@tensile/core';
import { AvgPool2d, BatchNorm2d, Conv2d, Linear, MaxPool2d, Module, ReLU, Sequential, Tanh, type TensorModule } from '@tensile/layers';
import { layerSeeds } from './seeds.js';

export interface LeNet5Config {
  /** Output classes (default 10). */
  numClasses?: number;
  /** Input channels (default 1). */
  inChannels?: number;
  /**
   * Zero padding of the first convolution (default 2): the paper's 32x32 input is a 28x28 digit
   * with a 2-pixel border, so 28x28 images need padding 2 and 32x32 ones padding 0.
   */
  padding?: number;
  /** Philox seed of the initial weights (default: the global stream). */
  seed?: number;
}

/** What distinguishes the two variants: activation, pooling and whether BatchNorm follows each conv. */
interface Variant {
  name: string;
  act: () => TensorModule;
  pool: () => TensorModule;
  batchNorm: boolean;
}

const CLASSIC: Variant = { name: 'lenet5Classic', act: () => new Tanh(), pool: () => new AvgPool2d(2), batchNorm: false };
const MODERN: Variant = { name: 'lenet5Modern', act: () => new ReLU(), pool: () => new MaxPool2d(2), batchNorm: true };

/**
 * LeNet-5: `features` (two 5x5 convolutions to 6 and 16 channels, each followed by an activation
 * and 2x2 pooling) then `classifier` (400 -> 120 -> 84 -> classes). C5 of the paper, a 5x5
 * convolution over a 5x5 map, is the Linear(400, 120) here: the same 48,120 weights.
 * Build it with `lenet5Classic` or `lenet5Modern`.
 */
export class LeNet5 extends Module {
  readonly features: Sequential;
  readonly classifier: Sequential;
  readonly inChannels: number;
  readonly padding: number;
  readonly #name: string;

  constructor(variant: Variant, config: LeNet5Config) {
    super();
    const { numClasses = 10, inChannels = 1, padding = 2, seed } = config;
    const check = (v: number, what: string, min: number) => {
      if (!Number.isInteger(v) || v < min) throw new ArgumentError(`${variant.name}: ${what} must be an integer >= ${min}, got ${v}`);
    };
    check(numClasses, 'numClasses', 1);
    check(inChannels, 'inChannels', 1);
    check(padding, 'padding', 0);
    this.#name = variant.name;
    this.inChannels = inChannels;
    this.padding = padding;
    const s = layerSeeds(seed);
    const block = (conv: Conv2d, channels: number): TensorModule[] =>
      variant.batchNorm ? [conv, new BatchNorm2d(channels), variant.act(), variant.pool()] : [conv, variant.act(), variant.pool()];
    this.features = this.module('features', new Sequential(
      ...block(new Conv2d(inChannels, 6, 5, { padding, ...s(0) }), 6),
      ...block(new Conv2d(6, 16, 5, s(1)), 16),
    ));
    this.classifier = this.module('classifier', new Sequential(
      new Linear(16 * 5 * 5, 120, s(2)), variant.act(),
      new Linear(120, 84, s(3)), variant.act(),
      new Linear(84, numClasses, s(4)),
    ));
  }

  /** x [N, inChannels, H, W] with H + 2·padding = W + 2·padding = 32 -> logits [N, numClasses]. */
  forward(x: Tensor): Tensor {
    const side = 32 - 2 * this.padding;
    if (x.rank !== 4 || x.shape[1] !== this.inChannels || x.shape[2] !== side || x.shape[3] !== side) {
      throw new ShapeError(`${this.#name}: x must be [N,${this.inChannels},${side},${side}] (padding ${this.padding}), got ${fmt(x.shape)}`);
    }
    const f = this.features.call(x);
    return this.classifier.call(f.reshape([f.shape[0]!, 16 * 5 * 5]));
  }
}

/**
 * LeNet-5 as published: tanh and average pooling, 61,706 parameters for 10 classes.
 * LeCun et al., "Gradient-based learning applied to document recognition", Proc. IEEE 1998.
 * @example const model = lenet5Classic({ numClasses: 10, seed: 0 }); model.call(x) // x [N, 1, 28, 28]
 */
export function lenet5Classic(config: LeNet5Config = {}): LeNet5 {
  return new LeNet5(CLASSIC, config);
}

/**
 * LeNet-5 with ReLU, max pooling and BatchNorm after each convolution (Ioffe & Szegedy 2015):
 * 61,750 parameters for 10 classes (44 of them BatchNorm's).
 * @example const model = lenet5Modern({ seed: 0 }); model.call(x) // x [N, 1, 28, 28]
 */
export function lenet5Modern(config: LeNet5Config = {}): LeNet5 {
  return new LeNet5(MODERN, config);
}
