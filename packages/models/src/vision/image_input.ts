// The input check every vision model runs first: [N, C, H, W] with the model's channel count
// and at least its smallest usable height and width.
import { ShapeError, fmt, type Tensor } from '@tensile/core';

/**
 * Throws a ShapeError naming the model, the argument and the shape when `x` is not
 * [N, inChannels, H, W] with H, W >= minSize (the smallest input the layers can shrink
 * without reaching an empty feature map); returns `x`.
 * @example checkImageInput('vgg16', x, 3, 32)
 */
export function checkImageInput(model: string, x: Tensor, inChannels: number, minSize: number): Tensor {
  if (x.rank !== 4) throw new ShapeError(`${model}: x must be a batch of images [N, ${inChannels}, H, W], got ${fmt(x.shape)}`);
  const [, c, h, w] = x.shape as [number, number, number, number];
  if (c !== inChannels) {
    throw new ShapeError(`${model}: x ${fmt(x.shape)} has ${c} channels but the model was built with inChannels = ${inChannels}`);
  }
  if (h < minSize || w < minSize) {
    throw new ShapeError(`${model}: x ${fmt(x.shape)} is ${h}x${w}, smaller than the ${minSize}x${minSize} minimum this architecture needs`);
  }
  return x;
}
