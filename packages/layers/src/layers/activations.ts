// Activation layers (torch.nn.ReLU, LeakyReLU, ELU, GELU, Sigmoid, Tanh, Softmax, LogSoftmax).
import { elu, gelu, leakyRelu, logSoftmax, relu, sigmoid, softmax, tanh, type Tensor } from '@tensile/core';
import { checkChoice, checkFloat, checkInt, checkNumber } from '../check.js';
import { Module } from '../module.js';

/** max(x, 0). @example new ReLU().call(x) */
export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return relu(checkFloat('ReLU', x, 'x'));
  }
}

/**
 * x for x > 0, negativeSlope * x otherwise (default 0.01).
 * @example new LeakyReLU(0.2)
 */
export class LeakyReLU extends Module {
  readonly negativeSlope: number;

  constructor(negativeSlope = 0.01) {
    super();
    this.negativeSlope = checkNumber('LeakyReLU', negativeSlope, 'negativeSlope', 0.01);
  }

  forward(x: Tensor): Tensor {
    return leakyRelu(checkFloat('LeakyReLU', x, 'x'), this.negativeSlope);
  }

  override extraRepr(): string {
    return `negative_slope=${this.negativeSlope}`;
  }
}

/**
 * x for x > 0, alpha (e^x - 1) otherwise (default alpha 1).
 * @example new ELU()
 */
export class ELU extends Module {
  readonly alpha: number;

  constructor(alpha = 1) {
    super();
    this.alpha = checkNumber('ELU', alpha, 'alpha', 1);
  }

  forward(x: Tensor): Tensor {
    return elu(checkFloat('ELU', x, 'x'), this.alpha);
  }

  override extraRepr(): string {
    return `alpha=${this.alpha}`;
  }
}

/**
 * x Phi(x), exact (default) or with the tanh approximation.
 * @example new GELU({ approximate: 'tanh' })
 */
export class GELU extends Module {
  readonly approximate: 'none' | 'tanh';

  constructor(opts: { approximate?: 'none' | 'tanh' } = {}) {
    super();
    this.approximate = checkChoice('GELU', opts.approximate, 'approximate', ['none', 'tanh'] as const, 'none');
  }

  forward(x: Tensor): Tensor {
    return gelu(checkFloat('GELU', x, 'x'), { approximate: this.approximate });
  }

  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}

/** 1 / (1 + e^-x). @example new Sigmoid() */
export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return sigmoid(checkFloat('Sigmoid', x, 'x'));
  }
}

/** tanh(x). @example new Tanh() */
export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return tanh(checkFloat('Tanh', x, 'x'));
  }
}

/**
 * Softmax along `dim` (default -1).
 * @example new Softmax(1)
 */
export class Softmax extends Module {
  readonly dim: number;

  constructor(dim = -1) {
    super();
    this.dim = checkInt('Softmax', dim, 'dim');
  }

  forward(x: Tensor): Tensor {
    return softmax(checkFloat('Softmax', x, 'x'), this.dim);
  }

  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/**
 * log(softmax(x)) along `dim` (default -1), computed stably.
 * @example new LogSoftmax(1)
 */
export class LogSoftmax extends Module {
  readonly dim: number;

  constructor(dim = -1) {
    super();
    this.dim = checkInt('LogSoftmax', dim, 'dim');
  }

  forward(x: Tensor): Tensor {
    return logSoftmax(checkFloat('LogSoftmax', x, 'x'), this.dim);
  }

  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}
