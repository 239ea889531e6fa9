// The shape plan DCGAN's generator and discriminator share, and the DCGAN-tutorial weight
// initialisation both apply.
import { ArgumentError } from '@tensile/core';
import { BatchNorm, Conv2d, ConvTranspose2d, deriveSeed, init, type AnyModule } from '@tensile/layers';

/** How an image size decomposes: a `base` x `base` map grown by `stages` stride-2 layers. */
export interface DcganPlan {
  /** The side of the smallest feature map (4 for 64x64, 7 for 28x28). */
  base: number;
  /** Stride-2 (de)convolutions between the base map and the image (4 for 64x64, 2 for 28x28). */
  stages: number;
}

/**
 * Halves the image size while it stays even and above 4: 64 -> 4 x 2^4 (the paper's and the
 * PyTorch tutorial's layout), 32 -> 4 x 2^3, 28 -> 7 x 2^2. Needs at least one halving.
 * @example dcganPlan('dcganGenerator', 28) // { base: 7, stages: 2 }
 */
export function dcganPlan(model: string, imageSize: number): DcganPlan {
  let base = imageSize, stages = 0;
  while (base % 2 === 0 && base > 4) {
    base /= 2;
    stages++;
  }
  if (stages === 0) {
    throw new ArgumentError(`${model}: 'imageSize' ${imageSize} must be an even number >= 6 (base x 2^k with k >= 1, e.g. 28 or 64), so that stride-2 layers reach it`);
  }
  return { base, stages };
}

/**
 * The DCGAN weight initialisation (Radford et al. 2016, and the PyTorch tutorial's
 * `weights_init`): every convolution's weight ~ N(0, 0.02), every BatchNorm's weight
 * ~ N(1, 0.02) and bias 0. Layer i draws from Philox stream i of `seed` when one is given.
 * @example dcganInit(generator, 1);
 */
export function dcganInit(model: AnyModule, seed?: number): void {
  let i = 0;
  const next = (): number | undefined => (seed === undefined ? undefined : deriveSeed(seed, ++i));
  for (const m of model.modules()) {
    if (m instanceof Conv2d || m instanceof ConvTranspose2d) {
      init.normal(m.weight, { mean: 0, std: 0.02, seed: next() });
      if (m.bias) init.zeros(m.bias);
    } else if (m instanceof BatchNorm) {
      if (m.weight) init.normal(m.weight, { mean: 1, std: 0.02, seed: next() });
      if (m.bias) init.zeros(m.bias);
    }
  }
}
