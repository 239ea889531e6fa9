// GoogLeNet / Inception v1 (Szegedy et al., "Going Deeper with Convolutions", CVPR 2015), as
// torchvision builds it: every convolution is followed by BatchNorm (eps 0.001), and the "5x5"
// branch uses a 3x3 kernel (torchvision issue #906, kept so its weights load).
import { ArgumentError, DisposedError, concat, tidy, type Tensor } from '@tensile/core';
import {
  AdaptiveAvgPool2d, BatchNorm2d, Conv2d, Dropout, Linear, MaxPool2d, Module, Sequential, moduleName,
  type Pool2dOptions,
} from '@tensile/layers';
import { checkProbability, visionConfig, type CheckedVisionConfig, type VisionConfig } from './config.js';
import { normal001 } from './inits.js';
import { checkImageInput } from './image_input.js';

/** Where a block's layers get their initial values and dropout seeds (the model's seed and skipInit). */
export type BlockInit = Pick<CheckedVisionConfig, 'paramOptions' | 'nextSeed'>;

/** Without a model: the global stream. */
const UNSEEDED: BlockInit = visionConfig('googlenet', {});

/**
 * Convolution without bias, BatchNorm (eps 0.001) and ReLU: torchvision's BasicConv2d.
 * @example new BasicConv2d(192, 64, 1)
 */
export class BasicConv2d extends Module {
  readonly conv: Conv2d;
  readonly bn: BatchNorm2d;

  constructor(inC: number, outC: number, kernelSize: number, opts: { stride?: number; padding?: number } = {}, cfg: BlockInit = UNSEEDED) {
    super();
    this.conv = this.module('conv', new Conv2d(inC, outC, kernelSize, { ...opts, bias: false, ...cfg.paramOptions(normal001) }));
    this.bn = this.module('bn', new BatchNorm2d(outC, { eps: 0.001 }));
  }

  forward(x: Tensor): Tensor {
    return this.bn.call(this.conv.call(x)).relu();
  }
}

/** Max-pooling that rounds the output size up, as GoogLeNet's (Caffe's) pools. */
function ceilPool(kernelSize: number, opts: Pool2dOptions = {}): MaxPool2d {
  return new MaxPool2d(kernelSize, { ...opts, ceilMode: true });
}

/**
 * An inception module: 1x1, 1x1 -> 3x3, 1x1 -> 3x3 ("5x5") and 3x3 max-pool -> 1x1 branches,
 * concatenated along channels (ch1x1 + ch3x3 + ch5x5 + poolProj outputs).
 * @example new Inception(192, 64, 96, 128, 16, 32, 32) // inception (3a): 256 channels out
 */
export class Inception extends Module {
  readonly branch1: BasicConv2d;
  readonly branch2: Sequential;
  readonly branch3: Sequential;
  readonly branch4: Sequential;

  constructor(inC: number, ch1x1: number, ch3x3red: number, ch3x3: number, ch5x5red: number, ch5x5: number, poolProj: number, cfg: BlockInit = UNSEEDED) {
    super();
    this.branch1 = this.module('branch1', new BasicConv2d(inC, ch1x1, 1, {}, cfg));
    this.branch2 = this.module('branch2', new Sequential(
      new BasicConv2d(inC, ch3x3red, 1, {}, cfg), new BasicConv2d(ch3x3red, ch3x3, 3, { padding: 1 }, cfg)));
    this.branch3 = this.module('branch3', new Sequential(
      new BasicConv2d(inC, ch5x5red, 1, {}, cfg), new BasicConv2d(ch5x5red, ch5x5, 3, { padding: 1 }, cfg)));
    this.branch4 = this.module('branch4', new Sequential(
      ceilPool(3, { stride: 1, padding: 1 }), new BasicConv2d(inC, poolProj, 1, {}, cfg)));
  }

  forward(x: Tensor): Tensor {
    return concat([this.branch1.call(x), this.branch2.call(x), this.branch3.call(x), this.branch4.call(x)], 1);
  }
}

/**
 * An auxiliary classifier on an intermediate feature map: 4x4 average pooling, a 1x1
 * convolution to 128 channels, fc1 (2048 -> 1024) with ReLU, dropout and fc2 to the classes.
 * @example new InceptionAux(512, 1000)
 */
export class InceptionAux extends Module {
  readonly conv: BasicConv2d;
  readonly fc1: Linear;
  readonly fc2: Linear;
  readonly dropout: Dropout;
  readonly #pool = new AdaptiveAvgPool2d(4);

  constructor(inC: number, numClasses: number, dropout = 0.7, cfg: BlockInit = UNSEEDED) {
    super();
    this.conv = this.module('conv', new BasicConv2d(inC, 128, 1, {}, cfg));
    this.fc1 = this.module('fc1', new Linear(2048, 1024, cfg.paramOptions(normal001)));
    this.fc2 = this.module('fc2', new Linear(1024, numClasses, cfg.paramOptions(normal001)));
    this.dropout = this.module('dropout', new Dropout(dropout, cfg.nextSeed()));
  }

  forward(x: Tensor): Tensor {
    const h = this.conv.call(this.#pool.call(x)).flatten(1);
    return this.fc2.call(this.dropout.call(this.fc1.call(h).relu()));
  }
}

export interface GoogLeNetConfig extends VisionConfig {
  /** Build the two auxiliary classifiers (aux1 after inception 4a, aux2 after 4d; default false). */
  auxLogits?: boolean;
  /**
   * Map inputs normalised with mean 0.5, std 0.5 per channel to ImageNet's normalisation
   * (torchvision's transform_input, on for its pretrained weights; needs 3 channels; default false).
   */
  transformInput?: boolean;
  /** Dropout before the classifier (default 0.2). */
  dropout?: number;
  /** Dropout inside the auxiliary classifiers (default 0.7). */
  dropoutAux?: number;
}

/**
 * All three heads' logits, [N, numClasses] each. aux1 and aux2 are null unless the model has
 * auxiliary classifiers and is in training mode (torchvision's GoogLeNetOutputs).
 */
export interface GoogLeNetOutputs {
  logits: Tensor;
  aux2: Tensor | null;
  aux1: Tensor | null;
}

/** 15x15 is the smallest input that leaves the third ceil-mode max-pool a 1x1 map (torchvision's min_size). */
const MIN_SIZE = 15;

/** torchvision's transform_input: per channel, x * std / 0.5 + (mean - 0.5) / 0.5 with ImageNet's mean and std. */
const IMAGENET_MEAN = [0.485, 0.456, 0.406], IMAGENET_STD = [0.229, 0.224, 0.225];

/**
 * GoogLeNet: a convolutional stem, nine inception modules (3a-5b) with max-pools between the
 * stages, global average pooling, dropout and `fc`; optionally two auxiliary classifiers
 * (`aux1`, `aux2`) used in training. Initialised as torchvision: convolution and Linear weights
 * N(0, 0.01^2), Linear biases PyTorch's default.
 *
 * Outputs: `call(x)` always returns the main logits [N, numClasses] (so `fit`, `evaluate` and
 * `Sequential` use it like any classifier). In training, `callWithAux(x)` also returns the
 * auxiliary logits, which the paper adds to the loss with weight 0.3:
 *   const { logits, aux1, aux2 } = model.callWithAux(x);
 * Build it with `googlenet(config)`.
 */
export class GoogLeNet extends Module {
  readonly conv1: BasicConv2d;
  readonly maxpool1: MaxPool2d;
  readonly conv2: BasicConv2d;
  readonly conv3: BasicConv2d;
  readonly maxpool2: MaxPool2d;
  readonly inception3a: Inception;
  readonly inception3b: Inception;
  readonly maxpool3: MaxPool2d;
  readonly inception4a: Inception;
  readonly inception4b: Inception;
  readonly inception4c: Inception;
  readonly inception4d: Inception;
  readonly inception4e: Inception;
  readonly maxpool4: MaxPool2d;
  readonly inception5a: Inception;
  readonly inception5b: Inception;
  readonly aux1: InceptionAux | null;
  readonly aux2: InceptionAux | null;
  readonly avgpool: AdaptiveAvgPool2d;
  readonly dropout: Dropout;
  readonly fc: Linear;
  readonly inChannels: number;
  readonly numClasses: number;
  readonly auxLogits: boolean;
  readonly transformInput: boolean;

  constructor(config: GoogLeNetConfig = {}) {
    super();
    const cfg = visionConfig('googlenet', config);
    const { numClasses, inChannels } = cfg;
    const p = checkProbability('googlenet', config.dropout, 'dropout', 0.2);
    const pAux = checkProbability('googlenet', config.dropoutAux, 'dropoutAux', 0.7);
    this.auxLogits = config.auxLogits ?? false;
    this.transformInput = config.transformInput ?? false;
    if (this.transformInput && inChannels !== 3) {
      throw new ArgumentError(`googlenet: transformInput maps the 3 RGB channels, but inChannels is ${inChannels}`);
    }
    this.inChannels = inChannels;
    this.numClasses = numClasses;
    const inc = (...c: [number, number, number, number, number, number, number]): Inception => new Inception(...c, cfg);
    this.conv1 = this.module('conv1', new BasicConv2d(inChannels, 64, 7, { stride: 2, padding: 3 }, cfg));
    this.maxpool1 = this.module('maxpool1', ceilPool(3, { stride: 2 }));
    this.conv2 = this.module('conv2', new BasicConv2d(64, 64, 1, {}, cfg));
    this.conv3 = this.module('conv3', new BasicConv2d(64, 192, 3, { padding: 1 }, cfg));
    this.maxpool2 = this.module('maxpool2', ceilPool(3, { stride: 2 }));
    this.inception3a = this.module('inception3a', inc(192, 64, 96, 128, 16, 32, 32));
    this.inception3b = this.module('inception3b', inc(256, 128, 128, 192, 32, 96, 64));
    this.maxpool3 = this.module('maxpool3', ceilPool(3, { stride: 2 }));
    this.inception4a = this.module('inception4a', inc(480, 192, 96, 208, 16, 48, 64));
    this.inception4b = this.module('inception4b', inc(512, 160, 112, 224, 24, 64, 64));
    this.inception4c = this.module('inception4c', inc(512, 128, 128, 256, 24, 64, 64));
    this.inception4d = this.module('inception4d', inc(512, 112, 144, 288, 32, 64, 64));
    this.inception4e = this.module('inception4e', inc(528, 256, 160, 320, 32, 128, 128));
    this.maxpool4 = this.module('maxpool4', ceilPool(2, { stride: 2 }));
    this.inception5a = this.module('inception5a', inc(832, 256, 160, 320, 32, 128, 128));
    this.inception5b = this.module('inception5b', inc(832, 384, 192, 384, 48, 128, 128));
    this.aux1 = this.auxLogits ? this.module('aux1', new InceptionAux(512, numClasses, pAux, cfg)) : null;
    this.aux2 = this.auxLogits ? this.module('aux2', new InceptionAux(528, numClasses, pAux, cfg)) : null;
    this.avgpool = this.module('avgpool', new AdaptiveAvgPool2d(1));
    this.dropout = this.module('dropout', new Dropout(p, cfg.nextSeed()));
    this.fc = this.module('fc', new Linear(1024, numClasses, cfg.paramOptions(normal001)));
  }

  /** The three heads; the auxiliary ones run only in training with auxLogits. */
  #run(xIn: Tensor): GoogLeNetOutputs {
    let x = checkImageInput('googlenet', xIn, this.inChannels, MIN_SIZE);
    if (this.transformInput) {
      const scale = IMAGENET_STD.map((s) => s / 0.5), shift = IMAGENET_MEAN.map((m) => (m - 0.5) / 0.5);
      x = concat([0, 1, 2].map((c) => x.slice([0, c, 0, 0], [null, c + 1, null, null]).mul(scale[c]!).add(shift[c]!)), 1);
    }
    const withAux = this.training && this.auxLogits;
    x = this.maxpool1.call(this.conv1.call(x));
    x = this.maxpool2.call(this.conv3.call(this.conv2.call(x)));
    x = this.maxpool3.call(this.inception3b.call(this.inception3a.call(x)));
    x = this.inception4a.call(x);
    const aux1 = withAux ? this.aux1!.call(x) : null;
    x = this.inception4d.call(this.inception4c.call(this.inception4b.call(x)));
    const aux2 = withAux ? this.aux2!.call(x) : null;
    x = this.maxpool4.call(this.inception4e.call(x));
    x = this.inception5b.call(this.inception5a.call(x));
    const logits = this.fc.call(this.dropout.call(this.avgpool.call(x).flatten(1)));
    return { logits, aux2, aux1 };
  }

  /** [N, inChannels, H, W] images (H, W >= 15; 224 as published) -> [N, numClasses] main logits. */
  forward(x: Tensor): Tensor {
    return this.#run(x).logits;
  }

  /**
   * The main and auxiliary logits (aux1, aux2 null in evaluation mode or without auxLogits),
   * in a tidy scope like `call`.
   * @example const { logits, aux1, aux2 } = model.callWithAux(x); // loss = ce(logits) + 0.3 (ce(aux1) + ce(aux2))
   */
  callWithAux(x: Tensor): GoogLeNetOutputs {
    if (this.isDisposed) throw new DisposedError(`${moduleName(this)}: the module was disposed`);
    return tidy(() => this.#run(x) as unknown as { [k: string]: Tensor | null }) as unknown as GoogLeNetOutputs;
  }
}

/**
 * GoogLeNet (Inception v1): 6,624,904 parameters at 1000 classes without the auxiliary
 * classifiers, 13,004,888 with them.
 * @example const model = googlenet({ numClasses: 10, auxLogits: true }); model.train(); const { logits, aux1, aux2 } = model.callWithAux(x);
 */
export function googlenet(config: GoogLeNetConfig = {}): GoogLeNet {
  return new GoogLeNet(config);
}
