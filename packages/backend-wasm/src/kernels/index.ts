// The WASM backend's kernel table: every kernel of the contract, each a call into Rust.
import type { FusedKernelTable, KernelTable } from '@tensile/core';
import type { WasmBackend } from '../backend.js';
import { conv2d, conv2dBackpropFilter, conv2dBackpropInput } from './conv.js';
import { binary, cast, fill, unary, where } from './elementwise.js';
import { fusedMatMul, matMul } from './matmul.js';
import { broadcastTo, concat, gather, oneHot, pad, scatterAdd, slice, transpose } from './movement.js';
import { batchNorm, layerNorm } from './norm.js';
import { pool2d, pool2dGrad } from './pool.js';
import { random } from './random.js';
import { argReduce, reduce, softmax } from './reduce.js';

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
} satisfies KernelTable<WasmBackend>;

/** The fused kernels this backend overrides. */
export const fused = {
  FusedMatMul: fusedMatMul,
  BatchNorm: batchNorm,
  LayerNorm: layerNorm,
} satisfies FusedKernelTable<WasmBackend>;
