// The residual deep CNN of the depth comparison.
import { DepthCnn, type DepthCnnConfig } from './depth_cnn.js';

/**
 * ResNet-20 (6n+2 layers) for 28x28 images: `plainCnn` with an identity shortcut around every
 * two convolutions (option A: subsampled, zero-padded where a stage widens), so it has exactly
 * the plain model's parameters and, for one seed, its initial weights.
 * He, Zhang, Ren & Sun, "Deep residual learning for image recognition", CVPR 2016, §4.2.
 * @example const resnet20 = residualCnn({ depth: 20, seed: 0 }); resnet20.numParameters() // 269,434
 */
export function residualCnn(config: DepthCnnConfig = {}): DepthCnn {
  return new DepthCnn(true, config);
}
