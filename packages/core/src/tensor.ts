// The Tensor handle: shape, dtype and a reference to backend memory; immutable values.
// Methods delegate to the free functions in ops/, so both share one implementation.
import type { GradNode } from './autograd/tape.js';
import type { DType, TypedArray } from './dtype.js';
import type { DataRef } from './engine/state.js';
import * as ops from './ops/index.js';
import { readData, readDataSync } from './engine/read.js';
import { release } from './engine/engine.js';
import { backwardInto, type GradientsOptions } from './autograd/gradients.js';
import type { Scalarish } from './ops/op.js';
import type { MatMulOptions } from './ops/matmul.js';
import type { Conv2DOptions } from './ops/conv2d.js';

export type NestedValues = number | boolean | NestedValues[];
type Axes = number | number[];
type T = Tensor;

export class Tensor {
  readonly shape: number[];
  readonly dtype: DType;
  readonly size: number;
  /** @internal The buffer; null once disposed. */
  ref: DataRef | null;
  /** @internal The op that produced this tensor, when recorded for autograd. */
  node: GradNode | null = null;
  /** Whether gradients flow to this tensor (variables, or results of ops on them). */
  requiresGrad = false;
  /** @internal Exempt from tidy scopes (`keep`). */
  kept = false;
  /** @internal Bumped by Variable.assign, so autograd can tell a value changed under it. */
  version = 0;
  /** @internal A leaf whose `backward()` gradients accumulate in `grad` (trainable variables). */
  accumulatesGrad = false;
  /**
   * The gradient `backward()` accumulated here (trainable variables only), or null. It lives
   * outside tidy scopes; `zeroGrad()` or disposing the variable frees it.
   */
  grad: Tensor | null = null;

  /** @internal Use `tensor()` and the other creation ops. */
  constructor(shape: number[], dtype: DType, ref: DataRef) {
    this.shape = shape;
    this.dtype = dtype;
    this.size = shape.reduce((a, b) => a * b, 1);
    this.ref = ref;
  }

  get rank(): number { return this.shape.length; }
  get isDisposed(): boolean { return this.ref === null; }

  /** Reads the values (a copy) asynchronously; works on every backend. */
  data(): Promise<TypedArray> { return readData(this); }
  /** Reads the values synchronously; throws BackendError on a backend without sync reads. */
  dataSync(): TypedArray { return readDataSync(this); }
  /** The values as nested arrays (booleans for bool tensors). */
  async array(): Promise<NestedValues> { return nest(await this.data(), this.shape, this.dtype); }
  /** Synchronous `array()`. */
  arraySync(): NestedValues { return nest(this.dataSync(), this.shape, this.dtype); }
  /**
   * Adds d(this)/d(leaf) to the `grad` of every trainable variable this depends on (PyTorch's
   * `loss.backward()`); a scalar, or pass `{ dy }`. The graph is freed unless `retainGraph`.
   * @example loss.backward(); opt.step();
   */
  backward(opts?: GradientsOptions): void { backwardInto(this, opts); }
  /** Frees `grad` and sets it to null. */
  zeroGrad(): void {
    this.grad?.dispose();
    this.grad = null;
  }
  /** Frees this tensor (idempotent). */
  dispose(): void { release(this); }
  [Symbol.dispose](): void { this.dispose(); }
  toString(): string { return `Tensor(${this.dtype}[${this.shape.join(',')}])`; }

  add(b: Scalarish): T { return ops.add(this, b); }
  sub(b: Scalarish): T { return ops.sub(this, b); }
  mul(b: Scalarish): T { return ops.mul(this, b); }
  div(b: Scalarish): T { return ops.div(this, b); }
  floorDiv(b: Scalarish): T { return ops.floorDiv(this, b); }
  mod(b: Scalarish): T { return ops.mod(this, b); }
  pow(b: Scalarish): T { return ops.pow(this, b); }
  maximum(b: Scalarish): T { return ops.maximum(this, b); }
  minimum(b: Scalarish): T { return ops.minimum(this, b); }
  atan2(b: Scalarish): T { return ops.atan2(this, b); }
  equal(b: Scalarish): T { return ops.equal(this, b); }
  notEqual(b: Scalarish): T { return ops.notEqual(this, b); }
  less(b: Scalarish): T { return ops.less(this, b); }
  lessEqual(b: Scalarish): T { return ops.lessEqual(this, b); }
  greater(b: Scalarish): T { return ops.greater(this, b); }
  greaterEqual(b: Scalarish): T { return ops.greaterEqual(this, b); }
  logicalAnd(b: Scalarish): T { return ops.logicalAnd(this, b); }
  logicalOr(b: Scalarish): T { return ops.logicalOr(this, b); }
  logicalXor(b: Scalarish): T { return ops.logicalXor(this, b); }
  logicalNot(): T { return ops.logicalNot(this); }

  neg(): T { return ops.neg(this); }
  abs(): T { return ops.abs(this); }
  sign(): T { return ops.sign(this); }
  exp(): T { return ops.exp(this); }
  expm1(): T { return ops.expm1(this); }
  log(): T { return ops.log(this); }
  log1p(): T { return ops.log1p(this); }
  sqrt(): T { return ops.sqrt(this); }
  rsqrt(): T { return ops.rsqrt(this); }
  square(): T { return ops.square(this); }
  reciprocal(): T { return ops.reciprocal(this); }
  sin(): T { return ops.sin(this); }
  cos(): T { return ops.cos(this); }
  tanh(): T { return ops.tanh(this); }
  sigmoid(): T { return ops.sigmoid(this); }
  softplus(): T { return ops.softplus(this); }
  relu(): T { return ops.relu(this); }
  leakyRelu(alpha?: number): T { return ops.leakyRelu(this, alpha); }
  elu(alpha?: number): T { return ops.elu(this, alpha); }
  gelu(opts?: { approximate?: 'none' | 'tanh' }): T { return ops.gelu(this, opts); }
  erf(): T { return ops.erf(this); }
  floor(): T { return ops.floor(this); }
  ceil(): T { return ops.ceil(this); }
  round(): T { return ops.round(this); }
  isNaN(): T { return ops.isNaN(this); }
  isInf(): T { return ops.isInf(this); }
  clip(min?: number, max?: number): T { return ops.clip(this, min, max); }
  cast(dtype: DType): T { return ops.cast(this, dtype); }
  where(cond: Scalarish, other: Scalarish): T { return ops.where(cond, this, other); }

  sum(axes?: Axes, keepDims?: boolean): T { return ops.sum(this, axes, keepDims); }
  mean(axes?: Axes, keepDims?: boolean): T { return ops.mean(this, axes, keepDims); }
  max(axes?: Axes, keepDims?: boolean): T { return ops.max(this, axes, keepDims); }
  min(axes?: Axes, keepDims?: boolean): T { return ops.min(this, axes, keepDims); }
  prod(axes?: Axes, keepDims?: boolean): T { return ops.prod(this, axes, keepDims); }
  any(axes?: Axes, keepDims?: boolean): T { return ops.any(this, axes, keepDims); }
  all(axes?: Axes, keepDims?: boolean): T { return ops.all(this, axes, keepDims); }
  argmax(axis?: number, keepDims?: boolean): T { return ops.argmax(this, axis, keepDims); }
  argmin(axis?: number, keepDims?: boolean): T { return ops.argmin(this, axis, keepDims); }
  variance(axes?: Axes, keepDims?: boolean, opts?: { correction?: number }): T { return ops.variance(this, axes, keepDims, opts); }
  softmax(axis?: number): T { return ops.softmax(this, axis); }
  logSoftmax(axis?: number): T { return ops.logSoftmax(this, axis); }

  matmul(b: Tensor, opts?: MatMulOptions): T { return ops.matmul(this, b, opts); }
  conv2d(w: Tensor, opts?: Conv2DOptions): T { return ops.conv2d(this, w, opts); }
  convTranspose2d(w: Tensor, opts?: ops.ConvTranspose2DOptions): T { return ops.convTranspose2d(this, w, opts); }
  maxPool2d(opts: ops.Pool2DOptions): T { return ops.maxPool2d(this, { ...opts, returnIndices: false }); }
  minPool2d(opts: ops.Pool2DOptions): T { return ops.minPool2d(this, { ...opts, returnIndices: false }); }
  avgPool2d(opts: ops.AvgPool2DOptions): T { return ops.avgPool2d(this, opts); }
  concat(others: Tensor[], axis?: number): T { return ops.concat([this, ...others], axis); }
  stack(others: Tensor[], axis?: number): T { return ops.stack([this, ...others], axis); }
  reshape(shape: number[]): T { return ops.reshape(this, shape); }
  flatten(startDim?: number, endDim?: number): T { return ops.flatten(this, startDim, endDim); }
  squeeze(axes?: number | number[]): T { return ops.squeeze(this, axes); }
  expandDims(axis?: number): T { return ops.expandDims(this, axis); }
  transpose(perm?: number[]): T { return ops.transpose(this, perm); }
  slice(begin?: number | (number | null)[], end?: number | (number | null)[], step?: number | number[]): T {
    return ops.slice(this, begin, end, step);
  }
  pad(pads: [number, number][], value?: number): T { return ops.pad(this, pads, value); }
  gather(indices: Tensor, axis?: number): T { return ops.gather(this, indices, axis); }
  tile(reps: number[]): T { return ops.tile(this, reps); }
  broadcastTo(shape: number[]): T { return ops.broadcastTo(this, shape); }
  oneHot(depth: number, opts?: ops.OneHotOptions): T { return ops.oneHot(this, depth, opts); }
  dropout(rate: number, opts?: ops.DropoutOptions): T { return ops.dropout(this, rate, opts); }
}

function nest(values: TypedArray, shape: number[], dtype: DType): NestedValues {
  const conv = (v: number): number | boolean => (dtype === 'bool' ? v !== 0 : v);
  if (shape.length === 0) return conv(values[0]!);
  const build = (dim: number, offset: number, stride: number): NestedValues[] => {
    const n = shape[dim]!;
    const inner = stride / Math.max(n, 1);
    const out: NestedValues[] = [];
    for (let i = 0; i < n; i++) {
      out.push(dim === shape.length - 1 ? conv(values[offset + i]!) : build(dim + 1, offset + i * inner, inner));
    }
    return out;
  };
  return build(0, 0, shape.reduce((a, b) => a * b, 1));
}
