// VGG (Simonyan & Zisserman, "Very Deep Convolutional Networks for Large-Scale Image
// Recognition", ICLR 2015), with optional BatchNorm after each convolution (Ioffe & Szegedy 2015),
// as torchvision builds it.
import { ArgumentError, type Tensor } from '@tensile/core';
import { AdaptiveAvgPool2d, BatchNorm2d, Conv2d, Dropout, Linear, MaxPool2d, Module, ReLU, Sequential, type TensorModule } from '@tensile/layers';
import { checkProbability, visionConfig, type VisionConfig } from './config.js';
import { checkImageInput } from './image_input.js';
import { heNormalFanOut, normal001, zeroInit } from './inits.js';

/** A feature extractor's layout: output channels of each 3x3 convolution, 'M' for a 2x2 max-pool. */
export type VggLayout = readonly (number | 'M')[];

/** The paper's table 1 (torchvision's `cfgs`): A is VGG-11, B VGG-13, D VGG-16, E VGG-19. */
export const VGG_LAYOUTS = {
  A: [64, 'M', 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'],
  B: [64, 64, 'M', 128, 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'],
  D: [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M'],
  E: [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 256, 'M', 512, 512, 512, 512, 'M', 512, 512, 512, 512, 'M'],
} as const satisfies Record<string, VggLayout>;

export interface VggConfig extends VisionConfig {
  /** Dropout after each of the first two fully connected layers (default 0.5). */
  dropout?: number;
}

export interface VggSpec extends VggConfig {
  /** The feature extractor: a key of VGG_LAYOUTS or a layout of its own. */
  layout: keyof typeof VGG_LAYOUTS | VggLayout;
  /** BatchNorm2d after every convolution (default false). */
  batchNorm?: boolean;
  /** The model's name in errors (default 'vgg'). */
  name?: string;
}

/**
 * VGG: 3x3 convolutions with ReLU (and BatchNorm) and 2x2 max-pools (`features`), adaptive
 * pooling to 7x7, three fully connected layers (`classifier`). Initialised as torchvision:
 * convolutions He-normal (fan_out) with zero bias, Linear weights N(0, 0.01^2) with zero bias.
 * Build it with `vgg11`, `vgg11Bn`, `vgg16`, `vgg16Bn` or `vgg(spec)`.
 */
export class VGG extends Module {
  readonly features: Sequential;
  readonly avgpool: AdaptiveAvgPool2d;
  readonly classifier: Sequential;
  readonly inChannels: number;
  readonly numClasses: number;
  readonly name: string;
  /** The smallest input height and width: each max-pool halves (flooring), and the last must leave 1. */
  readonly minSize: number;

  constructor(spec: VggSpec) {
    super();
    const name = spec.name ?? 'vgg';
    const { numClasses, inChannels, nextSeed, paramOptions } = visionConfig(name, spec);
    const p = checkProbability(name, spec.dropout, 'dropout', 0.5);
    const layout: VggLayout = typeof spec.layout === 'string' ? VGG_LAYOUTS[spec.layout] : spec.layout;
    if (!Array.isArray(layout) || layout.length === 0 || !layout.every((v) => v === 'M' || (Number.isInteger(v) && (v as number) >= 1))) {
      throw new ArgumentError(`${name}: layout must be one of ${Object.keys(VGG_LAYOUTS).join(', ')} or a non-empty list of channel counts and 'M', got ${JSON.stringify(spec.layout)}`);
    }
    const batchNorm = spec.batchNorm ?? false;
    this.name = name;
    this.inChannels = inChannels;
    this.numClasses = numClasses;
    this.minSize = 2 ** layout.filter((v) => v === 'M').length;
    const layers: TensorModule[] = [];
    let channels = inChannels;
    for (const v of layout) {
      if (v === 'M') {
        layers.push(new MaxPool2d(2, { stride: 2 }));
        continue;
      }
      const conv = new Conv2d(channels, v, 3, { padding: 1, ...paramOptions(heNormalFanOut, zeroInit) });
      layers.push(conv, ...(batchNorm ? [new BatchNorm2d(v)] : []), new ReLU());
      channels = v;
    }
    this.features = this.module('features', new Sequential(...layers));
    this.avgpool = this.module('avgpool', new AdaptiveAvgPool2d(7));
    const linear = (inF: number, outF: number): Linear => new Linear(inF, outF, paramOptions(normal001, zeroInit));
    this.classifier = this.module('classifier', new Sequential(
      linear(channels * 7 * 7, 4096), new ReLU(), new Dropout(p, nextSeed()),
      linear(4096, 4096), new ReLU(), new Dropout(p, nextSeed()),
      linear(4096, numClasses),
    ));
  }

  /** [N, inChannels, H, W] images (H, W >= minSize, 32 for the published layouts; 224 as published) -> [N, numClasses] logits. */
  forward(x: Tensor): Tensor {
    checkImageInput(this.name, x, this.inChannels, this.minSize);
    return this.classifier.call(this.avgpool.call(this.features.call(x)).flatten(1));
  }
}

/**
 * A VGG from any layout, e.g. a narrow one for small images.
 * @example const tiny = vgg({ layout: [16, 'M', 32, 'M'], batchNorm: true, numClasses: 10, inChannels: 1 });
 */
export function vgg(spec: VggSpec): VGG {
  return new VGG(spec);
}

/**
 * VGG-11 (layout A): 132,863,336 parameters at 1000 classes.
 * @example const model = vgg11({ numClasses: 10 });
 */
export function vgg11(config: VggConfig = {}): VGG {
  return new VGG({ ...config, layout: 'A', batchNorm: false, name: 'vgg11' });
}

/**
 * VGG-11 with BatchNorm: 132,868,840 parameters at 1000 classes.
 * @example const model = vgg11Bn({ numClasses: 10, inChannels: 1 });
 */
export function vgg11Bn(config: VggConfig = {}): VGG {
  return new VGG({ ...config, layout: 'A', batchNorm: true, name: 'vgg11Bn' });
}

/**
 * VGG-16 (layout D): 138,357,544 parameters at 1000 classes.
 * @example const model = vgg16();
 */
export function vgg16(config: VggConfig = {}): VGG {
  return new VGG({ ...config, layout: 'D', batchNorm: false, name: 'vgg16' });
}

/**
 * VGG-16 with BatchNorm: 138,365,992 parameters at 1000 classes.
 * @example const model = vgg16Bn({ dropout: 0.3 });
 */
export function vgg16Bn(config: VggConfig = {}): VGG {
  return new VGG({ ...config, layout: 'D', batchNorm: true, name: 'vgg16Bn' });
}
