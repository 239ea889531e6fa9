// Elementwise unary ops: PyTorch fixtures (values, gradients, edge values with NaN/Inf) plus
// hand-derived dtype, rank-0 and size-0 cases.
import * as T from '@tensile/core';
import { goldenCases, type GoldenRun } from '../golden.js';
import { ARITH, ERF_EDGE, EXACT, FD, FD_STEEP, TRANS, TRANS_EDGE } from '../tol.js';
import type { Case } from '../types.js';
import { bool, f32, i32 } from '../util.js';

const un = (f: (x: T.Tensor) => T.Tensor): GoldenRun => ([x]) => f(x!);

export const UNARY_RUNS: Record<string, GoldenRun> = {
  neg: un(T.neg), abs: un(T.abs), exp: un(T.exp), expm1: un(T.expm1), log: un(T.log), log1p: un(T.log1p),
  sqrt: un(T.sqrt), rsqrt: un(T.rsqrt), square: un(T.square), reciprocal: un(T.reciprocal), sin: un(T.sin),
  cos: un(T.cos), tanh: un(T.tanh), sigmoid: un(T.sigmoid), softplus: un(T.softplus), relu: un(T.relu),
  erf: un(T.erf), floor: un(T.floor), ceil: un(T.ceil), round: un(T.round),
};

const EXACT_OPS = new Set(['neg', 'abs', 'relu', 'floor', 'ceil', 'round']);
const ARITH_OPS = new Set(['square', 'reciprocal', 'sqrt']);
// Ops with large third derivatives on the sampled domain: a smaller step.
const STEEP = new Set(['log', 'log1p', 'rsqrt', 'reciprocal', 'sqrt']);

const golden = goldenCases('unary', UNARY_RUNS, {
  tol: (g) => {
    if (EXACT_OPS.has(g.op)) return EXACT;
    if (ARITH_OPS.has(g.op)) return ARITH;
    if (g.name.includes('edge')) return g.op === 'erf' ? ERF_EDGE : TRANS_EDGE;
    return TRANS;
  },
  fd: (g) => (STEEP.has(g.op) ? { tol: FD_STEEP, eps: 1e-3 } : { tol: FD, eps: 1e-3 }),
});

const E = Math.E;

const hand: Case[] = [
  { name: 'neg float32 [2,3]', inputs: [f32([1, -2, 0, 3.5, -0.5, 7], [2, 3])], run: ([x]) => T.neg(x!), expected: f32([-1, 2, 0, -3.5, 0.5, -7], [2, 3]) },
  { name: 'neg int32 stays int32', inputs: [i32([-3, 0, 4])], run: ([x]) => T.neg(x!), expected: i32([3, 0, -4]) },
  { name: 'abs int32 stays int32', inputs: [i32([-3, 0, 4, -2147483647])], run: ([x]) => T.abs(x!), expected: i32([3, 0, 4, 2147483647]) },
  { name: 'square int32 stays int32', inputs: [i32([-3, 4, 0])], run: ([x]) => T.square(x!), expected: i32([9, 16, 0]) },
  { name: 'relu int32 stays int32', inputs: [i32([-3, 0, 5])], run: ([x]) => T.relu(x!), expected: i32([0, 0, 5]) },
  // torch.sign(nan) = 0 (computed as (0 < x) - (x < 0)); Tensile pins PyTorch's semantics
  { name: 'sign of NaN is 0 (as PyTorch)', inputs: [f32([NaN, -NaN])], run: ([x]) => T.sign(x!), expected: f32([0, 0]) },
  { name: 'sign float32 and int32', inputs: [f32([-2.5, 0, 3, -0, -Infinity, Infinity]), i32([-5, 0, 7])], run: ([x, y]) => [T.sign(x!), T.sign(y!)], expected: [f32([-1, 0, 1, 0, -1, 1]), i32([-1, 0, 1])] },
  { name: 'round int32 is the identity', inputs: [i32([3, -2])], run: ([x]) => [T.round(x!), T.floor(x!), T.ceil(x!)], expected: [i32([3, -2]), i32([3, -2]), i32([3, -2])] },
  // exp(1) = e = 2.718281828..., exp(2) = e^2 = 7.389056098...
  { name: 'exp of int32 gives float32', inputs: [i32([0, 1, 2])], run: ([x]) => T.exp(x!), expected: f32([1, E, E * E]), tol: TRANS },
  { name: 'sqrt of int32 gives float32', inputs: [i32([0, 1, 4, 9])], run: ([x]) => T.sqrt(x!), expected: f32([0, 1, 2, 3]), tol: ARITH },
  // sigmoid(0) = 1/2, softplus(0) = ln 2, tanh(0) = 0, erf(0) = 0, cos(0) = 1
  {
    name: 'values at 0 (sigmoid, softplus, tanh, erf, cos)', inputs: [f32([0])],
    run: ([x]) => [T.sigmoid(x!), T.softplus(x!), T.tanh(x!), T.erf(x!), T.cos(x!)],
    expected: [f32([0.5]), f32([Math.LN2]), f32([0]), f32([0]), f32([1])], tol: TRANS,
  },
  { name: 'exp rank-0', inputs: [f32([0], [])], run: ([x]) => T.exp(x!), expected: f32([1], []), tol: TRANS },
  { name: 'log of a JS number', inputs: [], run: () => T.log(1), expected: f32([0], []), tol: TRANS },
  { name: 'exp size-0 [0,3]', inputs: [f32([], [0, 3])], run: ([x]) => T.exp(x!), expected: f32([], [0, 3]) },
  { name: 'abs size-0 int32 [2,0]', inputs: [i32([], [2, 0])], run: ([x]) => T.abs(x!), expected: i32([], [2, 0]) },
  { name: 'isNaN / isInf', inputs: [f32([NaN, 1, Infinity, -Infinity, 0])], run: ([x]) => [T.isNaN(x!), T.isInf(x!)], expected: [bool([1, 0, 0, 0, 0]), bool([0, 0, 1, 1, 0])] },
  { name: 'isNaN / isInf of int32 are all false', inputs: [i32([0, 7], [1, 2])], run: ([x]) => [T.isNaN(x!), T.isInf(x!)], expected: [bool([0, 0], [1, 2]), bool([0, 0], [1, 2])] },
  { name: 'isNaN rank-0 and size-0', inputs: [f32([NaN], []), f32([], [0])], run: ([x, y]) => [T.isNaN(x!), T.isNaN(y!)], expected: [bool([1], []), bool([], [0])] },
  { name: 'logicalNot of bool', inputs: [bool([1, 0], [2])], run: ([x]) => T.logicalNot(x!), expected: bool([0, 1]) },
  // float read as bool: 0 -> false, 2 -> true, NaN -> true (!= 0)
  { name: 'logicalNot of float32 reads non-zero (and NaN) as true', inputs: [f32([0, 2, NaN, -0])], run: ([x]) => T.logicalNot(x!), expected: bool([1, 0, 0, 1]) },
  { name: 'NaN propagates through exp, log, sqrt, tanh, sigmoid', inputs: [f32([NaN])], run: ([x]) => [T.exp(x!), T.log(x!), T.sqrt(x!), T.tanh(x!), T.sigmoid(x!)], expected: [f32([NaN]), f32([NaN]), f32([NaN]), f32([NaN]), f32([NaN])] },
  // exp(Inf) = Inf, exp(-Inf) = 0, log(0) = -Inf, log(-1) = NaN, log(Inf) = Inf
  { name: 'exp(Inf), exp(-Inf), log(0), log(-1), log(Inf)', inputs: [f32([Infinity, -Infinity]), f32([0, -1, Infinity])], run: ([x, y]) => [T.exp(x!), T.log(y!)], expected: [f32([Infinity, 0]), f32([-Infinity, NaN, Infinity])] },
  { name: 'method form: x.exp().neg() equals neg(exp(x))', inputs: [f32([0, 1])], run: ([x]) => T.tidy(() => x!.exp().neg()), expected: f32([-1, -E]), tol: TRANS },
  // d/dx sign = d/dx floor = 0 everywhere it is defined (torch returns zeros)
  {
    name: 'sign, floor, ceil and round have zero gradient', inputs: [f32([-1.3, 0.4, 2.7])],
    run: ([x]) => [T.sign(x!), T.floor(x!), T.ceil(x!), T.round(x!)],
    goldenGrad: { weights: [f32([1, 1, 1]), f32([1, 2, 3]), f32([1, 1, 1]), f32([3, 2, 1])], grads: [f32([0, 0, 0])], tol: EXACT },
  },
];

export const unary: Case[] = [...golden, ...hand];
