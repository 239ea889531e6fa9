// The plain deep CNN of the depth comparison.
import { DepthCnn, type DepthCnnConfig } from './depth_cnn.js';

/**
 * A plain 6n+2-layer CNN (default 20 layers: 19 3x3 convolutions with BatchNorm and ReLU, then
 * global average pooling and a Linear): He et al.'s "plain-20", the baseline whose training
 * degrades with depth. Same parameters and names as `residualCnn` of the same config.
 * He, Zhang, Ren & Sun, "Deep residual learning for image recognition", CVPR 2016, §4.2.
 * @example const plain = plainCnn({ depth: 20, seed: 0 }); plain.call(x) // x [N, 1, 28, 28] -> [N, 10]
 */
export function plainCnn(config: DepthCnnConfig = {}): DepthCnn {
  return new DepthCnn(false, config);
}
