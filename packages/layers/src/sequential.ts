// Sequential: modules applied in order (torch.nn.Sequential), named '0', '1', ... or by the
// keys of an object, which become the state-dict prefixes.
import { ArgumentError, type Tensor } from '@tensile/core';
import { Module, type AnyModule } from './module.js';
import { describe } from './check.js';

/** A module mapping one tensor to one tensor. */
export type TensorModule = Module<[Tensor], Tensor>;

/**
 * Chains modules: the output of each is the input of the next. Build it from modules
 * (named '0', '1', ...) or from an object of named modules (PyTorch's OrderedDict form).
 * @example const mlp = new Sequential(new Linear(784, 128), new ReLU(), new Linear(128, 10));
 */
export class Sequential extends Module<[Tensor], Tensor> {
  constructor(...layers: TensorModule[] | [Record<string, TensorModule>]) {
    super();
    const first = layers[0];
    if (layers.length === 1 && !(first instanceof Module) && typeof first === 'object' && first !== null) {
      for (const [name, m] of Object.entries(first)) this.#add(name, m);
    } else {
      (layers as TensorModule[]).forEach((m, i) => this.#add(String(i), m));
    }
  }

  #add(name: string, m: unknown): void {
    if (!(m instanceof Module)) throw new ArgumentError(`Sequential: layer '${name}' must be a Module, got ${describe(m)}`);
    this.module(name, m as AnyModule);
  }

  /** Runs the layers in order. */
  forward(x: Tensor): Tensor {
    let y = x;
    for (const m of this.children()) y = m.call(y) as Tensor;
    return y;
  }

  /** How many layers. */
  get length(): number {
    return this.children().length;
  }

  /**
   * The layer at `index` (negative counts from the end).
   * @example mlp.at(-1) // the last Linear
   */
  at(index: number): AnyModule {
    const all = this.children();
    const i = index < 0 ? all.length + index : index;
    if (!Number.isInteger(index) || i < 0 || i >= all.length) {
      throw new ArgumentError(`Sequential.at: index ${describe(index)} is out of range for ${all.length} layers`);
    }
    return all[i]!;
  }

  /**
   * Appends a layer under the next index; returns this.
   * @example seq.append(new ReLU());
   */
  append(m: TensorModule): this {
    this.#add(String(this.length), m);
    return this;
  }

  [Symbol.iterator](): Iterator<AnyModule> {
    return this.children()[Symbol.iterator]();
  }
}
