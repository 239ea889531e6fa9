// AlexNet (Krizhevsky, Sutskever & Hinton, "ImageNet Classification with Deep Convolutional
// Neural Networks", NeurIPS 2012), in torchvision's single-GPU form ("One weird trick", 2014).
import { type Tensor } from '@tensile/core';
import { AdaptiveAvgPool2d, Conv2d, Dropout, Linear, MaxPool2d, Module, ReLU, Sequential } from '@tensile/layers';
import { checkProbability, visionConfig, type VisionConfig } from './config.js';
import { checkImageInput } from './image_input.js';

export interface AlexNetConfig extends VisionConfig {
  /** Dropout before each of the first two fully connected layers (default 0.5). */
  dropout?: number;
}

/**
 * The smallest input: 63x63 reaches the last max-pool as 3x3, leaving 1x1 (torchvision's min_size).
 * One pixel less and the third pool has nothing to pool.
 */
const MIN_SIZE = 63;

/**
 * AlexNet: five convolutions (`features`), adaptive pooling to 6x6, three fully connected layers
 * (`classifier`). State-dict keys and shapes are torchvision's `alexnet()`; 61,100,840 parameters
 * at 1000 classes. Build it with `alexnet(config)`.
 */
export class AlexNet extends Module {
  readonly features: Sequential;
  readonly avgpool: AdaptiveAvgPool2d;
  readonly classifier: Sequential;
  readonly inChannels: number;
  readonly numClasses: number;

  constructor(config: AlexNetConfig = {}) {
    super();
    const { numClasses, inChannels, nextSeed, paramOptions: opts } = visionConfig('alexnet', config);
    const p = checkProbability('alexnet', config.dropout, 'dropout', 0.5);
    this.inChannels = inChannels;
    this.numClasses = numClasses;
    this.features = this.module('features', new Sequential(
      new Conv2d(inChannels, 64, 11, { stride: 4, padding: 2, ...opts() }), new ReLU(), new MaxPool2d(3, { stride: 2 }),
      new Conv2d(64, 192, 5, { padding: 2, ...opts() }), new ReLU(), new MaxPool2d(3, { stride: 2 }),
      new Conv2d(192, 384, 3, { padding: 1, ...opts() }), new ReLU(),
      new Conv2d(384, 256, 3, { padding: 1, ...opts() }), new ReLU(),
      new Conv2d(256, 256, 3, { padding: 1, ...opts() }), new ReLU(), new MaxPool2d(3, { stride: 2 }),
    ));
    this.avgpool = this.module('avgpool', new AdaptiveAvgPool2d(6));
    this.classifier = this.module('classifier', new Sequential(
      new Dropout(p, nextSeed()), new Linear(256 * 6 * 6, 4096, opts()), new ReLU(),
      new Dropout(p, nextSeed()), new Linear(4096, 4096, opts()), new ReLU(),
      new Linear(4096, numClasses, opts()),
    ));
  }

  /** [N, inChannels, H, W] images (H, W >= 63; 224 as published) -> [N, numClasses] logits. */
  forward(x: Tensor): Tensor {
    checkImageInput('alexnet', x, this.inChannels, MIN_SIZE);
    return this.classifier.call(this.avgpool.call(this.features.call(x)).flatten(1));
  }
}

/**
 * AlexNet with PyTorch's default initialisation (as torchvision's), config defaults: 1000
 * classes, 3 input channels, dropout 0.5.
 * @example const model = alexnet({ numClasses: 10, seed: 0 }); model.numParameters() // 57,044,810
 */
export function alexnet(config: AlexNetConfig = {}): AlexNet {
  return new AlexNet(config);
}
