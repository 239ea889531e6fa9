// Linear (Dense): y = x W^T + b, weight [out_features, in_features] as PyTorch stores it.
import type { Tensor, Variable } from '@tensile/core';
import { checkBool, checkInt } from '../check.js';
import { linearImpl } from '../functional/linear.js';
import { kaimingUniform, uniform } from '../init.js';
import { Module } from '../module.js';
import { checkParamInit, runParamInit, type ParamInit } from './conv_options.js';
import { deriveSeed } from '../seed.js';

export interface LinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** Philox seed of the initial values (weight: this stream, bias: a derived one). */
  seed?: number;
  /**
   * Makes the initial weight [out, in] instead of PyTorch's default (a model with its own
   * scheme then draws once, not twice), e.g. `(s) => init.normal(s, { std: 0.01 })`.
   */
  weightInit?: ParamInit;
  /** Makes the initial bias [out] instead of PyTorch's default, e.g. `init.zeros`. */
  biasInit?: ParamInit;
}

/**
 * A fully connected layer over the last dim: [..., in] -> [..., out]. PyTorch's default
 * initialisation: weight kaiming_uniform(a = sqrt 5), i.e. U(-1/sqrt(in), 1/sqrt(in)), and the bias likewise.
 * @example const fc = new Linear(784, 10, { seed: 0 }); const logits = fc.call(x);
 */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  /** The weight as registered now, so a tied weight (`param('weight', other)`) is what forward uses. */
  get weight(): Variable {
    return this.getParameter('weight');
  }
  readonly bias: Variable | null;

  constructor(inFeatures: number, outFeatures: number, opts: LinearOptions = {}) {
    super();
    this.inFeatures = checkInt('Linear', inFeatures, 'inFeatures', 0);
    this.outFeatures = checkInt('Linear', outFeatures, 'outFeatures', 0);
    const hasBias = checkBool('Linear', opts.bias, 'bias', true);
    const seed = opts.seed;
    if (seed !== undefined) checkInt('Linear', seed, 'seed', 0, Number.MAX_SAFE_INTEGER);
    const weightInit = checkParamInit('Linear', opts.weightInit, 'weightInit'), biasInit = checkParamInit('Linear', opts.biasInit, 'biasInit');
    const weight = this.param('weight', () => (weightInit
      ? runParamInit('Linear', weightInit, 'weightInit', [outFeatures, inFeatures])
      : kaimingUniform([outFeatures, inFeatures], { a: Math.sqrt(5), seed })));
    const bound = inFeatures > 0 ? 1 / Math.sqrt(inFeatures) : 0;
    try {
      this.bias = hasBias
        ? this.param('bias', () => (biasInit
          ? runParamInit('Linear', biasInit, 'biasInit', [outFeatures])
          : uniform([outFeatures], { a: -bound, b: bound, seed: seed === undefined ? undefined : deriveSeed(seed, 1) })))
        : null;
    } catch (e) {
      weight.dispose(); // the layer is never returned: free what it already holds
      throw e;
    }
  }

  forward(x: Tensor): Tensor {
    return linearImpl('Linear', x, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}
