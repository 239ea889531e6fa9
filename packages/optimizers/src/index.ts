// @tensile/optimizers: PyTorch-style optimizers, learning-rate schedulers and gradient clipping.
export {
  Optimizer, type OptimizerOptions, type ParamGroup, type ParamGroupInput, type Params, type ParamState,
  type SavedTensor, type OptimizerStateDict, type SchedulerFields,
} from './optimizer.js';
export { SGD, type SGDOptions } from './sgd.js';
export { Adagrad, type AdagradOptions } from './adagrad.js';
export { RMSprop, type RMSpropOptions } from './rmsprop.js';
export { AdamBase, type AdamOptions } from './adam_base.js';
export { Adam } from './adam.js';
export { AdamW, type AdamWOptions } from './adamw.js';
export { clipGradNorm_, clipGradValue_, type GradParams } from './clip_grad.js';
export { LRScheduler, type SchedulerStateDict } from './schedulers/lr_scheduler.js';
export { StepLR, type StepLROptions } from './schedulers/step_lr.js';
export { MultiStepLR, type MultiStepLROptions } from './schedulers/multi_step_lr.js';
export { ExponentialLR, type ExponentialLROptions } from './schedulers/exponential_lr.js';
export { CosineAnnealingLR, type CosineAnnealingLROptions } from './schedulers/cosine_annealing_lr.js';
export { LinearLR, type LinearLROptions } from './schedulers/linear_lr.js';
export { OneCycleLR, type OneCycleLROptions } from './schedulers/one_cycle_lr.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './schedulers/reduce_lr_on_plateau.js';
