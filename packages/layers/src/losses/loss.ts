// The base of the loss modules: forward(input, target) -> loss, with a `reduction`.
import type { Tensor } from '@tensile/core';
import { Module } from '../module.js';
import { checkReduction, type Reduction } from './reduction.js';

/**
 * A loss as a module (torch.nn's *Loss classes): configured once, called with (input, target).
 * @example const lossFn = new MSELoss(); const loss = lossFn.call(pred, target);
 */
export abstract class Loss extends Module<[Tensor, Tensor], Tensor> {
  readonly reduction: Reduction;

  constructor(reduction?: Reduction) {
    super();
    this.reduction = checkReduction(this.constructor.name, reduction);
  }

  override extraRepr(): string {
    return `reduction='${this.reduction}'`;
  }
}
