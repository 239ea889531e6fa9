// The activations a zoo config may name, as layer factories.
import { ArgumentError } from '@tensile/core';
import { ELU, GELU, LeakyReLU, ReLU, Sigmoid, Tanh, type TensorModule } from '@tensile/layers';

/** The activation names a model config accepts. */
export type ActivationName = 'relu' | 'tanh' | 'sigmoid' | 'gelu' | 'elu' | 'leakyRelu';

const FACTORIES: Record<ActivationName, () => TensorModule> = {
  relu: () => new ReLU(),
  tanh: () => new Tanh(),
  sigmoid: () => new Sigmoid(),
  gelu: () => new GELU(),
  elu: () => new ELU(),
  leakyRelu: () => new LeakyReLU(),
};

/**
 * A fresh activation layer for `name`; `model` names the caller in the error.
 * @example activationLayer('mlp', 'tanh') // new Tanh()
 */
export function activationLayer(model: string, name: string): TensorModule {
  return FACTORIES[checkActivation(model, name)]();
}

/**
 * `name` if it is an activation a config may name, else an ArgumentError naming `model`.
 * @example checkActivation('mlp', 'relu') // 'relu'
 */
export function checkActivation(model: string, name: string): ActivationName {
  if (!Object.hasOwn(FACTORIES, name)) {
    throw new ArgumentError(`${model}: activation must be one of ${Object.keys(FACTORIES).join(', ')}, got '${name}'`);
  }
  return name as ActivationName;
}
