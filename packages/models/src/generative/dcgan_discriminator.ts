// DCGAN's discriminator in the PyTorch DCGAN tutorial's layout: stride-2 convolutions with
// BatchNorm (not on the first) and LeakyReLU(0.2), down to one score per image.
import { reshape, type Tensor } from '@tensile/core';
import { BatchNorm2d, Conv2d, LeakyReLU, Module, Sequential, Sigmoid, type TensorModule } from '@tensile/layers';
import { bool, intIn, knownKeys, shapeIs, tensorOf } from '../config_checks.js';
import { dcganInit, dcganPlan } from './dcgan_layout.js';

/** Config of `dcganDiscriminator` (defaults: the paper's 3x64x64 with the tutorial's widths). */
export interface DcganDiscriminatorConfig {
  /** Channels of the first feature map; they double at each smaller map (the tutorial's ndf, default 64). */
  width?: number;
  /** Image channels (nc, default 3; 1 for Fashion-MNIST). */
  channels?: number;
  /** Image side: base x 2^k, e.g. 64 (default) or 28. */
  imageSize?: number;
  /** End with a Sigmoid and return probabilities, as the tutorial (default true); false returns logits for a BCE-with-logits loss. */
  sigmoid?: boolean;
  /** Philox seed of the initial weights. */
  seed?: number;
}

const KEYS = ['width', 'channels', 'imageSize', 'sigmoid', 'seed'] as const;

/**
 * DCGAN's discriminator (Radford, Metz & Chintala 2016): images [N, channels, imageSize,
 * imageSize] -> [N] probabilities that each is real (logits with `sigmoid: false`). The layers
 * sit in `main` as in the PyTorch tutorial: Conv2d(channels, width, 4, 2, 1) + LeakyReLU(0.2),
 * then k - 1 Conv2d(4, 2, 1) + BatchNorm + LeakyReLU(0.2) doubling the channels, then
 * Conv2d(width 2^(k-1), 1, base) (+ Sigmoid); no biases; weights from `dcganInit`.
 * @example const d = dcganDiscriminator({ width: 32, channels: 1, imageSize: 28, sigmoid: false }); const logits = d.call(images);
 */
export class DcganDiscriminator extends Module {
  readonly config: Required<Omit<DcganDiscriminatorConfig, 'seed'>> & { seed: number | undefined };
  readonly main: Sequential;

  constructor(cfgIn: DcganDiscriminatorConfig = {}) {
    super();
    const name = 'dcganDiscriminator';
    const c = knownKeys(name, cfgIn, KEYS);
    this.config = {
      width: intIn(name, c.width, 'width', 64, 1),
      channels: intIn(name, c.channels, 'channels', 3, 1),
      imageSize: intIn(name, c.imageSize, 'imageSize', 64, 1),
      sigmoid: bool(name, c.sigmoid, 'sigmoid', true),
      seed: c.seed === undefined ? undefined : intIn(name, c.seed, 'seed', 0, 0),
    };
    const k = this.config;
    const { base, stages } = dcganPlan(name, k.imageSize);
    const layers: TensorModule[] = [];
    let inC = k.channels;
    for (let i = 0; i < stages; i++) {
      const outC = k.width * 2 ** i;
      layers.push(new Conv2d(inC, outC, 4, { stride: 2, padding: 1, bias: false }));
      if (i > 0) layers.push(new BatchNorm2d(outC));
      layers.push(new LeakyReLU(0.2));
      inC = outC;
    }
    layers.push(new Conv2d(inC, 1, base, { bias: false }));
    if (k.sigmoid) layers.push(new Sigmoid());
    this.main = this.module('main', new Sequential(...layers));
    dcganInit(this, k.seed);
  }

  forward(x: Tensor): Tensor {
    const name = 'dcganDiscriminator';
    const k = this.config;
    shapeIs(name, tensorOf(name, x, 'images', ['float32']), 'images', [null, k.channels, k.imageSize, k.imageSize], '[batch, channels, imageSize, imageSize]');
    return reshape(this.main.forward(x), [x.shape[0]!]);
  }

  override extraRepr(): string {
    const k = this.config;
    return `width=${k.width}, image=${k.channels}x${k.imageSize}x${k.imageSize}, sigmoid=${k.sigmoid}`;
  }
}

/**
 * DCGAN's discriminator (Radford, Metz & Chintala 2016) from a config with defaults.
 * @example const d = dcganDiscriminator({ channels: 1, imageSize: 28, width: 32 });
 */
export function dcganDiscriminator(config: DcganDiscriminatorConfig = {}): DcganDiscriminator {
  return new DcganDiscriminator(config);
}
