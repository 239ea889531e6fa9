// The JS backend's kernel table: every kernel of the contract, checked by the compiler.
import type { FusedKernelTable, KernelTable } from '@tensile/core';
import type { JsBackend } from '../backend.js';
import { argReduce } from './arg_reduce.js';
import { binary } from './binary.js';
import { broadcastTo } from './broadcast_to.js';
import { cast } from './cast.js';
import { concat } from './concat.js';
import { conv2d } from './conv2d.js';
import { conv2dBackpropFilter } from './conv2d_backprop_filter.js';
import { conv2dBackpropInput } from './conv2d_backprop_input.js';
import { batchNorm } from './batch_norm.js';
import { fusedMatMul } from './fused_matmul.js';
import { layerNorm } from './layer_norm.js';
import { fill } from './fill.js';
import { gather } from './gather.js';
import { matMul } from './matmul.js';
import { oneHot } from './one_hot.js';
import { pad } from './pad.js';
import { pool2d } from './pool2d.js';
import { pool2dGrad } from './pool2d_grad.js';
import { random } from './random.js';
import { reduce } from './reduce.js';
import { scatterAdd } from './scatter_add.js';
import { slice } from './slice.js';
import { softmax } from './softmax.js';
import { transpose } from './transpose.js';
import { unary } from './unary.js';
import { where } from './where.js';

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
} satisfies KernelTable<JsBackend>;

/** The fused kernels this backend overrides (core decomposes the others). */
export const fused = {
  FusedMatMul: fusedMatMul,
  BatchNorm: batchNorm,
  LayerNorm: layerNorm,
} satisfies FusedKernelTable<JsBackend>;
