// The Transform type and compose().
import { ArgumentError, tidy, type Tensor } from '@tensile/core';
import { describe } from '../check.js';

/**
 * A transform maps an image tensor to a new one: a batch [N, C, H, W] or one sample [C, H, W]
 * (float32, PyTorch's NCHW). Random transforms hold a seeded stream: the same seed and the
 * same sequence of calls give the same outputs, and each sample of a batch gets its own draw.
 */
export type Transform = (x: Tensor) => Tensor;

/**
 * Chains transforms, applied left to right (torchvision's Compose); intermediates are freed.
 * @example const augment = compose([randomCrop(28, { padding: 4, seed: 1 }), randomHorizontalFlip({ seed: 2 }), normalise(0.286, 0.353)]);
 */
export function compose(transforms: readonly Transform[]): Transform {
  if (!Array.isArray(transforms)) throw new ArgumentError(`compose: transforms must be an array of functions, got ${describe(transforms)}`);
  transforms.forEach((t, i) => {
    if (typeof t !== 'function') throw new ArgumentError(`compose: transforms[${i}] must be a function, got ${describe(t)}`);
  });
  const list = [...transforms];
  return (x) => tidy(() => list.reduce((y, t) => t(y), x));
}
