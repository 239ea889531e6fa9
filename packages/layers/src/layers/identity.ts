// Identity (torch.nn.Identity): a placeholder that returns its input.
import { reshape, type Tensor } from '@tensile/core';
import { checkTensor } from '../check.js';
import { Module } from '../module.js';

/**
 * Returns x (a new handle on the same values, so disposing one leaves the other).
 * @example model.module('fc', new Identity()); // strip a classifier head
 */
export class Identity extends Module {
  forward(x: Tensor): Tensor {
    return reshape(checkTensor('Identity', x, 'x'), x.shape);
  }
}
