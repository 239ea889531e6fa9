// LayerNorm (torch.nn.LayerNorm): normalises over the trailing normalizedShape dims.
import { ArgumentError, type Tensor, type Variable } from '@tensile/core';
import { checkBool, checkNumber, describe } from '../check.js';
import { layerNormImpl } from '../functional/layer_norm.js';
import { ones, zeros } from '../init.js';
import { Module } from '../module.js';

export interface LayerNormConfig {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Learn weight (init 1) and bias (init 0) of normalizedShape (default true). */
  elementwiseAffine?: boolean;
  /** With elementwiseAffine, also learn the bias (default true). */
  bias?: boolean;
}

/**
 * Normalises each sample over its last dims (mean 0, biased variance 1), then scales and shifts.
 * @example new LayerNorm(512) // over the last dim of [batch, seq, 512]
 */
export class LayerNorm extends Module {
  readonly normalizedShape: number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;
  readonly weight: Variable | null;
  readonly bias: Variable | null;

  constructor(normalizedShape: number | number[], cfg: LayerNormConfig = {}) {
    super();
    const shape = typeof normalizedShape === 'number' ? [normalizedShape] : normalizedShape;
    if (!Array.isArray(shape) || shape.length === 0 || shape.some((d) => !Number.isInteger(d) || d < 1)) {
      throw new ArgumentError(`LayerNorm: normalizedShape must be a positive integer or a non-empty array of them, got ${describe(normalizedShape)}`);
    }
    this.normalizedShape = [...shape];
    this.eps = checkNumber('LayerNorm', cfg.eps, 'eps', 1e-5, 0);
    this.elementwiseAffine = checkBool('LayerNorm', cfg.elementwiseAffine, 'elementwiseAffine', true);
    const hasBias = checkBool('LayerNorm', cfg.bias, 'bias', true);
    this.weight = this.elementwiseAffine ? this.param('weight', () => ones(this.normalizedShape)) : null;
    this.bias = this.elementwiseAffine && hasBias ? this.param('bias', () => zeros(this.normalizedShape)) : null;
  }

  forward(x: Tensor): Tensor {
    return layerNormImpl('LayerNorm', x, this.normalizedShape, { weight: this.weight, bias: this.bias, eps: this.eps });
  }

  override extraRepr(): string {
    return `(${this.normalizedShape.join(', ')},), eps=${this.eps}, elementwise_affine=${this.elementwiseAffine}`;
  }
}
