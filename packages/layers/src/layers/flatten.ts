// Flatten (torch.nn.Flatten): merges dims startDim..endDim, by default all but the batch dim.
import { ShapeError, flatten, fmt, type Tensor } from '@tensile/core';
import { checkInt, checkTensor } from '../check.js';
import { Module } from '../module.js';

/**
 * Flattens dims startDim (default 1) to endDim (default -1) into one.
 * @example new Flatten().call(zeros([8, 16, 4, 4])) // [8, 256]
 */
export class Flatten extends Module {
  readonly startDim: number;
  readonly endDim: number;

  constructor(startDim = 1, endDim = -1) {
    super();
    this.startDim = checkInt('Flatten', startDim, 'startDim');
    this.endDim = checkInt('Flatten', endDim, 'endDim');
  }

  forward(xIn: Tensor): Tensor {
    const x = checkTensor('Flatten', xIn, 'x');
    const norm = (d: number): number => (d < 0 ? d + x.rank : d);
    const [s, e] = [norm(this.startDim), norm(this.endDim)];
    if (x.rank > 0 && (s < 0 || s >= x.rank || e < 0 || e >= x.rank || s > e)) {
      throw new ShapeError(`Flatten: dims ${this.startDim}..${this.endDim} do not fit x ${fmt(x.shape)}`);
    }
    return flatten(x, this.startDim, this.endDim);
  }

  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}
