// @tensile/core: tensors, ops, autograd, memory and the backend contract.
export { Tensor, type NestedValues } from './tensor.js';
export * from './dtype.js';
export * from './errors.js';
export * from './backend/backend.js';
export * from './backend/kernels.js';
export { registerBackend, removeBackend, setBackend, getBackend, getBackendName, listBackends } from './backend/registry.js';
export { toBackend, backendOf } from './backend/to_backend.js';
export * as shapeUtil from './util/shape.js';
export { philox4x32, philoxWords, philoxFill, philoxBlocks } from './random/philox.js';
export { tidy, tidyAsync, keep, dispose, memory, resetPeakMemory, liveTensors, type MemoryInfo, type TensorContainer } from './engine/scope.js';
export { grad, valueAndGrad, gradients, variable, Variable, type GradientsOptions } from './autograd/grad.js';
export { noGrad, type BackwardOptions } from './autograd/tape.js';
export { customGrad, type CustomGradResult } from './autograd/custom_grad.js';
export * from './ops/index.js';
export type { Scalarish } from './ops/op.js';
