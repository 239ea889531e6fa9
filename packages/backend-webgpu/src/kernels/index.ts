// The WebGPU backend's kernel table: every kernel of the contract, checked by the compiler.
import type { FusedKernelTable, KernelTable } from '@tensile/core';
import type { WebGpuBackend } from '../backend.js';
import { conv2d, conv2dBackpropFilter, conv2dBackpropInput } from './conv2d.js';
import { binary, broadcastTo, cast, fill, unary, where } from './elementwise.js';
import { gather, oneHot, scatterAdd } from './indexing.js';
import { fusedMatMul, matMul } from './matmul.js';
import { concat, pad, slice, transpose } from './movement.js';
import { batchNorm, layerNorm } from './norm.js';
import { pool2d, pool2dGrad } from './pool.js';
import { random } from './random.js';
import { argReduce, reduce } from './reduce.js';
import { softmax } from './softmax.js';

/** Every kernel of the contract; `satisfies` makes a missing or mistyped one a compile error. */
export const kernels = {
  Unary: unary,
  Binary: binary,
  Where: where,
  Fill: fill,
  BroadcastTo: broadcastTo,
  Cast: cast,
  Reduce: reduce,
  ArgReduce: argReduce,
  Softmax: softmax,
  MatMul: matMul,
  Conv2D: conv2d,
  Conv2DBackpropInput: conv2dBackpropInput,
  Conv2DBackpropFilter: conv2dBackpropFilter,
  Pool2D: pool2d,
  Pool2DGrad: pool2dGrad,
  Transpose: transpose,
  Slice: slice,
  Concat: concat,
  Pad: pad,
  Gather: gather,
  ScatterAdd: scatterAdd,
  OneHot: oneHot,
  Random: random,
} satisfies KernelTable<WebGpuBackend>;

/** The fused kernels this backend overrides (core decomposes the others). */
export const fused = {
  FusedMatMul: fusedMatMul,
  BatchNorm: batchNorm,
  LayerNorm: layerNorm,
} satisfies FusedKernelTable<WebGpuBackend>;
