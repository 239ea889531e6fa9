// clip and the activations (leakyRelu alpha 0.01, elu alpha 1, gelu exact by default).
import * as T from '@tensile/core';
import { goldenCases, opt } from '../golden.js';
import { ARITH, FD, TRANS } from '../tol.js';
import type { Case } from '../types.js';
import { f32, i32 } from '../util.js';

const golden = goldenCases('activations', {
  leakyRelu: ([x], a) => T.leakyRelu(x!, opt(a.alpha)),
  elu: ([x], a) => T.elu(x!, opt(a.alpha)),
  gelu: ([x], a) => (a.approximate ? T.gelu(x!, { approximate: a.approximate }) : T.gelu(x!)),
}, { tol: () => TRANS, fd: () => ({ tol: FD, eps: 1e-3 }) });

const hand: Case[] = [
  // leakyRelu(-1) = 0.01 * -1 (default alpha 0.01, as PyTorch)
  { name: 'leakyRelu default alpha is 0.01', inputs: [f32([-1, 2, 0])], run: ([x]) => T.leakyRelu(x!), expected: f32([-0.01, 2, 0]), tol: ARITH },
  { name: 'leakyRelu alpha 0.2', inputs: [f32([-1, 2])], run: ([x]) => T.leakyRelu(x!, 0.2), expected: f32([-0.2, 2]), tol: ARITH },
  // elu(-1) = 1 * (e^-1 - 1) = -0.6321205588 (default alpha 1); elu(-2, 0.5) = 0.5 (e^-2 - 1) = -0.4323323584
  { name: 'elu default alpha is 1', inputs: [f32([-1, 2])], run: ([x]) => T.elu(x!), expected: f32([-0.6321205588285577, 2]), tol: TRANS },
  { name: 'elu alpha 0.5', inputs: [f32([-2])], run: ([x]) => T.elu(x!, 0.5), expected: f32([-0.43233235838169365]), tol: TRANS },
  // exact: 0.5 x (1 + erf(x / sqrt 2)): gelu(1) = 0.8413447461, gelu(-1) = -0.1586552539
  { name: 'gelu is exact (erf) by default', inputs: [f32([1, -1, 0])], run: ([x]) => T.gelu(x!), expected: f32([0.8413447460685429, -0.15865525393145707, 0]), tol: TRANS },
  // tanh: 0.5 (1 + tanh(sqrt(2/pi) (1 + 0.044715))) = 0.8411919906
  { name: "gelu {approximate: 'tanh'}", inputs: [f32([1, 0])], run: ([x]) => T.gelu(x!, { approximate: 'tanh' }), expected: f32([0.8411919906082768, 0]), tol: TRANS },
  { name: 'relu rank-0 and size-0', inputs: [f32([-3], []), f32([], [0, 2])], run: ([x, y]) => [T.relu(x!), T.relu(y!)], expected: [f32([0], []), f32([], [0, 2])] },
  { name: 'gelu size-0', inputs: [f32([], [0])], run: ([x]) => T.gelu(x!), expected: f32([], [0]) },

  // clip = min(max(x, lo), hi), as torch.clamp
  { name: 'clip to [0, 1]', inputs: [f32([-2, 0.5, 3])], run: ([x]) => T.clip(x!, 0, 1), expected: f32([0, 0.5, 1]) },
  { name: 'clip with only a lower bound', inputs: [f32([-2, 0.5, 3])], run: ([x]) => T.clip(x!, 0), expected: f32([0, 0.5, 3]) },
  { name: 'clip with only an upper bound', inputs: [f32([-2, 0.5, 3])], run: ([x]) => T.clip(x!, undefined, 1), expected: f32([-2, 0.5, 1]) },
  { name: 'clip with no bounds copies', inputs: [f32([-2, 0.5])], run: ([x]) => T.clip(x!), expected: f32([-2, 0.5]) },
  // min(max(x, 2), 1) = 1 for every x
  { name: 'clip with min > max gives max', inputs: [f32([0, 5, -3, 1.5])], run: ([x]) => T.clip(x!, 2, 1), expected: f32([1, 1, 1, 1]) },
  { name: 'clip propagates NaN and clamps infinities', inputs: [f32([NaN, Infinity, -Infinity])], run: ([x]) => T.clip(x!, -1, 1), expected: f32([NaN, 1, -1]) },
  { name: 'clip int32 with integer bounds stays int32', inputs: [i32([-5, 1, 5])], run: ([x]) => T.clip(x!, 0, 3), expected: i32([0, 1, 3]) },
  { name: 'clip rank-0 and size-0', inputs: [f32([7], []), f32([], [3, 0])], run: ([x, y]) => [T.clip(x!, 0, 1), T.clip(y!, 0, 1)], expected: [f32([1], []), f32([], [3, 0])] },
  { name: 'clip method form', inputs: [f32([-2, 3])], run: ([x]) => x!.clip(-1, 1), expected: f32([-1, 1]) },
  // gradient 1 strictly inside [lo, hi], 0 outside (inputs keep 0.2 from the bounds)
  { name: 'clip gradient', inputs: [f32([-2, -0.3, 0.2, 0.7, 1.5, 0.5], [2, 3])], run: ([x]) => T.clip(x!, 0, 1), expected: f32([0, 0, 0.2, 0.7, 1, 0.5], [2, 3]), grad: { tol: FD } },
  { name: 'clip lower-only gradient', inputs: [f32([-2, 0.3, 1.5])], run: ([x]) => T.clip(x!, 0), grad: { tol: FD } },
];

export const activations: Case[] = [...golden, ...hand];
