// Every public op, in one place.
export * from './creation.js';
export * from './cast.js';
export { unary, neg, abs, sign, exp, expm1, log, log1p, sqrt, rsqrt, square, reciprocal, sin, cos, tanh,
  sigmoid, softplus, relu, erf, floor, ceil, round, logicalNot, isNaN, isInf } from './unary.js';
export { binary, add, sub, mul, div, floorDiv, mod, pow, maximum, minimum, atan2, equal, notEqual,
  less, lessEqual, greater, greaterEqual, logicalAnd, logicalOr, logicalXor, where } from './binary.js';
export * from './reduce.js';
export * from './softmax.js';
export * from './matmul.js';
export * from './fused_matmul.js';
export * from './batch_norm.js';
export * from './layer_norm.js';
export * from './conv2d.js';
export * from './pool2d.js';
export type { Pair, Padding } from './conv_util.js';
export * from './reshape.js';
export * from './transpose.js';
export * from './slice.js';
export * from './concat.js';
export * from './pad.js';
export * from './gather.js';
export * from './take_along_axis.js';
export * from './split.js';
export * from './tile.js';
export * from './broadcast_to.js';
export * from './clip.js';
export * from './activations.js';
export * from './dropout.js';
export * from './random_stream.js';
