// ModuleList: an indexable list of registered modules (torch.nn.ModuleList), for models
// whose forward loops over layers. It has no forward of its own.
import { ArgumentError } from '@tensile/core';
import { Module, type AnyModule } from './module.js';
import { describe } from './check.js';

/**
 * Holds modules named '0', '1', ... so their parameters are registered; iterate it in the
 * owner's forward.
 * @example this.blocks = this.module('blocks', new ModuleList([new Linear(8, 8), new Linear(8, 8)]));
 */
export class ModuleList<M extends AnyModule = AnyModule> extends Module<[never], never> {
  constructor(modules: Iterable<M> = []) {
    super();
    for (const m of modules) this.append(m);
  }

  /** A ModuleList is a container: it throws ArgumentError (loop over it in your forward). */
  forward(): never {
    throw new ArgumentError('ModuleList: a ModuleList has no forward; iterate its modules in the owner\'s forward');
  }

  /** How many modules. */
  get length(): number {
    return this.children().length;
  }

  /**
   * The module at `index` (negative counts from the end).
   * @example blocks.at(0)
   */
  at(index: number): M {
    const all = this.children() as M[];
    const i = index < 0 ? all.length + index : index;
    if (!Number.isInteger(index) || i < 0 || i >= all.length) {
      throw new ArgumentError(`ModuleList.at: index ${describe(index)} is out of range for ${all.length} modules`);
    }
    return all[i]!;
  }

  /**
   * Adds a module under the next index; returns this.
   * @example list.append(new Linear(4, 4));
   */
  append(m: M): this {
    if (!(m instanceof Module)) throw new ArgumentError(`ModuleList.append: expected a Module, got ${describe(m)}`);
    this.module(String(this.length), m);
    return this;
  }

  /**
   * Appends every module of `modules`; returns this.
   * @example list.extend([new ReLU(), new Linear(4, 2)]);
   */
  extend(modules: Iterable<M>): this {
    for (const m of modules) this.append(m);
    return this;
  }

  [Symbol.iterator](): Iterator<M> {
    return (this.children() as M[])[Symbol.iterator]();
  }
}
