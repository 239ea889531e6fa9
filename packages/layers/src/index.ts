// @tensile/layers: PyTorch-style modules, layers, losses and initializers.
// The stateless forms are in '@tensile/layers/functional'.
export { Module, moduleName, type AnyModule, type NamedOptions, type LoadStateDictOptions, type LoadResult } from './module.js';
export type { ForwardHook, ForwardPreHook, HookHandle } from './hooks.js';
export { StateDictError, type StateDict, type ShapeMismatch } from './state_dict.js';
export { Sequential, type TensorModule } from './sequential.js';
export { ModuleList } from './module_list.js';
export { ModuleDict } from './module_dict.js';
export * as init from './init.js';
export type { InitTarget, Nonlinearity, FanMode, KaimingOptions } from './init.js';
export { deriveSeed } from './seed.js';
export { Linear, type LinearOptions } from './layers/linear.js';
export { Conv2d } from './layers/conv2d.js';
export type { ConvOptions, ParamInit } from './layers/conv_options.js';
export { ConvTranspose2d, type ConvTranspose2dOptions } from './layers/conv_transpose2d.js';
export { MaxPool2d, MinPool2d, AvgPool2d, type Pool2dOptions, type AvgPool2dOptions } from './layers/pool2d.js';
export { AdaptiveAvgPool2d, GlobalAvgPool2d } from './layers/adaptive_avg_pool2d.js';
export { Dropout } from './layers/dropout.js';
export { BatchNorm, BatchNorm1d, BatchNorm2d, type BatchNormConfig } from './layers/batch_norm.js';
export { LayerNorm, type LayerNormConfig } from './layers/layer_norm.js';
export { Flatten } from './layers/flatten.js';
export { Identity } from './layers/identity.js';
export { ReLU, LeakyReLU, ELU, GELU, Sigmoid, Tanh, Softmax, LogSoftmax } from './layers/activations.js';
export { Embedding, type EmbeddingOptions } from './layers/embedding.js';
export { Residual } from './layers/residual.js';
export { Loss } from './losses/loss.js';
export { CrossEntropyLoss } from './losses/cross_entropy.js';
export { NLLLoss } from './losses/nll_loss.js';
export { BCELoss, BCEWithLogitsLoss } from './losses/binary_cross_entropy.js';
export { MSELoss } from './losses/mse_loss.js';
export { L1Loss } from './losses/l1_loss.js';
export { SmoothL1Loss, HuberLoss } from './losses/smooth_l1_loss.js';
export type { Reduction } from './losses/reduction.js';
export { fit, evaluate, type FitOptions, type EvaluateOptions, type LossFn, type BatchSource, type ProgressInfo } from './fit.js';
export { EarlyStopping, LRSchedulerCallback, Monitor, type Callback, type FitContext, type EpochLogs, type History, type OptimizerLike, type SchedulerLike, type MonitorMode, type EarlyStoppingOptions, type LRSchedulerCallbackOptions } from './callbacks.js';
export { accuracy, type Metric, type MetricName } from './metrics.js';
export { ModelCheckpoint, type ModelCheckpointOptions, type CheckpointInfo } from './checkpoint.js';
export { saveSafetensors, loadSafetensors, parseSafetensorsHeader, saveWeights, loadWeights, floatToHalf, halfToFloat, SafetensorsError, type SafetensorsProblem, type SafetensorsDType, type SafetensorsEntry, type SafetensorsHeader, type SaveSafetensorsOptions } from './safetensors.js';
export { RecurrentBase, RecurrentCellBase, type RecurrentOptions, type RecurrentWeights, type RecurrentResult, type CellOptions } from './layers/recurrent_base.js';
export { RNN, RNNCell, type RNNOptions } from './layers/rnn.js';
export { LSTM, LSTMCell, type LSTMState, type LSTMOptions } from './layers/lstm.js';
export { GRU, GRUCell } from './layers/gru.js';
export { MultiheadAttention, type MultiheadAttentionOptions, type MultiheadAttentionCallOptions } from './layers/multihead_attention.js';
export {
  TransformerEncoderLayer, TransformerEncoder, generateSquareSubsequentMask, type TransformerActivation, type TransformerEncoderLayerOptions,
  type TransformerEncoderLayerCallOptions, type TransformerEncoderLayerConfig, type TransformerEncoderOptions, type TransformerEncoderCallOptions,
} from './layers/transformer_encoder.js';
