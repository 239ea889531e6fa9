// ModuleDict: registered modules by name (torch.nn.ModuleDict). It has no forward of its own.
import { ArgumentError } from '@tensile/core';
import { Module, type AnyModule } from './module.js';

/**
 * Holds named modules so their parameters are registered under `name.`; look them up in the
 * owner's forward.
 * @example const heads = new ModuleDict({ cls: new Linear(64, 10), box: new Linear(64, 4) });
 */
export class ModuleDict<M extends AnyModule = AnyModule> extends Module<[never], never> {
  constructor(modules: Record<string, M> = {}) {
    super();
    for (const [k, m] of Object.entries(modules)) this.set(k, m);
  }

  /** A ModuleDict is a container: it throws ArgumentError (look modules up in your forward). */
  forward(): never {
    throw new ArgumentError('ModuleDict: a ModuleDict has no forward; look its modules up in the owner\'s forward');
  }

  /**
   * The module under `key` (ArgumentError if absent).
   * @example heads.get('cls')
   */
  get(key: string): M {
    const m = this.namedChildren().find(([k]) => k === key);
    if (!m) throw new ArgumentError(`ModuleDict.get: no module '${key}' (keys: ${this.keys().join(', ')})`);
    return m[1] as M;
  }

  /**
   * Registers (or replaces) the module under `key`; returns this.
   * @example heads.set('aux', new Linear(64, 2));
   */
  set(key: string, m: M): this {
    this.module(key, m);
    return this;
  }

  /** Whether `key` is registered. @example heads.has('cls') */
  has(key: string): boolean {
    return this.namedChildren().some(([k]) => k === key);
  }

  /** The keys in insertion order. @example heads.keys() */
  keys(): string[] {
    return this.namedChildren().map(([k]) => k);
  }

  /** The modules in insertion order. @example heads.values() */
  values(): M[] {
    return this.children() as M[];
  }

  /** [key, module] pairs in insertion order. @example heads.entries() */
  entries(): [string, M][] {
    return this.namedChildren() as [string, M][];
  }

  /** How many modules. */
  get size(): number {
    return this.children().length;
  }
}
