// @tensile/models: the model zoo. Each model is a `Module` built from a plain config object with
// defaults; where torchvision has the same architecture, state-dict keys and shapes match it.

// Classic: MLP and LeNet-5.
export { mlp, type MLPConfig } from './classic/mlp.js';
export { LeNet5, lenet5Classic, lenet5Modern, type LeNet5Config } from './classic/lenet.js';
export type { ActivationName } from './classic/activation.js';

// Vision: torchvision's architectures (AlexNet, VGG, GoogLeNet, ResNet), state dicts key for key.
export { type VisionConfig } from './vision/config.js';
export { AlexNet, alexnet, type AlexNetConfig } from './vision/alexnet.js';
export { VGG, vgg, vgg11, vgg11Bn, vgg16, vgg16Bn, VGG_LAYOUTS, type VggConfig, type VggSpec, type VggLayout } from './vision/vgg.js';
export {
  GoogLeNet, googlenet, BasicConv2d, Inception, InceptionAux, type GoogLeNetConfig, type GoogLeNetOutputs,
} from './vision/googlenet.js';
export {
  ResNet, resnet, resnet18, resnet34, resnet50, BasicBlock, Bottleneck, type ResNetBlock, type ResNetConfig, type ResNetSpec,
} from './vision/resnet.js';

// Summary: torchinfo-style tables (parameters, activation memory, MACs, receptive field).
export { summary, type ModelSummary, type SummaryRow, type SummaryOptions } from './summary/summary.js';
export { formatSummary } from './summary/format.js';
export { layerMacs, torchinfoMultAdds, type CallShapes } from './summary/macs.js';
export { fieldAfter, widest, INPUT_FIELD, type FieldState } from './summary/receptive_field.js';
