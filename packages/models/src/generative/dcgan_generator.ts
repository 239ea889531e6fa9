// DCGAN's generator in the PyTorch DCGAN tutorial's layout: a latent vector grown into an
// image by stride-2 transposed convolutions, each followed by BatchNorm and ReLU, and a Tanh.
import { ShapeError, fmt, reshape, type Tensor } from '@tensile/core';
import { BatchNorm2d, ConvTranspose2d, Module, ReLU, Sequential, Tanh, type TensorModule } from '@tensile/layers';
import { intIn, knownKeys, tensorOf } from '../config_checks.js';
import { dcganInit, dcganPlan } from './dcgan_layout.js';

/** Config of `dcganGenerator` (defaults: the paper's 3x64x64 with the tutorial's widths). */
export interface DcganGeneratorConfig {
  /** Length of the latent vector z (the tutorial's nz, default 100). */
  latentDim?: number;
  /** Channels of the last hidden feature map; they double at each smaller map (the tutorial's ngf, default 64). */
  width?: number;
  /** Image channels (nc, default 3; 1 for Fashion-MNIST). */
  channels?: number;
  /** Image side: base x 2^k, e.g. 64 (default) or 28. */
  imageSize?: number;
  /** Philox seed of the initial weights. */
  seed?: number;
}

const KEYS = ['latentDim', 'width', 'channels', 'imageSize', 'seed'] as const;

/**
 * DCGAN's generator (Radford, Metz & Chintala 2016, "Unsupervised Representation Learning
 * with Deep Convolutional Generative Adversarial Networks"): z [N, latentDim] (or
 * [N, latentDim, 1, 1]) -> images [N, channels, imageSize, imageSize] in (-1, 1). The layers
 * sit in `main` as in the PyTorch tutorial (state-dict keys main.0.weight, main.1.running_mean,
 * ...): ConvTranspose2d(latentDim, width 2^(k-1), base) + BatchNorm + ReLU, then k - 1
 * ConvTranspose2d(4, stride 2, padding 1) + BatchNorm + ReLU halving the channels, then
 * ConvTranspose2d(width, channels, 4, 2, 1) + Tanh; no biases; weights from `dcganInit`.
 * @example const g = dcganGenerator({ latentDim: 64, width: 32, channels: 1, imageSize: 28 }); const images = g.call(randn([16, 64]));
 */
export class DcganGenerator extends Module {
  readonly config: Required<Omit<DcganGeneratorConfig, 'seed'>> & { seed: number | undefined };
  readonly main: Sequential;

  constructor(cfgIn: DcganGeneratorConfig = {}) {
    super();
    const name = 'dcganGenerator';
    const c = knownKeys(name, cfgIn, KEYS);
    this.config = {
      latentDim: intIn(name, c.latentDim, 'latentDim', 100, 1),
      width: intIn(name, c.width, 'width', 64, 1),
      channels: intIn(name, c.channels, 'channels', 3, 1),
      imageSize: intIn(name, c.imageSize, 'imageSize', 64, 1),
      seed: c.seed === undefined ? undefined : intIn(name, c.seed, 'seed', 0, 0),
    };
    const k = this.config;
    const { base, stages } = dcganPlan(name, k.imageSize);
    const layers: TensorModule[] = [];
    let inC = k.latentDim;
    for (let i = 0; i < stages; i++) {
      const outC = k.width * 2 ** (stages - 1 - i);
      layers.push(i === 0 ? new ConvTranspose2d(inC, outC, base, { bias: false }) : new ConvTranspose2d(inC, outC, 4, { stride: 2, padding: 1, bias: false }));
      layers.push(new BatchNorm2d(outC), new ReLU());
      inC = outC;
    }
    layers.push(new ConvTranspose2d(inC, k.channels, 4, { stride: 2, padding: 1, bias: false }), new Tanh());
    this.main = this.module('main', new Sequential(...layers));
    dcganInit(this, k.seed);
  }

  forward(z: Tensor): Tensor {
    const name = 'dcganGenerator';
    const k = this.config;
    tensorOf(name, z, 'z', ['float32']);
    const ok = (z.rank === 2 || (z.rank === 4 && z.shape[2] === 1 && z.shape[3] === 1)) && z.shape[0]! >= 1 && z.shape[1] === k.latentDim;
    if (!ok) throw new ShapeError(`${name}: z ${fmt(z.shape)} must be [batch, latentDim] or [batch, latentDim, 1, 1] with latentDim = ${k.latentDim}`);
    return this.main.forward(reshape(z, [z.shape[0]!, k.latentDim, 1, 1]));
  }

  override extraRepr(): string {
    const k = this.config;
    return `latent_dim=${k.latentDim}, width=${k.width}, image=${k.channels}x${k.imageSize}x${k.imageSize}`;
  }
}

/**
 * DCGAN's generator (Radford, Metz & Chintala 2016) from a config with defaults.
 * @example const g = dcganGenerator({ channels: 1, imageSize: 28, latentDim: 64, width: 32 });
 */
export function dcganGenerator(config: DcganGeneratorConfig = {}): DcganGenerator {
  return new DcganGenerator(config);
}
