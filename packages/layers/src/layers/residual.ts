// Residual: body(x) + shortcut(x), the skip connection of ResNets.
import { ShapeError, fmt, type Tensor } from '@tensile/core';
import { checkTensor, sameShape } from '../check.js';
import { Module } from '../module.js';
import type { TensorModule } from '../sequential.js';

/**
 * Adds the input (or `shortcut(x)`, e.g. a strided 1x1 conv) to `body(x)`; the submodules
 * are registered as 'body' and 'shortcut'.
 * @example new Residual(new Sequential(new Linear(64, 64), new ReLU(), new Linear(64, 64)))
 */
export class Residual extends Module {
  readonly body: TensorModule;
  readonly shortcut: TensorModule | null;

  constructor(body: TensorModule, shortcut?: TensorModule | null) {
    super();
    this.body = this.module('body', body);
    this.shortcut = shortcut == null ? null : this.module('shortcut', shortcut);
  }

  forward(xIn: Tensor): Tensor {
    const x = checkTensor('Residual', xIn, 'x');
    const y = this.body.call(x);
    const s = this.shortcut ? this.shortcut.call(x) : x;
    if (!sameShape(y.shape, s.shape)) {
      throw new ShapeError(`Residual: body output ${fmt(y.shape)} and ${this.shortcut ? 'shortcut output' : 'input'} ${fmt(s.shape)} must have one shape to be added`);
    }
    return y.add(s);
  }
}
