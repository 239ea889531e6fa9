// Test helpers of the sequence, DCGAN and Siamese tests (beside the zoo's shared helpers.ts):
// closeness, and a few optimizer steps on a fixed batch (the leak check is helpers.ts's).
import { tidy, type Tensor } from '@tensile/core';
import type { AnyModule } from '@tensile/layers';
import { Adam } from '@tensile/optimizers';
import { expect } from 'vitest';
export { BACKENDS, expectNoLeak, useBackend as use } from './helpers.js';

/** Expects `got` within atol of `want`, element by element, with the first bad index in the message. */
export function expectAllClose(got: ArrayLike<number>, want: ArrayLike<number>, atol: number, what: string): void {
  expect(got.length, `${what}: size`).toBe(want.length);
  let worst = 0, at = -1;
  for (let i = 0; i < want.length; i++) {
    const e = Math.abs(got[i]! - want[i]!);
    if (!(e <= worst)) [worst, at] = [e, i];
  }
  if (worst > atol) expect.fail(`${what}: element ${at} is ${got[at]}, expected ${want[at]} (|error| ${worst} > ${atol})`);
}

/** Losses of `steps` Adam steps of `lossOf(model)` on a fixed batch (the loss before each step). */
export function adamSteps(model: AnyModule, lossOf: () => Tensor, steps: number, lr: number): number[] {
  const opt = new Adam(model.parameters(), { lr });
  const losses: number[] = [];
  try {
    for (let i = 0; i < steps; i++) {
      const loss = tidy(lossOf);
      losses.push(loss.dataSync()[0]!);
      loss.backward();
      loss.dispose();
      opt.step();
      opt.zeroGrad();
    }
  } finally {
    opt.dispose();
  }
  return losses;
}
