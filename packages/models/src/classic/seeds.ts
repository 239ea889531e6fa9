// Per-layer seeds for a model built from one optional seed.
import { deriveSeed } from '@tensile/layers';

/**
 * The `{ seed }` option of a model's i-th layer: a derived Philox stream of `seed`, or none (each
 * layer then draws from the global stream) when the model has no seed.
 * @example const s = layerSeeds(7); new Linear(4, 2, s(0));
 */
export function layerSeeds(seed: number | undefined): (i: number) => { seed?: number } {
  return (i) => (seed === undefined ? {} : { seed: deriveSeed(seed, i + 1) });
}
