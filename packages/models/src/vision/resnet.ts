// ResNet (He, Zhang, Ren & Sun, "Deep Residual Learning for Image Recognition", CVPR 2016), as
// torchvision builds it (v1.5: the stride of a bottleneck sits on its 3x3 convolution).
import { ArgumentError, ShapeError, fmt, type Tensor } from '@tensile/core';
import { AdaptiveAvgPool2d, BatchNorm2d, Conv2d, Linear, MaxPool2d, Module, ReLU, Sequential, init } from '@tensile/layers';
import { visionConfig, type CheckedVisionConfig, type VisionConfig } from './config.js';
import { heNormalFanOut } from './inits.js';
import { checkImageInput } from './image_input.js';

/** Where a block's layers get their initial values (the model's seeds and skipInit). */
export type BlockInit = Pick<CheckedVisionConfig, 'paramOptions'>;

/** Without a model: PyTorch's default draws from the global stream. */
const UNSEEDED: BlockInit = visionConfig('resnet', {});

/** A bias-free convolution initialised He-normal over fan_out, as torchvision's ResNet. */
function conv(inC: number, outC: number, k: number, stride: number, padding: number, cfg: BlockInit): Conv2d {
  return new Conv2d(inC, outC, k, { stride, padding, bias: false, ...cfg.paramOptions(heNormalFanOut) });
}

/** The block's shortcut when the shape changes: a strided 1x1 convolution and BatchNorm (option B of the paper). */
function downsample(inC: number, outC: number, stride: number, cfg: BlockInit): Sequential {
  return new Sequential(conv(inC, outC, 1, stride, 0, cfg), new BatchNorm2d(outC));
}

/** Adds the shortcut and applies the block's `relu` module again, as torchvision (so hooks see that call). */
function merge(block: string, out: Tensor, identity: Tensor, relu: ReLU): Tensor {
  if (out.shape.some((d, i) => d !== identity.shape[i])) {
    throw new ShapeError(`${block}: the residual ${fmt(out.shape)} and the shortcut ${fmt(identity.shape)} differ in shape`);
  }
  return relu.call(out.add(identity));
}

/**
 * Two 3x3 convolutions with BatchNorm and a shortcut (ResNet-18/34): inplanes -> planes channels.
 * @example new BasicBlock(64, 128, 2) // halves H and W, with a 1x1 downsample shortcut
 */
export class BasicBlock extends Module {
  /** Output channels per `planes`. */
  static readonly expansion = 1;
  readonly conv1: Conv2d;
  readonly bn1: BatchNorm2d;
  readonly relu: ReLU;
  readonly conv2: Conv2d;
  readonly bn2: BatchNorm2d;
  readonly downsample: Sequential | null;

  constructor(inplanes: number, planes: number, stride = 1, cfg: BlockInit = UNSEEDED) {
    super();
    this.conv1 = this.module('conv1', conv(inplanes, planes, 3, stride, 1, cfg));
    this.bn1 = this.module('bn1', new BatchNorm2d(planes));
    this.relu = this.module('relu', new ReLU());
    this.conv2 = this.module('conv2', conv(planes, planes, 3, 1, 1, cfg));
    this.bn2 = this.module('bn2', new BatchNorm2d(planes));
    const needs = stride !== 1 || inplanes !== planes;
    this.downsample = needs ? this.module('downsample', downsample(inplanes, planes, stride, cfg)) : null;
  }

  forward(x: Tensor): Tensor {
    const out = this.bn2.call(this.conv2.call(this.relu.call(this.bn1.call(this.conv1.call(x)))));
    return merge('BasicBlock', out, this.downsample ? this.downsample.call(x) : x, this.relu);
  }
}

/**
 * 1x1 reduce, 3x3 (strided), 1x1 expand to 4 planes, with BatchNorm and a shortcut (ResNet-50 and up).
 * @example new Bottleneck(256, 64) // 256 -> 64 -> 64 -> 256 channels
 */
export class Bottleneck extends Module {
  /** Output channels per `planes`. */
  static readonly expansion = 4;
  readonly conv1: Conv2d;
  readonly bn1: BatchNorm2d;
  readonly conv2: Conv2d;
  readonly bn2: BatchNorm2d;
  readonly conv3: Conv2d;
  readonly bn3: BatchNorm2d;
  readonly relu: ReLU;
  readonly downsample: Sequential | null;

  constructor(inplanes: number, planes: number, stride = 1, cfg: BlockInit = UNSEEDED) {
    super();
    const outC = planes * Bottleneck.expansion;
    this.conv1 = this.module('conv1', conv(inplanes, planes, 1, 1, 0, cfg));
    this.bn1 = this.module('bn1', new BatchNorm2d(planes));
    this.conv2 = this.module('conv2', conv(planes, planes, 3, stride, 1, cfg));
    this.bn2 = this.module('bn2', new BatchNorm2d(planes));
    this.conv3 = this.module('conv3', conv(planes, outC, 1, 1, 0, cfg));
    this.bn3 = this.module('bn3', new BatchNorm2d(outC));
    this.relu = this.module('relu', new ReLU());
    const needs = stride !== 1 || inplanes !== outC;
    this.downsample = needs ? this.module('downsample', downsample(inplanes, outC, stride, cfg)) : null;
  }

  forward(x: Tensor): Tensor {
    let out = this.relu.call(this.bn1.call(this.conv1.call(x)));
    out = this.relu.call(this.bn2.call(this.conv2.call(out)));
    out = this.bn3.call(this.conv3.call(out));
    return merge('Bottleneck', out, this.downsample ? this.downsample.call(x) : x, this.relu);
  }
}

/** Which residual block a ResNet stacks: 'basic' (BasicBlock) or 'bottleneck' (Bottleneck). */
export type ResNetBlock = 'basic' | 'bottleneck';

export interface ResNetSpec extends VisionConfig {
  /** The block of every stage. */
  block: ResNetBlock;
  /** Blocks per stage, four stages ([2, 2, 2, 2] is ResNet-18). */
  layers: readonly [number, number, number, number];
  /** Planes of the four stages (default [64, 128, 256, 512]); the stem has widths[0] channels. Smaller widths give a narrow ResNet. */
  widths?: readonly [number, number, number, number];
  /** Start each block's last BatchNorm at weight 0, so each block starts as the identity (Goyal et al. 2017; default false). */
  zeroInitResidual?: boolean;
  /** The model's name in errors (default 'resnet'). */
  name?: string;
}

export type ResNetConfig = VisionConfig & Pick<ResNetSpec, 'zeroInitResidual'>;

/**
 * ResNet: a 7x7/2 convolution with BatchNorm, ReLU and a 3x3/2 max-pool (the stem), four
 * stages of residual blocks (`layer1`..`layer4`, stages 2-4 halve H and W), global average
 * pooling and `fc`. Initialised as torchvision: convolutions He-normal (fan_out), BatchNorm 1/0,
 * `fc` PyTorch's default. Build it with `resnet18`, `resnet34`, `resnet50` or `resnet(spec)`.
 */
export class ResNet extends Module {
  readonly conv1: Conv2d;
  readonly bn1: BatchNorm2d;
  readonly relu: ReLU;
  readonly maxpool: MaxPool2d;
  readonly layer1: Sequential;
  readonly layer2: Sequential;
  readonly layer3: Sequential;
  readonly layer4: Sequential;
  readonly avgpool: AdaptiveAvgPool2d;
  readonly fc: Linear;
  readonly inChannels: number;
  readonly numClasses: number;
  readonly name: string;

  constructor(spec: ResNetSpec) {
    super();
    const name = spec.name ?? 'resnet';
    const cfg = visionConfig(name, spec);
    const { numClasses, inChannels } = cfg;
    if (spec.block !== 'basic' && spec.block !== 'bottleneck') {
      throw new ArgumentError(`${name}: block must be 'basic' or 'bottleneck', got ${JSON.stringify(spec.block)}`);
    }
    const quad = (v: unknown, min: number): v is [number, number, number, number] =>
      Array.isArray(v) && v.length === 4 && v.every((n) => Number.isInteger(n) && n >= min);
    if (!quad(spec.layers, 1)) throw new ArgumentError(`${name}: layers must be four positive block counts, got ${JSON.stringify(spec.layers)}`);
    const widths = spec.widths ?? [64, 128, 256, 512];
    if (!quad(widths, 1)) throw new ArgumentError(`${name}: widths must be four positive channel counts, got ${JSON.stringify(spec.widths)}`);
    this.name = name;
    this.inChannels = inChannels;
    this.numClasses = numClasses;
    const Block = spec.block === 'basic' ? BasicBlock : Bottleneck;
    this.conv1 = this.module('conv1', conv(inChannels, widths[0], 7, 2, 3, cfg));
    this.bn1 = this.module('bn1', new BatchNorm2d(widths[0]));
    this.relu = this.module('relu', new ReLU());
    this.maxpool = this.module('maxpool', new MaxPool2d(3, { stride: 2, padding: 1 }));
    let inplanes = widths[0];
    const stage = (planes: number, blocks: number, stride: number): Sequential => {
      const list = [new Block(inplanes, planes, stride, cfg)];
      inplanes = planes * Block.expansion;
      for (let i = 1; i < blocks; i++) list.push(new Block(inplanes, planes, 1, cfg));
      return new Sequential(...list);
    };
    this.layer1 = this.module('layer1', stage(widths[0], spec.layers[0], 1));
    this.layer2 = this.module('layer2', stage(widths[1], spec.layers[1], 2));
    this.layer3 = this.module('layer3', stage(widths[2], spec.layers[2], 2));
    this.layer4 = this.module('layer4', stage(widths[3], spec.layers[3], 2));
    this.avgpool = this.module('avgpool', new AdaptiveAvgPool2d(1));
    this.fc = this.module('fc', new Linear(inplanes, numClasses, cfg.paramOptions()));
    if (spec.zeroInitResidual) {
      for (const m of this.modules()) {
        if (m instanceof Bottleneck) init.zeros(m.bn3.weight!);
        else if (m instanceof BasicBlock) init.zeros(m.bn2.weight!);
      }
    }
  }

  /** [N, inChannels, H, W] images (any H, W >= 1; 224 as published) -> [N, numClasses] logits. */
  forward(x: Tensor): Tensor {
    checkImageInput(this.name, x, this.inChannels, 1);
    const stem = this.maxpool.call(this.relu.call(this.bn1.call(this.conv1.call(x))));
    const features = this.layer4.call(this.layer3.call(this.layer2.call(this.layer1.call(stem))));
    return this.fc.call(this.avgpool.call(features).flatten(1));
  }
}

/**
 * A ResNet of any depth and width, e.g. a narrow one for small images or tests.
 * @example const small = resnet({ block: 'basic', layers: [1, 1, 1, 1], widths: [8, 16, 32, 64], numClasses: 10, inChannels: 1 });
 */
export function resnet(spec: ResNetSpec): ResNet {
  return new ResNet(spec);
}

/**
 * ResNet-18: basic blocks [2, 2, 2, 2], 11,689,512 parameters at 1000 classes.
 * @example const model = resnet18({ numClasses: 10, inChannels: 1 });
 */
export function resnet18(config: ResNetConfig = {}): ResNet {
  return new ResNet({ ...config, block: 'basic', layers: [2, 2, 2, 2], name: 'resnet18' });
}

/**
 * ResNet-34: basic blocks [3, 4, 6, 3], 21,797,672 parameters at 1000 classes.
 * @example const model = resnet34();
 */
export function resnet34(config: ResNetConfig = {}): ResNet {
  return new ResNet({ ...config, block: 'basic', layers: [3, 4, 6, 3], name: 'resnet34' });
}

/**
 * ResNet-50: bottlenecks [3, 4, 6, 3], 25,557,032 parameters at 1000 classes.
 * @example const model = resnet50({ zeroInitResidual: true });
 */
export function resnet50(config: ResNetConfig = {}): ResNet {
  return new ResNet({ ...config, block: 'bottleneck', layers: [3, 4, 6, 3], name: 'resnet50' });
}
