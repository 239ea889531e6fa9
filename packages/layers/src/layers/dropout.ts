// Dropout (torch.nn.Dropout): drops in training mode, the identity in evaluation mode.
import { reshape, type Tensor } from '@tensile/core';
import { checkFloat, checkInt, checkNumber } from '../check.js';
import { dropoutImpl } from '../functional/dropout.js';
import { Module } from '../module.js';
import { deriveSeed } from '../seed.js';

/**
 * Zeroes each element with probability p (default 0.5) in training, scaling the rest by
 * 1 / (1 - p); in evaluation mode it passes x through. With `seed`, call k draws its mask
 * from stream k of that seed: a fresh mask each step, the same sequence every run.
 * @example const drop = new Dropout(0.2, { seed: 0 }); model.eval(); // now the identity
 */
export class Dropout extends Module {
  readonly p: number;
  readonly seed: number | undefined;
  #calls = 0;

  constructor(p = 0.5, opts: { seed?: number } = {}) {
    super();
    this.p = checkNumber('Dropout', p, 'p', 0.5, 0, 1);
    this.seed = opts.seed === undefined ? undefined : checkInt('Dropout', opts.seed, 'seed', 0, Number.MAX_SAFE_INTEGER);
  }

  forward(x: Tensor): Tensor {
    if (!this.training || this.p === 0) return reshape(checkFloat('Dropout', x, 'x'), x.shape);
    const seed = this.seed === undefined ? undefined : deriveSeed(this.seed, this.#calls + 1);
    this.#calls++;
    return dropoutImpl('Dropout', x, this.p, { training: true, seed });
  }

  override extraRepr(): string {
    return `p=${this.p}`;
  }
}
