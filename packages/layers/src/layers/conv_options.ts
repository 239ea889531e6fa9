// Options and checks shared by Conv2d and ConvTranspose2d.
import { ArgumentError, ShapeError, Tensor, fmt, type Pair, type Padding, type Variable } from '@tensile/core';
import { checkBool, checkInt, describe, pair } from '../check.js';
import { computeFans, kaimingUniform, uniform } from '../init.js';
import type { Module } from '../module.js';
import { deriveSeed } from '../seed.js';

export interface ConvOptions {
  stride?: Pair;
  /** 'valid', 'same' (stride 1 only, as PyTorch), n, [h, w] or [top, bottom, left, right]; default 0. */
  padding?: Padding;
  dilation?: Pair;
  groups?: number;
  /** Learn a bias per output channel (default true). */
  bias?: boolean;
  /** Philox seed of the initial values (weight: this stream, bias: a derived one). */
  seed?: number;
  /**
   * Makes the initial weight instead of PyTorch's default (a model with its own scheme then
   * draws once, not twice), e.g. `(s) => init.kaimingNormal(s, { mode: 'fan_out' })`.
   */
  weightInit?: ParamInit;
  /** Makes the initial bias instead of PyTorch's default, e.g. `init.zeros`. */
  biasInit?: ParamInit;
}

/** Makes a parameter's initial value for its shape (the shape-taking form of the `init` functions). */
export type ParamInit = (shape: number[]) => Tensor;

export interface ConvConfig {
  kernelSize: [number, number];
  stride: [number, number];
  dilation: [number, number];
  groups: number;
  bias: boolean;
  seed: number | undefined;
  weightInit: ParamInit | undefined;
  biasInit: ParamInit | undefined;
}

/** Checks the constructor arguments common to the convolutions. */
export function convConfig(op: string, inChannels: number, outChannels: number, kernelSize: Pair, opts: ConvOptions): ConvConfig {
  checkInt(op, inChannels, 'inChannels', 1);
  checkInt(op, outChannels, 'outChannels', 1);
  const groups = checkInt(op, opts.groups ?? 1, 'groups', 1);
  if (inChannels % groups !== 0 || outChannels % groups !== 0) {
    throw new ArgumentError(`${op}: inChannels (${inChannels}) and outChannels (${outChannels}) must both be divisible by groups (${groups})`);
  }
  if (opts.seed !== undefined) checkInt(op, opts.seed, 'seed', 0, Number.MAX_SAFE_INTEGER);
  return {
    kernelSize: pair(op, kernelSize, 'kernelSize'),
    stride: pair(op, opts.stride ?? 1, 'stride'),
    dilation: pair(op, opts.dilation ?? 1, 'dilation'),
    groups,
    bias: checkBool(op, opts.bias, 'bias', true),
    seed: opts.seed,
    weightInit: checkParamInit(op, opts.weightInit, 'weightInit'),
    biasInit: checkParamInit(op, opts.biasInit, 'biasInit'),
  };
}

/** Checks an optional initializer option is a function. */
export function checkParamInit(op: string, fn: unknown, name: string): ParamInit | undefined {
  if (fn !== undefined && typeof fn !== 'function') throw new ArgumentError(`${op}: ${name} must be a function from a shape to a Tensor, got ${describe(fn)}`);
  return fn as ParamInit | undefined;
}

/** Runs a custom initializer, checking it made a float32 tensor of the parameter's shape. */
export function runParamInit(op: string, fn: ParamInit, name: string, shape: number[]): Tensor {
  const t = fn([...shape]);
  if (!(t instanceof Tensor)) throw new ArgumentError(`${op}: ${name} must return a Tensor, got ${describe(t)}`);
  if (t.dtype !== 'float32' || t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    throw new ShapeError(`${op}: ${name} returned a ${t.dtype} tensor of shape ${fmt(t.shape)}; the parameter is float32 of shape ${fmt(shape)}`);
  }
  return t;
}

/**
 * Registers a convolution's `weight` of `shape` and optional `bias` on `m` with PyTorch's
 * defaults: kaiming_uniform(a = sqrt(5)) and bias uniform(+-1/sqrt(fan_in)), fan_in from `shape`,
 * unless `weightInit` / `biasInit` make them.
 */
export function convParams(m: Module, shape: number[], outChannels: number, cfg: ConvConfig): { weight: Variable; bias: Variable | null } {
  const { seed, weightInit, biasInit } = cfg;
  const op = m.constructor.name;
  const weight = m.param('weight', () => (weightInit ? runParamInit(op, weightInit, 'weightInit', shape) : kaimingUniform(shape, { a: Math.sqrt(5), seed })));
  const bound = 1 / Math.sqrt(computeFans(shape).fanIn);
  let bias: Variable | null = null;
  try {
    if (cfg.bias) {
      bias = m.param('bias', () => (biasInit
        ? runParamInit(op, biasInit, 'biasInit', [outChannels])
        : uniform([outChannels], { a: -bound, b: bound, seed: seed === undefined ? undefined : deriveSeed(seed, 1) })));
    }
  } catch (e) {
    weight.dispose(); // the layer is never returned: free what it already holds
    throw e;
  }
  return { weight, bias };
}

/** Checks a padding value (the op validates amounts against the input later). */
export function checkPadding(op: string, padding: unknown, allowSame: boolean): Padding {
  const ok = padding === 'valid' || (allowSame && padding === 'same') || (typeof padding === 'number' && Number.isInteger(padding) && padding >= 0)
    || (Array.isArray(padding) && (padding.length === 2 || padding.length === 4) && padding.every((d) => Number.isInteger(d) && d >= 0));
  if (!ok) {
    throw new ArgumentError(`${op}: padding must be ${allowSame ? "'valid', 'same', " : "'valid', "}a non-negative integer, [h, w] or [top, bottom, left, right], got ${describe(padding)}`);
  }
  return padding as Padding;
}

/** PyTorch's repr of a pair. */
export function fmtPair(p: [number, number]): string {
  return `(${p[0]}, ${p[1]})`;
}
