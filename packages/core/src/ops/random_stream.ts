// A seeded Philox stream with an explicit offset (torch.Generator's seed + offset): each draw
// starts where the last one ended, so a run can be resumed exactly by saving `offset`.
import { ArgumentError } from '../errors.js';
import { philoxBlocks } from '../random/philox.js';
import type { Tensor } from '../tensor.js';
import { rand, randn } from './creation.js';
import { dropout } from './dropout.js';
import { checkInt, describe } from './op.js';

/**
 * Draws rand/randn/dropout masks from one seeded stream, advancing `offset` (in Philox blocks)
 * by what each draw used; `new RandomStream(seed, offset)` resumes where another left off.
 * @example const g = new RandomStream(42); const a = g.rand([3]); const b = g.rand([3]); // b continues a
 */
export class RandomStream {
  readonly seed: number;
  #offset: number;

  constructor(seed: number, offset = 0) {
    this.seed = checkInt('RandomStream', seed, 'seed', 0, Number.MAX_SAFE_INTEGER);
    this.#offset = checkInt('RandomStream', offset, 'offset', 0, Number.MAX_SAFE_INTEGER);
  }

  /** Where the next draw starts, in blocks of 4 Philox words. */
  get offset(): number {
    return this.#offset;
  }

  #take(dist: 'uniform' | 'normal', shape: number[]): number {
    if (!Array.isArray(shape)) throw new ArgumentError(`RandomStream: shape must be an array, got ${describe(shape)}`);
    const at = this.#offset;
    this.#offset += philoxBlocks(dist, shape.reduce((a, b) => a * b, 1));
    return at;
  }

  /** Uniform samples in [0, 1) from the stream. @example g.rand([2, 2]) */
  rand(shape: number[]): Tensor {
    const y = rand(shape, { seed: this.seed, offset: this.#offset });
    this.#take('uniform', shape);
    return y;
  }

  /** Normal samples (mean + std * N(0, 1)) from the stream. @example g.randn([3], { std: 0.1 }) */
  randn(shape: number[], opts: { mean?: number; std?: number } = {}): Tensor {
    const y = randn(shape, { seed: this.seed, offset: this.#offset, ...opts });
    this.#take('normal', shape);
    return y;
  }

  /** Inverted dropout of x with its mask from the stream (the stream advances only in training). @example g.dropout(x, 0.1) */
  dropout(x: Tensor, rate: number, opts: { training?: boolean } = {}): Tensor {
    const y = dropout(x, rate, { seed: this.seed, offset: this.#offset, training: opts.training });
    if ((opts.training ?? true) && rate > 0 && rate < 1) this.#take('uniform', x.shape);
    return y;
  }
}
