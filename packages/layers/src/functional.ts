// @tensile/layers/functional: the stateless forms (torch.nn.functional) the layers use, and
// core's ops that complete the set, in one import.
export { linear } from './functional/linear.js';
export { batchNorm, type BatchNormOptions } from './functional/batch_norm.js';
export { layerNorm, type LayerNormOptions } from './functional/layer_norm.js';
export { dropout, type DropoutOptions } from './functional/dropout.js';
export { embedding } from './functional/embedding.js';
export { rnnCell, lstmCell, gruCell, type CellMode } from './functional/recurrent.js';
export { scaledDotProductAttention, type ScaledDotProductAttentionOptions } from './functional/attention.js';
export { adaptiveAvgPool2d, globalAvgPool2d, type AdaptiveSize } from './functional/pooling.js';
export { crossEntropy, type CrossEntropyOptions } from './losses/cross_entropy.js';
export { nllLoss, type NLLLossOptions } from './losses/nll_loss.js';
export { binaryCrossEntropy, binaryCrossEntropyWithLogits, bceWithLogits, type BCEOptions, type BCEWithLogitsOptions } from './losses/binary_cross_entropy.js';
export { mseLoss } from './losses/mse_loss.js';
export { l1Loss } from './losses/l1_loss.js';
export { smoothL1Loss, huberLoss } from './losses/smooth_l1_loss.js';
export type { Reduction } from './losses/reduction.js';
export {
  conv2d, convTranspose2d, maxPool2d, minPool2d, avgPool2d, relu, leakyRelu, elu, gelu, sigmoid, tanh,
  softmax, logSoftmax, softplus, flatten,
} from '@tensile/core';
