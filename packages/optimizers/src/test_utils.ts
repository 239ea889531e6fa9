// Test helpers: the golden model rebuilt from the recorded inputs, optimizers by name, and
// tolerance checks that report the worst element.
import { Variable, keep, tensor, tidy, variable, type Tensor } from '@tensile/core';
import { golden } from './fixtures/golden.js';
import type { GoldenGroup } from './fixtures/types.js';
import { Adagrad, Adam, AdamW, RMSprop, SGD, type Optimizer, type ParamGroupInput } from './index.js';

export interface Model {
  w: Variable;
  b: Variable;
  x: Tensor;
  y: Tensor;
  /** mean((x @ w + b - y)^2), PyTorch's loss in the generator. */
  loss(): Tensor;
  dispose(): void;
}

/** The generator's linear model with its recorded initial values. */
export function makeModel(): Model {
  const i = golden.inputs;
  const [w, b] = tidy(() => [variable(tensor(i.w, i.wShape), { name: 'w' }), variable(tensor(i.b, i.bShape), { name: 'b' })]);
  const x = keep(tensor(i.x, i.xShape));
  const y = keep(tensor(i.y, i.yShape));
  return {
    w, b, x, y,
    loss: () => tidy(() => x.matmul(w).add(b).sub(y).square().mean()),
    dispose: () => { for (const t of [w, b, x, y]) t.dispose(); },
  };
}

const CTORS = { SGD, Adagrad, RMSprop, Adam, AdamW } as const;

/** Builds an optimizer by name over [w, b], or over named groups. */
export function makeOptimizer(name: keyof typeof CTORS, m: Model, options: Record<string, unknown>, groups?: GoldenGroup[]): Optimizer {
  const byName: Record<string, Variable> = { w: m.w, b: m.b };
  const params = groups === undefined
    ? [m.w, m.b]
    : groups.map((g) => ({ ...g, params: g.params.map((p) => byName[p]!) }) as ParamGroupInput<never>);
  const Ctor = CTORS[name] as unknown as new (p: unknown, o: unknown) => Optimizer;
  return new Ctor(params, options);
}

/** One training step as in the generator: zero grads, loss.backward(), step. Returns the loss. */
export function trainStep(m: Model, opt: Optimizer): number {
  opt.zeroGrad();
  const loss = m.loss();
  loss.backward();
  opt.step();
  const v = loss.dataSync()[0]!;
  loss.dispose();
  return v;
}

/** The largest |actual - expected| / (atol + rtol * |expected|), and where: <= 1 passes. */
export function worst(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, atol: number): { ratio: number; at: number; a: number; e: number } {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} != ${expected.length}`);
  let out = { ratio: 0, at: -1, a: 0, e: 0 };
  for (let k = 0; k < actual.length; k++) {
    const a = actual[k]!;
    const e = expected[k]!;
    const ratio = Number.isNaN(a) !== Number.isNaN(e) ? Infinity : a === e ? 0 : Math.abs(a - e) / (atol + rtol * Math.abs(e));
    if (ratio > out.ratio) out = { ratio, at: k, a, e };
  }
  return out;
}

/** Throws with the worst element when any is out of tolerance. */
export function expectClose(what: string, actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, atol: number): void {
  const r = worst(actual, expected, rtol, atol);
  if (r.ratio > 1) {
    throw new Error(`${what}: element ${r.at} is ${r.a}, expected ${r.e} (rtol ${rtol}, atol ${atol}; ${r.ratio.toFixed(2)}x the tolerance)`);
  }
}
