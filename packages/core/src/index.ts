export * from './dtype.js';
export * from './errors.js';
export * from './backend/backend.js';
export * from './backend/kernels.js';
export * as shapeUtil from './util/shape.js';
export { philox4x32, philoxWords, philoxFill, philoxBlocks } from './random/philox.js';
