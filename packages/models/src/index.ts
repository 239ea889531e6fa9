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

// Sequence models, DCGAN and the Siamese network (wip-zoo-seqgen).
export { RecurrentClassifier, lstmClassifier, gruClassifier, type RecurrentClassifierConfig, type ResolvedRecurrentClassifierConfig, type RecurrentPooling, type RecurrentCellKind } from './sequence/recurrent_classifier.js';
export { TransformerClassifier, transformerClassifier, type TransformerClassifierConfig, type ResolvedTransformerClassifierConfig, type TransformerPooling } from './sequence/transformer_classifier.js';
export { dcganPlan, dcganInit, type DcganPlan } from './generative/dcgan_layout.js';
export { DcganGenerator, dcganGenerator, type DcganGeneratorConfig } from './generative/dcgan_generator.js';
export { DcganDiscriminator, dcganDiscriminator, type DcganDiscriminatorConfig } from './generative/dcgan_discriminator.js';
export { siameseEmbeddingNet, type EmbeddingNetConfig } from './siamese/embedding_net.js';
export { SiameseNetwork, siameseNetwork, type SiameseNetworkConfig, type SiameseOutput } from './siamese/siamese_network.js';
export { pairwiseDistance } from './siamese/pairwise_distance.js';
export { contrastiveLoss, type ContrastiveLossOptions } from './siamese/contrastive_loss.js';

// Transfer learning: freezing, head replacement, discriminative learning rates.
export { freeze, unfreeze, isFrozen, type FreezeOptions } from './transfer/freeze.js';
export { replaceHead, type NewHeadConfig, type ReplaceHeadOptions } from './transfer/replace_head.js';
export { paramGroups, type PrefixGroup, type PrefixedParamGroup, type ParamGroupsOptions } from './transfer/param_groups.js';

// Depth: a plain deep CNN and its residual twin (the residual-connection demonstration).
export { plainCnn } from './depth/plain_cnn.js';
export { residualCnn } from './depth/residual_cnn.js';
export { DepthCnn, type DepthCnnConfig } from './depth/depth_cnn.js';
export { TwoConvBlock } from './depth/two_conv_block.js';
export { ZeroPadShortcut } from './depth/zero_pad_shortcut.js';

// Summary: torchinfo-style tables (parameters, activation memory, MACs, receptive field).
export { summary, type ModelSummary, type SummaryRow, type SummaryOptions } from './summary/summary.js';
export { formatSummary } from './summary/format.js';
export { layerMacs, torchinfoMultAdds, type CallShapes } from './summary/macs.js';
export { fieldAfter, widest, INPUT_FIELD, type FieldState } from './summary/receptive_field.js';
