// @tensile/backend-webgpu: WGSL compute kernels for every kernel of the contract.
export { createWebGpuBackend } from './backend.js';
export type { GpuData, WebGpuBackend, WebGpuInfo, WebGpuOptions } from './backend.js';
export { getGpu, requestGpu, SWIFTSHADER_ICD, type GpuHandle, type GpuOptions } from './gpu.js';
export { sizeClass, type PoolStats } from './buffer_pool.js';
