// Initializers (torch.nn.init): each takes a shape and returns a new tensor, or takes a
// Variable and fills it in place (returning it). Random ones draw from core's Philox stream:
// `{ seed }` gives bit-identical values on every call; without a seed the global stream
// (`manualSeed`) advances.
import { ArgumentError, ShapeError, Variable, fmt, full, noGrad, rand, randn, tidy, type Tensor } from '@tensile/core';
import { checkChoice, checkNumber, describe } from './check.js';

/** Where an initializer writes: a new tensor of this shape, or an existing variable, in place. */
export type InitTarget = number[] | Variable;

export type Nonlinearity = 'linear' | 'conv1d' | 'conv2d' | 'conv3d' | 'conv_transpose1d' | 'conv_transpose2d'
  | 'conv_transpose3d' | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'selu';

const NONLINEARITIES: readonly Nonlinearity[] = ['linear', 'conv1d', 'conv2d', 'conv3d', 'conv_transpose1d',
  'conv_transpose2d', 'conv_transpose3d', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'selu'];

export type FanMode = 'fan_in' | 'fan_out';

export interface SeedOptions {
  /** Philox seed; without one the global stream (`manualSeed`) advances. */
  seed?: number;
}

function shapeOf(op: string, target: InitTarget): number[] {
  if (target instanceof Variable) return target.shape;
  if (!Array.isArray(target) || target.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ArgumentError(`init.${op}: target must be a shape (non-negative integers) or a Variable, got ${describe(target)}`);
  }
  return target;
}

/** A new tensor for a shape, the variable itself (filled in place) for a variable. */
export type Out<T> = T extends Variable ? Variable : Tensor;

/** Returns `make(shape)`, or assigns it to the variable (no gradient recorded) and returns the variable. */
function fill<T extends InitTarget>(op: string, target: T, make: (shape: number[]) => Tensor): Out<T> {
  const shape = shapeOf(op, target);
  if (!(target instanceof Variable)) return make(shape) as Out<T>;
  noGrad(() => tidy(() => { target.assign(make(shape)); }));
  return target as Out<T>;
}

/**
 * The recommended gain for a nonlinearity (torch.nn.init.calculate_gain): 1 for linear, conv
 * and sigmoid, 5/3 for tanh, sqrt(2) for relu, sqrt(2 / (1 + slope^2)) for leaky_relu
 * (slope `param`, default 0.01), 3/4 for selu.
 * @example calculateGain('leaky_relu', Math.sqrt(5)) // sqrt(1/3)
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  const nl = checkChoice('calculateGain', nonlinearity, 'nonlinearity', NONLINEARITIES, 'linear');
  switch (nl) {
    case 'tanh': return 5 / 3;
    case 'relu': return Math.SQRT2;
    case 'leaky_relu': {
      const slope = checkNumber('calculateGain', param, 'param', 0.01);
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu': return 3 / 4;
    default: return 1;
  }
}

/**
 * fan_in and fan_out of a weight shape as PyTorch computes them: dim 1 (resp. 0) times the
 * receptive field (the product of dims 2..). Linear [out, in]: (in, out); Conv2d
 * [out, in/groups, kH, kW]: (in/groups kH kW, out kH kW). Needs rank >= 2.
 * @example computeFans([16, 3, 3, 3]) // { fanIn: 27, fanOut: 144 }
 */
export function computeFans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length < 2) {
    throw new ShapeError(`init.computeFans: fan in and fan out need a tensor with at least 2 dims, got shape ${fmt([...shape])}`);
  }
  const receptive = shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[1]! * receptive, fanOut: shape[0]! * receptive };
}

/**
 * Zeros (torch.nn.init.zeros_).
 * @example init.zeros([3])
 */
export function zeros<T extends InitTarget>(target: T): Out<T> {
  return fill('zeros', target, (s) => full(s, 0));
}

/**
 * Ones (torch.nn.init.ones_).
 * @example init.ones(bn.weight)
 */
export function ones<T extends InitTarget>(target: T): Out<T> {
  return fill('ones', target, (s) => full(s, 1));
}

/**
 * Every element `value` (torch.nn.init.constant_).
 * @example init.constant([2, 2], 0.5)
 */
export function constant<T extends InitTarget>(target: T, value: number): Out<T> {
  if (value === undefined) throw new ArgumentError('init.constant: \'value\' is required');
  const v = checkNumber('init.constant', value, 'value', 0);
  return fill('constant', target, (s) => full(s, v));
}

/**
 * Uniform on [a, b) (torch.nn.init.uniform_, default [0, 1)).
 * @example init.uniform([3, 3], { a: -0.1, b: 0.1, seed: 0 })
 */
export function uniform<T extends InitTarget>(target: T, opts: SeedOptions & { a?: number; b?: number } = {}): Out<T> {
  const a = checkNumber('init.uniform', opts.a, 'a', 0), b = checkNumber('init.uniform', opts.b, 'b', 1);
  if (b < a) throw new ArgumentError(`init.uniform: 'a' (${a}) must not exceed 'b' (${b})`);
  return fill('uniform', target, (s) => uniformTensor(s, a, b, opts.seed));
}

function uniformTensor(shape: number[], lo: number, hi: number, seed: number | undefined): Tensor {
  return tidy(() => rand(shape, { seed }).mul(hi - lo).add(lo));
}

/**
 * Normal samples with `mean` and `std` (torch.nn.init.normal_, default N(0, 1)).
 * @example init.normal([10, 4], { std: 0.02, seed: 1 })
 */
export function normal<T extends InitTarget>(target: T, opts: SeedOptions & { mean?: number; std?: number } = {}): Out<T> {
  const mean = checkNumber('init.normal', opts.mean, 'mean', 0), std = checkNumber('init.normal', opts.std, 'std', 1, 0);
  return fill('normal', target, (s) => randn(s, { seed: opts.seed, mean, std }));
}

/**
 * Glorot/Xavier uniform: U(-a, a) with a = gain sqrt(6 / (fan_in + fan_out)) (torch.nn.init.xavier_uniform_).
 * @example init.xavierUniform([64, 32], { seed: 0 })
 */
export function xavierUniform<T extends InitTarget>(target: T, opts: SeedOptions & { gain?: number } = {}): Out<T> {
  const gain = checkNumber('init.xavierUniform', opts.gain, 'gain', 1);
  return fill('xavierUniform', target, (s) => {
    const { fanIn, fanOut } = computeFans(s);
    const a = gain * Math.sqrt(6 / (fanIn + fanOut));
    return uniformTensor(s, -a, a, opts.seed);
  });
}

/**
 * Glorot/Xavier normal: N(0, std^2) with std = gain sqrt(2 / (fan_in + fan_out)) (torch.nn.init.xavier_normal_).
 * @example init.xavierNormal([64, 32], { seed: 0 })
 */
export function xavierNormal<T extends InitTarget>(target: T, opts: SeedOptions & { gain?: number } = {}): Out<T> {
  const gain = checkNumber('init.xavierNormal', opts.gain, 'gain', 1);
  return fill('xavierNormal', target, (s) => {
    const { fanIn, fanOut } = computeFans(s);
    return randn(s, { seed: opts.seed, std: gain * Math.sqrt(2 / (fanIn + fanOut)) });
  });
}

export interface KaimingOptions extends SeedOptions {
  /** The negative slope of the rectifier after this layer (leaky_relu only; default 0). */
  a?: number;
  /** 'fan_in' (default) keeps the forward variance, 'fan_out' the backward one. */
  mode?: FanMode;
  /** Default 'leaky_relu' (with a = 0 that is ReLU's gain, sqrt 2), as PyTorch. */
  nonlinearity?: Nonlinearity;
}

function kaimingStd(op: string, shape: number[], opts: KaimingOptions): number {
  const mode = checkChoice(op, opts.mode, 'mode', ['fan_in', 'fan_out'] as const, 'fan_in');
  const nl = checkChoice(op, opts.nonlinearity, 'nonlinearity', NONLINEARITIES, 'leaky_relu');
  const a = checkNumber(op, opts.a, 'a', 0);
  const fans = computeFans(shape);
  const fan = mode === 'fan_in' ? fans.fanIn : fans.fanOut;
  return calculateGain(nl, a) / Math.sqrt(fan);
}

/**
 * He/Kaiming uniform: U(-b, b) with b = gain sqrt(3 / fan) (torch.nn.init.kaiming_uniform_).
 * Linear and Conv2d weights default to it with a = sqrt(5), i.e. b = 1 / sqrt(fan_in).
 * @example init.kaimingUniform([128, 64], { nonlinearity: 'relu', seed: 0 })
 */
export function kaimingUniform<T extends InitTarget>(target: T, opts: KaimingOptions = {}): Out<T> {
  return fill('kaimingUniform', target, (s) => {
    const bound = Math.sqrt(3) * kaimingStd('init.kaimingUniform', s, opts);
    return uniformTensor(s, -bound, bound, opts.seed);
  });
}

/**
 * He/Kaiming normal: N(0, std^2) with std = gain / sqrt(fan) (torch.nn.init.kaiming_normal_).
 * @example init.kaimingNormal([128, 64], { mode: 'fan_out', nonlinearity: 'relu', seed: 0 })
 */
export function kaimingNormal<T extends InitTarget>(target: T, opts: KaimingOptions = {}): Out<T> {
  return fill('kaimingNormal', target, (s) => randn(s, { seed: opts.seed, std: kaimingStd('init.kaimingNormal', s, opts) }));
}
