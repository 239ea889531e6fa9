// Formula weights for comparing whole architectures with torchvision without shipping their
// weights: the exact integer hash fixtures/torchvision_outputs.py uses, so both sides hold
// bit-identical float32 values (see that script for the scheme).
import { dispose, noGrad, tensor, type Tensor } from '@tensile/core';
import type { AnyModule } from '@tensile/layers';

/** How an entry's values follow from u: `offset + factor * u`, or `1 + |u|` for running variances. */
interface Rule {
  offset: number;
  factor: number;
  absolute: boolean;
}

/**
 * Fills `out` with rule(u(i, k)) for i in [0, out.length), u(i, k) in [-0.5, 0.5) being murmur3's
 * finaliser of (i + k * 0x9e3779b9) mod 2^32, over 2^32, minus 0.5. One tight loop: VGG-16 fills 138M.
 */
export function hashedValues(out: Float32Array, k: number, rule: Rule): Float32Array {
  const offset = Math.imul(k, 0x9e3779b9) >>> 0;
  const { offset: a, factor: b, absolute } = rule;
  const n = out.length;
  for (let i = 0; i < n; i++) {
    let h = (i + offset) >>> 0;
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    const u = (h >>> 0) / 4294967296 - 0.5;
    out[i] = absolute ? 1 + Math.abs(u) : a + b * u;
  }
  return out;
}

/** The value rule of each kind of state-dict entry (torchvision_outputs.py's `formula`). */
function ruleFor(name: string, shape: number[]): Rule {
  if (shape.length >= 2) return { offset: 0, factor: Math.sqrt(24 / shape.slice(1).reduce((a, b) => a * b, 1)), absolute: false };
  if (name.endsWith('running_var')) return { offset: 1, factor: 1, absolute: true };
  if (name.endsWith('weight')) return { offset: 1, factor: 0.2, absolute: false };
  return { offset: 0, factor: 0.2, absolute: false };
}

/**
 * Sets every float entry of the model's state dict to the formula's values, one entry at a time
 * (VGG-16's biggest weight alone is 411 MB).
 * @example setFormulaWeights(vgg16({ skipInit: true }))
 */
export function setFormulaWeights(model: AnyModule): void {
  const sd = model.stateDict();
  const names = Object.keys(sd);
  dispose(sd);
  const state = new Map([...model.namedParameters(), ...model.namedBuffers()]);
  names.forEach((name, k) => {
    const v = state.get(name)!;
    if (v.dtype !== 'float32') return; // num_batches_tracked stays 0
    const t = tensor(hashedValues(new Float32Array(v.size), k, ruleFor(name, v.shape)), v.shape);
    noGrad(() => v.assign(t));
    t.dispose();
  });
}

/** The formula input [1, 3, s, s]: 2 u(i, 100000). */
export function formulaInput(side: number): Tensor {
  return tensor(hashedValues(new Float32Array(3 * side * side), 100000, { offset: 0, factor: 2, absolute: false }), [1, 3, side, side]);
}
