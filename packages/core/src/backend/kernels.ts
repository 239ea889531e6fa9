// The backend contract's kernel list: every kernel's inputs and attributes, in one place.
// A backend's kernel table is a mapped type over `KernelSpecs`, so a backend that misses a
// kernel, or reads the wrong attributes, does not compile.
import type { DType } from '../dtype.js';
import type { TensorInfo } from './backend.js';

// Storage of the small dtypes: a backend without 8-bit storage (WGSL) may hold bool, int8 and
// uint8 one per 32-bit word (or packed four to a word); its own `memory()` reports the bytes
// it really uses, while core's `memory().bytes` counts logical bytes (1 per element). Either
// way `read()` resolves to the dtype's own array of the logical length (bool: a Uint8Array
// of 0/1; int8: Int8Array; uint8: Uint8Array), and kernels see only logical values.

export type UnaryOp =
  | 'neg' | 'abs' | 'sign' | 'exp' | 'expm1' | 'log' | 'log1p' | 'sqrt' | 'rsqrt' | 'square'
  | 'reciprocal' | 'sin' | 'cos' | 'tanh' | 'sigmoid' | 'softplus' | 'relu' | 'erf'
  | 'floor' | 'ceil' | 'round' | 'logicalNot' | 'isNaN' | 'isInf'
  /** x > 0 ? x : alpha * x */
  | 'leakyRelu'
  /** x > 0 ? x : alpha * (exp(x) - 1) */
  | 'elu';

export type BinaryOp =
  | 'add' | 'sub' | 'mul' | 'div' | 'floorDiv' | 'mod' | 'pow' | 'maximum' | 'minimum' | 'atan2'
  | 'equal' | 'notEqual' | 'less' | 'lessEqual' | 'greater' | 'greaterEqual'
  | 'logicalAnd' | 'logicalOr' | 'logicalXor';

export type ReduceOp = 'sum' | 'mean' | 'max' | 'min' | 'prod' | 'any' | 'all';
export type ArgReduceOp = 'max' | 'min';
export type PoolOp = 'max' | 'avg' | 'min';
export type RandomDist = 'uniform' | 'normal';

/** Convolution geometry shared by Conv2D and its two backprop kernels. */
export interface ConvAttrs {
  stride: [number, number];
  /** Explicit padding [top, bottom, left, right]; core resolves 'same'/'valid'. */
  pad: [number, number, number, number];
  dilation: [number, number];
  groups: number;
}

/** Pooling geometry; `pad` is explicit and `ceilMode` already folded into the output size. */
/**
 * A Binary or Where operand: a tensor, or a JS scalar carried by value (no buffer, no upload).
 * A scalar holds a value of the operation's operand dtype (an integer for int32, 0/1 for bool).
 */
export type Operand = TensorInfo | number;

export interface PoolAttrs {
  op: PoolOp;
  kernel: [number, number];
  stride: [number, number];
  pad: [number, number, number, number];
  dilation: [number, number];
  /** Output spatial size [outH, outW], computed by core (ceil mode included). */
  outSize: [number, number];
  /** Average pooling: divide by the full window (true) or by the in-bounds part only. */
  countIncludePad: boolean;
}

/**
 * Every kernel: `inputs` are TensorInfos (data id + shape + dtype) or, where an entry says
 * `Operand`, a JS scalar passed by value; `attrs` are plain data.
 * Semantics are written beside each entry; output shape and dtype follow from them, and
 * core has already validated everything (ranks, sizes, dtypes, axes in range, non-negative).
 */
export interface KernelSpecs {
  /** Elementwise. Output dtype = input dtype, except isNaN/isInf -> bool. `alpha` for leakyRelu/elu. sign(NaN) = 0 (PyTorch). */
  Unary: { inputs: { x: TensorInfo }; attrs: { op: UnaryOp; alpha?: number } };
  /**
   * Elementwise with numpy broadcasting; a and b have the same dtype (core promotes), and at
   * least one is a tensor (the other may be a scalar `Operand`). `shape` and `dtype` are the
   * output's, computed by core: dtype is bool for comparisons/logical ops, else the operands'.
   * Integer semantics: floorDiv and mod round toward -inf (Python); x / 0 and x % 0 give 0;
   * pow with a negative exponent gives the truncated 1 / x^-n (0 unless |x| = 1), for a
   * scalar exponent and a tensor one alike; div is only called on float32.
   */
  Binary: { inputs: { a: Operand; b: Operand }; attrs: { op: BinaryOp; shape: number[]; dtype: DType } };
  /**
   * out = cond ? a : b with numpy broadcasting over all three; cond is bool, a and b (tensors
   * or scalars) share the output `dtype`; `shape` is the output's broadcast shape.
   */
  Where: { inputs: { cond: TensorInfo; a: Operand; b: Operand }; attrs: { shape: number[]; dtype: DType } };
  /** A tensor of `shape` and `dtype` with every element `value` (no host-side buffer). */
  Fill: { inputs: Record<string, never>; attrs: { shape: number[]; dtype: DType; value: number } };
  /** Repeats x along its broadcast dims (numpy rules; x's rank <= shape's) to `shape`. */
  BroadcastTo: { inputs: { x: TensorInfo }; attrs: { shape: number[] } };
  /** Converts dtype. float->int truncates toward zero; anything->bool is `!= 0` (NaN -> true). */
  Cast: { inputs: { x: TensorInfo }; attrs: { dtype: DType } };
  /**
   * Reduces over `axes` (sorted, unique, non-negative). Output dtype: any/all -> bool,
   * mean -> float32, others keep the input dtype. Empty reductions: sum 0, prod 1, mean NaN.
   * max/min propagate NaN.
   */
  Reduce: { inputs: { x: TensorInfo }; attrs: { op: ReduceOp; axes: number[]; keepDims: boolean } };
  /** Index (int32) of the first max/min along `axis`; NaN counts as the extreme. */
  ArgReduce: { inputs: { x: TensorInfo }; attrs: { op: ArgReduceOp; axis: number; keepDims: boolean } };
  /** Numerically stable softmax (or log-softmax) along `axis` (non-negative). float32 only. */
  Softmax: { inputs: { x: TensorInfo }; attrs: { axis: number; log: boolean } };
  /**
   * Batched matmul. Both ranks >= 2; batch dims broadcast (numpy). a: [..., M, K]
   * (or [..., K, M] when transposeA), b: [..., K, N] (or [..., N, K]). Same dtype.
   */
  MatMul: { inputs: { a: TensorInfo; b: TensorInfo }; attrs: { transposeA: boolean; transposeB: boolean } };
  /** x [N, Cin, H, W] * w [Cout, Cin/groups, kH, kW] -> [N, Cout, outH, outW]; `outSize` = [outH, outW]. float32. */
  Conv2D: { inputs: { x: TensorInfo; w: TensorInfo }; attrs: ConvAttrs & { outSize: [number, number] } };
  /** Gradient of Conv2D w.r.t. x: dy [N, Cout, outH, outW], w -> dx of shape `inputShape`. */
  Conv2DBackpropInput: { inputs: { dy: TensorInfo; w: TensorInfo }; attrs: ConvAttrs & { inputShape: [number, number, number, number] } };
  /** Gradient of Conv2D w.r.t. w: x, dy -> dw of shape `filterShape`. */
  Conv2DBackpropFilter: { inputs: { x: TensorInfo; dy: TensorInfo }; attrs: ConvAttrs & { filterShape: [number, number, number, number] } };
  /**
   * Pooling of x [N, C, H, W] -> [N, C, outH, outW]. Padded cells never win max/min.
   * With `indices`, returns int32 flat indices (h * W + w) into the input plane of the
   * first max/min instead of values (PyTorch's return_indices).
   */
  Pool2D: { inputs: { x: TensorInfo }; attrs: PoolAttrs & { indices: boolean } };
  /** Gradient of Pool2D: x, dy -> dx. max/min route dy to the first extreme of each window. */
  Pool2DGrad: { inputs: { x: TensorInfo; dy: TensorInfo }; attrs: PoolAttrs };
  /** out.shape[i] = x.shape[perm[i]]. */
  Transpose: { inputs: { x: TensorInfo }; attrs: { perm: number[] } };
  /** out[i] = x[begin + i * step] per axis; begin in range, step >= 1, size >= 0. */
  Slice: { inputs: { x: TensorInfo }; attrs: { begin: number[]; size: number[]; step: number[] } };
  /** Joins along `axis`; all inputs share a dtype and every other dim. */
  Concat: { inputs: { xs: TensorInfo[] }; attrs: { axis: number } };
  /** Constant padding: pads[i] = [before, after] (non-negative). */
  Pad: { inputs: { x: TensorInfo }; attrs: { pads: [number, number][]; value: number } };
  /**
   * out = x.shape[:axis] + indices.shape + x.shape[axis+1:]. Negative indices count from the
   * end; indices still out of range give zeros.
   */
  Gather: { inputs: { x: TensorInfo; indices: TensorInfo }; attrs: { axis: number } };
  /**
   * The adjoint of Gather: zeros of shape updates.shape[:axis] + [size] + rest, and each
   * update slice is added at its index (negative wraps; out of range is dropped). Needs no
   * float atomics: a backend may compute each output element as the sum, in index order, of
   * the updates whose index equals its position (a segment sum), which is also deterministic.
   */
  ScatterAdd: { inputs: { updates: TensorInfo; indices: TensorInfo }; attrs: { axis: number; size: number } };
  /** indices (int32) -> indices.shape + [depth]; out-of-range indices give all `off`. */
  OneHot: { inputs: { indices: TensorInfo }; attrs: { depth: number; on: number; off: number; dtype: DType } };
  /** Philox-4x32-10 random numbers as core's `philox.ts` specifies (uniform: the same bits). float32. */
  Random: { inputs: Record<string, never>; attrs: { dist: RandomDist; shape: number[]; seed: number; offset: number } };
}

export type FusedActivation = 'linear' | 'relu';

/**
 * Optional fused kernels. Core has a decomposition into required kernels for each; a backend
 * may override one for speed, and the conformance suite holds the override to the decomposition.
 */
export interface FusedKernelSpecs {
  /**
   * activation(MatMul(a, b) + bias): a and b as MatMul (float32, ranks >= 2), bias of shape
   * [N] added to every row of the product, or absent.
   */
  FusedMatMul: {
    inputs: { a: TensorInfo; b: TensorInfo; bias?: TensorInfo };
    attrs: { transposeA: boolean; transposeB: boolean; activation: FusedActivation };
  };
  /**
   * Batch normalisation with given statistics, per channel of dim 1:
   * (x - mean) / sqrt(variance + eps) * weight + bias, x [N, C, ...] (rank >= 2) float32;
   * mean, variance, weight and bias are [C]; weight (1) and bias (0) may be absent.
   * Core computes the batch statistics in training, so one kernel serves both modes.
   */
  BatchNorm: {
    inputs: { x: TensorInfo; mean: TensorInfo; variance: TensorInfo; weight?: TensorInfo; bias?: TensorInfo };
    attrs: { eps: number };
  };
  /**
   * Layer normalisation over the last `normalizedDims` dims of x (float32): each slice minus
   * its mean, divided by sqrt(its biased variance + eps), then * weight + bias, both of the
   * normalised dims' shape and either absent (1 and 0).
   */
  LayerNorm: {
    inputs: { x: TensorInfo; weight?: TensorInfo; bias?: TensorInfo };
    attrs: { normalizedDims: number; eps: number };
  };
}

export type FusedKernelName = keyof FusedKernelSpecs;

/** A fused kernel implementation (same calling convention as KernelImpl). */
export type FusedKernelImpl<K extends FusedKernelName, B = unknown> = (
  inputs: FusedKernelSpecs[K]['inputs'],
  attrs: FusedKernelSpecs[K]['attrs'],
  backend: B,
) => TensorInfo;

/** The fused kernels a backend chooses to override; core decomposes the rest. */
export type FusedKernelTable<B = unknown> = Partial<{ [K in FusedKernelName]: FusedKernelImpl<K, B> }>;

export type KernelName = keyof KernelSpecs;
export type KernelInputs<K extends KernelName> = KernelSpecs[K]['inputs'];
export type KernelAttrs<K extends KernelName> = KernelSpecs[K]['attrs'];

/** A kernel implementation: gets its backend typed, so backend state needs no casts. */
export type KernelImpl<K extends KernelName, B = unknown> = (
  inputs: KernelInputs<K>,
  attrs: KernelAttrs<K>,
  backend: B,
) => TensorInfo;

/** The full kernel table: a backend missing any entry fails to type-check. */
export type KernelTable<B = unknown> = { [K in KernelName]: KernelImpl<K, B> };

export const KERNEL_NAMES: readonly KernelName[] = [
  'Unary', 'Binary', 'Where', 'Fill', 'BroadcastTo', 'Cast', 'Reduce', 'ArgReduce', 'Softmax', 'MatMul', 'Conv2D',
  'Conv2DBackpropInput', 'Conv2DBackpropFilter', 'Pool2D', 'Pool2DGrad', 'Transpose', 'Slice',
  'Concat', 'Pad', 'Gather', 'ScatterAdd', 'OneHot', 'Random',
] satisfies readonly KernelName[];
