// Adaptive and global average pooling layers (torch.nn.AdaptiveAvgPool2d; Keras' GlobalAveragePooling2D).
import { ArgumentError, type Tensor } from '@tensile/core';
import { describe } from '../check.js';
import { adaptiveAvgPool2dImpl, globalAvgPool2dImpl, type AdaptiveSize } from '../functional/pooling.js';
import { Module } from '../module.js';

/**
 * Average pooling to a fixed output size whatever the input's: [N, C, H, W] -> [N, C, oh, ow].
 * @example new AdaptiveAvgPool2d(1) // ResNet's pooling before the classifier: [N, C, 1, 1]
 */
export class AdaptiveAvgPool2d extends Module {
  readonly outputSize: AdaptiveSize;

  constructor(outputSize: AdaptiveSize) {
    super();
    const ok = (d: unknown): boolean => d === null || (Number.isInteger(d) && (d as number) >= 1);
    if (!(typeof outputSize === 'number' ? ok(outputSize) : Array.isArray(outputSize) && outputSize.length === 2 && outputSize.every(ok))) {
      throw new ArgumentError(`AdaptiveAvgPool2d: outputSize must be a positive integer or [h, w] of them (null keeps the input size), got ${describe(outputSize)}`);
    }
    this.outputSize = outputSize;
  }

  forward(x: Tensor): Tensor {
    return adaptiveAvgPool2dImpl('AdaptiveAvgPool2d', x, this.outputSize);
  }

  override extraRepr(): string {
    return `output_size=${JSON.stringify(this.outputSize)}`;
  }
}

/**
 * The mean over H and W, flattened: [N, C, H, W] -> [N, C].
 * @example new Sequential(new Conv2d(3, 8, 3), new ReLU(), new GlobalAvgPool2d(), new Linear(8, 10))
 */
export class GlobalAvgPool2d extends Module {
  forward(x: Tensor): Tensor {
    return globalAvgPool2dImpl('GlobalAvgPool2d', x);
  }
}
