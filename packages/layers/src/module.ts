// Module: the base class of every layer and model (torch.nn.Module). Parameters (trainable
// Variables), buffers (non-trainable Variables such as BatchNorm's running statistics) and
// submodules are registered explicitly in the constructor, which gives them their dotted
// state-dict names:
//
//   class Block extends Module {
//     readonly fc = this.module('fc', new Linear(4, 4));
//     readonly scale = this.param('scale', () => ones([4]));
//     forward(x: Tensor): Tensor { return this.fc.call(x).mul(this.scale); }
//   }
import { ArgumentError, DTypeError, DisposedError, Tensor, Variable, cast, noGrad, reshape, tidy, variable, type TensorContainer } from '@tensile/core';
import { checkBool, describe } from './check.js';
import { ForwardHooks, type ForwardHook, type ForwardPreHook, type HookHandle } from './hooks.js';
import { StateDictError, type ShapeMismatch, type StateDict } from './state_dict.js';

/** A module of any signature (what containers hold). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModule = Module<any[], any>;

/** Options of the named traversals. */
export interface NamedOptions {
  /** Prepended to every name (with a dot). */
  prefix?: string;
  /** Include submodules' entries (default true). */
  recurse?: boolean;
}

export interface LoadStateDictOptions {
  /** Missing and unexpected keys are errors (default true, as PyTorch). Shape mismatches always are. */
  strict?: boolean;
}

/** What `loadStateDict` reports (only non-empty when `strict` is false). */
export interface LoadResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

type Init = Tensor | (() => Tensor);

const join = (prefix: string, name: string): string => (prefix === '' ? name : `${prefix}.${name}`);

/** The class name, as PyTorch prints modules. @example moduleName(new Linear(2, 2)) // 'Linear' */
export function moduleName(m: object): string {
  return m.constructor.name;
}

/**
 * Base class of layers and models: subclasses register their state in the constructor
 * (`this.param`, `this.buffer`, `this.module`) and implement `forward`; callers use `call`.
 * @example class Affine extends Module { w = this.param('weight', () => ones([3])); forward(x: Tensor) { return x.mul(this.w); } }
 */
export abstract class Module<Args extends unknown[] = [Tensor], Out = Tensor> {
  /** Training mode (true) or evaluation mode (false); set recursively by `train()`/`eval()`. */
  training = true;
  readonly #params = new Map<string, Variable>();
  readonly #buffers = new Map<string, Variable>();
  readonly #nonPersistent = new Set<string>();
  readonly #modules = new Map<string, AnyModule>();
  #disposed = false;
  #hooks: ForwardHooks | undefined;

  /** The computation; implement it, call it through `call`. */
  abstract forward(...args: Args): Out;

  /**
   * Runs `forward` in its own tidy scope (intermediates are freed, the result is handed to the
   * caller's scope), after checking the module was not disposed: PyTorch's `module(x)`.
   * The result must be a tensor or arrays/plain objects of tensors.
   * @example const y = model.call(x);
   */
  call(...args: Args): Out {
    if (this.#disposed) throw new DisposedError(`${moduleName(this)}: the module was disposed`);
    const hooks = this.#hooks;
    // Hooks run inside the scope, so whatever they make is freed unless it becomes the result.
    if (hooks === undefined || hooks.empty) return tidy(() => this.forward(...args) as unknown as TensorContainer) as unknown as Out;
    return tidy(() => hooks.run(this, args, (...a: Args) => this.forward(...a)) as unknown as TensorContainer) as unknown as Out;
  }

  /**
   * Registers `fn(module, inputs)` to run before every `forward` through `call`; it may return
   * replacement arguments (an array, or one value for a one-argument call). Hooks run in
   * registration order. PyTorch's register_forward_pre_hook.
   * @example const h = model.registerForwardPreHook((m, [x]) => console.log(x.shape)); h.remove();
   */
  registerForwardPreHook(fn: ForwardPreHook<this>): HookHandle {
    return (this.#hooks ??= new ForwardHooks()).add(`${moduleName(this)}.registerForwardPreHook`, 'pre', fn);
  }

  /**
   * Registers `fn(module, inputs, output)` to run after every `forward` through `call`; it may
   * return a replacement output. Hooks run in registration order. PyTorch's register_forward_hook.
   * @example const h = conv.registerForwardHook((m, inputs, y) => console.log(y.shape)); h.remove();
   */
  registerForwardHook(fn: ForwardHook<this>): HookHandle {
    return (this.#hooks ??= new ForwardHooks()).add(`${moduleName(this)}.registerForwardHook`, 'post', fn);
  }

  /** Whether `dispose()` ran. */
  get isDisposed(): boolean {
    return this.#disposed;
  }

  #checkName(what: string, name: unknown, own: Map<string, unknown>): string {
    if (typeof name !== 'string' || name === '' || name.includes('.')) {
      throw new ArgumentError(`${moduleName(this)}.${what}: the name must be a non-empty string without '.', got ${describe(name)}`);
    }
    for (const [kind, map] of [['parameter', this.#params], ['buffer', this.#buffers], ['module', this.#modules]] as const) {
      if (map !== own && map.has(name)) {
        throw new ArgumentError(`${moduleName(this)}.${what}: '${name}' is already registered as a ${kind}`);
      }
    }
    return name;
  }

  /**
   * Registers a trainable parameter under `name` (its state-dict key) and returns it: a
   * Variable holding `init` (a tensor, or a function run once in a tidy scope), or `init`
   * itself when it is a Variable (a tied weight). Registering the name again replaces it.
   * @example this.weight = this.param('weight', () => init.kaimingUniform([out, inF], { a: Math.sqrt(5) }));
   */
  param(name: string, init: Init | Variable): Variable {
    this.#checkName('param', name, this.#params);
    const v = init instanceof Variable ? init : this.#makeVariable('param', name, init, true);
    if (v.dtype !== 'float32') {
      throw new DTypeError(`${moduleName(this)}.param: parameter '${name}' has dtype ${v.dtype} (shape [${v.shape.join(',')}]); parameters are float32 (register other state as a buffer)`);
    }
    if (v.isDisposed) throw new DisposedError(`${moduleName(this)}.param: parameter '${name}' was disposed`);
    this.#params.set(name, v);
    return v;
  }

  /**
   * Registers a buffer: state that is saved and loaded but not trained (BatchNorm's
   * running_mean). Returns a non-trainable Variable, updated with `assign`. With
   * `persistent: false` it stays out of the state dict.
   * @example this.runningMean = this.buffer('running_mean', () => zeros([c]));
   */
  buffer(name: string, init: Init | Variable, opts: { persistent?: boolean } = {}): Variable {
    this.#checkName('buffer', name, this.#buffers);
    const persistent = checkBool(`${moduleName(this)}.buffer`, opts.persistent, 'persistent', true);
    const v = init instanceof Variable ? init : this.#makeVariable('buffer', name, init, false);
    if (v.isDisposed) throw new DisposedError(`${moduleName(this)}.buffer: buffer '${name}' was disposed`);
    this.#buffers.set(name, v);
    if (persistent) this.#nonPersistent.delete(name);
    else this.#nonPersistent.add(name);
    return v;
  }

  /**
   * Registers a submodule under `name` (its state-dict prefix) and returns it. Registering
   * the name again replaces it (swapping a classifier head).
   * @example this.conv1 = this.module('conv1', new Conv2d(3, 64, 7, { stride: 2, padding: 3, bias: false }));
   */
  module<M extends AnyModule>(name: string, m: M): M {
    this.#checkName('module', name, this.#modules);
    if (!(m instanceof Module)) throw new ArgumentError(`${moduleName(this)}.module: '${name}' must be a Module, got ${describe(m)}`);
    this.#modules.set(name, m);
    return m;
  }

  #makeVariable(what: string, name: string, init: Init, trainable: boolean): Variable {
    return tidy(() => {
      const t = typeof init === 'function' ? init() : init;
      if (!(t instanceof Tensor)) {
        throw new ArgumentError(`${moduleName(this)}.${what}: '${name}' must be given a Tensor or a function returning one, got ${describe(t)}`);
      }
      if (t.isDisposed) throw new DisposedError(`${moduleName(this)}.${what}: the tensor for '${name}' was disposed`);
      return variable(t, { trainable, name });
    });
  }

  /**
   * The direct submodules with their names.
   * @example for (const [name, m] of model.namedChildren()) console.log(name, m.toString());
   */
  namedChildren(): [string, AnyModule][] {
    return [...this.#modules];
  }

  /** The direct submodules. @example model.children().length */
  children(): AnyModule[] {
    return [...this.#modules.values()];
  }

  /**
   * This module and every submodule, depth first, each once, with dotted names ('' for this one).
   * @example model.namedModules().map(([n]) => n) // ['', 'features', 'features.0', ...]
   */
  namedModules(opts: { prefix?: string } = {}): [string, AnyModule][] {
    const out: [string, AnyModule][] = [];
    const seen = new Set<AnyModule>();
    const walk = (m: AnyModule, prefix: string): void => {
      if (seen.has(m)) return;
      seen.add(m);
      out.push([prefix, m]);
      for (const [n, c] of m.#modules) walk(c, join(prefix, n));
    };
    walk(this, opts.prefix ?? '');
    return out;
  }

  /** This module and every submodule, each once. @example model.modules().filter((m) => m instanceof Linear) */
  modules(): AnyModule[] {
    return this.namedModules().map(([, m]) => m);
  }

  /**
   * The submodule at a dotted path (torch's get_submodule).
   * @example resnet.getSubmodule('layer1.0.conv1')
   */
  getSubmodule(path: string): AnyModule {
    let m: AnyModule = this;
    if (path === '') return m;
    for (const part of path.split('.')) {
      const next = m.#modules.get(part);
      if (!next) throw new ArgumentError(`${moduleName(this)}.getSubmodule: '${path}': ${moduleName(m)} has no submodule '${part}'`);
      m = next;
    }
    return m;
  }

  #named(kind: 'params' | 'buffers', opts: NamedOptions): [string, Variable][] {
    const recurse = checkBool(`${moduleName(this)}.named${kind === 'params' ? 'Parameters' : 'Buffers'}`, opts.recurse, 'recurse', true);
    const prefix = opts.prefix ?? '';
    const mods: [string, AnyModule][] = recurse ? this.namedModules({ prefix }) : [[prefix, this]];
    const out: [string, Variable][] = [];
    const seen = new Set<Variable>();
    for (const [mp, m] of mods) {
      for (const [n, v] of kind === 'params' ? m.#params : m.#buffers) {
        if (seen.has(v)) continue;
        seen.add(v);
        out.push([join(mp, n), v]);
      }
    }
    return out;
  }

  /**
   * Parameters with dotted names (`layer1.0.conv1.weight`), each once (tied weights under their first name).
   * @example model.namedParameters().map(([n, p]) => `${n} ${p.shape}`)
   */
  namedParameters(opts: NamedOptions = {}): [string, Variable][] {
    return this.#named('params', opts);
  }

  /** The parameters (trainable Variables), each once: what an optimizer steps. @example new SGD(model.parameters(), { lr: 0.1 }) */
  parameters(opts: { recurse?: boolean } = {}): Variable[] {
    return this.namedParameters(opts).map(([, p]) => p);
  }

  /** Buffers with dotted names (`bn1.running_mean`), each once. @example model.namedBuffers() */
  namedBuffers(opts: NamedOptions = {}): [string, Variable][] {
    return this.#named('buffers', opts);
  }

  /** The buffers (non-trainable state), each once. @example model.buffers().length */
  buffers(opts: { recurse?: boolean } = {}): Variable[] {
    return this.namedBuffers(opts).map(([, b]) => b);
  }

  /**
   * The parameter at a dotted path.
   * @example model.getParameter('0.weight')
   */
  getParameter(path: string): Variable {
    const at = path.lastIndexOf('.');
    const owner = this.getSubmodule(at < 0 ? '' : path.slice(0, at));
    const p = owner.#params.get(path.slice(at + 1));
    if (!p) throw new ArgumentError(`${moduleName(this)}.getParameter: '${path}': ${moduleName(owner)} has no parameter '${path.slice(at + 1)}'`);
    return p;
  }

  /**
   * How many scalars the parameters hold (each tied weight once); `trainableOnly` skips frozen ones.
   * @example new Linear(784, 10).numParameters() // 7850
   */
  numParameters(opts: { trainableOnly?: boolean } = {}): number {
    const only = checkBool(`${moduleName(this)}.numParameters`, opts.trainableOnly, 'trainableOnly', false);
    return this.parameters().filter((p) => !only || p.requiresGrad).reduce((n, p) => n + p.size, 0);
  }

  /** Every state-dict entry, with its variable (tied weights under each of their names, as PyTorch). */
  #stateEntries(prefix: string): [string, Variable][] {
    const out: [string, Variable][] = [];
    for (const [n, p] of this.#params) out.push([join(prefix, n), p]);
    for (const [n, b] of this.#buffers) if (!this.#nonPersistent.has(n)) out.push([join(prefix, n), b]);
    for (const [n, m] of this.#modules) out.push(...m.#stateEntries(join(prefix, n)));
    return out;
  }

  /**
   * The parameters and persistent buffers as a plain map from PyTorch's dotted names
   * (`0.weight`, `bn1.running_mean`, `bn1.num_batches_tracked`) to tensors. Each entry is a
   * new handle on the current value (no copy: values are immutable, so later training does
   * not change it); dispose the dict when done.
   * @example const sd = model.stateDict(); other.loadStateDict(sd); dispose(sd);
   */
  stateDict(opts: { prefix?: string } = {}): StateDict {
    const sd: StateDict = {};
    noGrad(() => {
      for (const [k, v] of this.#stateEntries(opts.prefix ?? '')) sd[k] = reshape(v, v.shape);
    });
    return sd;
  }

  /**
   * Copies values from `dict` (a plain object or a Map of dotted names to tensors) into the
   * parameters and buffers, casting to their dtypes; the caller's tensors are never aliased.
   * Everything is checked first: missing and unexpected keys (strict mode, the default) and
   * shape mismatches (always) are reported together in one StateDictError, and then nothing
   * is changed.
   * @example model.loadStateDict(sd); // or model.loadStateDict(sd, { strict: false })
   */
  loadStateDict(dict: StateDict | Map<string, Tensor>, opts: LoadStateDictOptions = {}): LoadResult {
    const op = `${moduleName(this)}.loadStateDict`;
    const strict = checkBool(op, opts.strict, 'strict', true);
    if (typeof dict !== 'object' || dict === null) throw new ArgumentError(`${op}: the state dict must be an object or a Map of tensors, got ${describe(dict)}`);
    const given = new Map<string, unknown>(dict instanceof Map ? dict : Object.entries(dict));
    for (const [k, t] of given) {
      if (!(t instanceof Tensor)) throw new ArgumentError(`${op}: entry '${k}' must be a Tensor, got ${describe(t)}`);
      if (t.isDisposed) throw new DisposedError(`${op}: entry '${k}' (shape [${t.shape.join(',')}]) was disposed`);
    }
    const entries = this.#stateEntries('');
    const own = new Set(entries.map(([k]) => k));
    const missingKeys = entries.map(([k]) => k).filter((k) => !given.has(k));
    const unexpectedKeys = [...given.keys()].filter((k) => !own.has(k));
    const shapeMismatches: ShapeMismatch[] = [];
    for (const [k, v] of entries) {
      const t = given.get(k) as Tensor | undefined;
      if (t && (t.shape.length !== v.shape.length || t.shape.some((d, i) => d !== v.shape[i]))) {
        shapeMismatches.push({ key: k, expected: [...v.shape], got: [...t.shape] });
      }
    }
    if (shapeMismatches.length > 0 || (strict && (missingKeys.length > 0 || unexpectedKeys.length > 0))) {
      throw new StateDictError(moduleName(this), strict ? missingKeys : [], strict ? unexpectedKeys : [], shapeMismatches);
    }
    noGrad(() => tidy(() => {
      for (const [k, v] of entries) {
        const t = given.get(k) as Tensor | undefined;
        if (t) v.assign(cast(t, v.dtype));
      }
    }));
    return { missingKeys, unexpectedKeys };
  }

  /**
   * Sets training mode on this module and every submodule (Dropout drops, BatchNorm uses and
   * updates batch statistics); returns this.
   * @example model.train();
   */
  train(mode = true): this {
    const m = checkBool(`${moduleName(this)}.train`, mode, 'mode', true);
    for (const mod of this.modules()) mod.training = m;
    return this;
  }

  /** Evaluation mode, recursively: `train(false)`. @example model.eval(); */
  eval(): this {
    return this.train(false);
  }

  /**
   * Freezes (false) or unfreezes (true) every parameter: a frozen parameter records no
   * gradient and `backward()` leaves its `grad` alone. Freeze one with `p.requiresGrad_(false)`.
   * @example model.features.requiresGrad_(false); // fine-tune only the head
   */
  requiresGrad_(requiresGrad = true): this {
    const flag = checkBool(`${moduleName(this)}.requiresGrad_`, requiresGrad, 'requiresGrad', true);
    for (const p of this.parameters()) p.requiresGrad_(flag);
    return this;
  }

  /** Frees every parameter's accumulated gradient (sets `grad` to null). @example model.zeroGrad(); */
  zeroGrad(): void {
    for (const p of this.parameters()) p.zeroGrad();
  }

  /**
   * Calls `fn` on every submodule (children first) and then on this one; returns this.
   * @example model.apply((m) => { if (m instanceof Linear) init.xavierUniform(m.weight, { seed: 0 }); });
   */
  apply(fn: (m: AnyModule) => void): this {
    for (const c of this.#modules.values()) c.apply(fn);
    fn(this);
    return this;
  }

  /**
   * Frees every parameter, buffer and gradient of this module and its submodules; `call`
   * then throws DisposedError. Idempotent.
   * @example model.dispose(); // memory() is back where it was before the model was built
   */
  dispose(): void {
    for (const m of this.modules()) {
      for (const p of m.#params.values()) p.dispose();
      for (const b of m.#buffers.values()) b.dispose();
      m.#disposed = true;
    }
  }

  /** Extra text inside this module's line of `toString()` (its configuration). */
  extraRepr(): string {
    return '';
  }

  /** PyTorch's module repr: the class, its configuration and its submodules, indented. */
  toString(): string {
    const children = [...this.#modules].map(([n, m]) => `(${n}): ${m.toString().split('\n').join('\n  ')}`);
    const extra = this.extraRepr();
    if (children.length === 0) return `${moduleName(this)}(${extra})`;
    const lines = [...(extra ? [extra] : []), ...children];
    return `${moduleName(this)}(\n  ${lines.join('\n  ')}\n)`;
  }

  /**
   * Replaces the submodule at a dotted path (torch's set_submodule), keeping its place in the
   * state dict, and returns the new module. A field of the parent that held the old module is
   * pointed at the new one too, so a `forward` that reads `this.fc` uses it. The old module's
   * parameters and buffers are disposed unless `disposeOld` is false; any still used elsewhere in
   * this model (a tied weight, a shared block) are kept.
   * @example model.setSubmodule('classifier.4', new Linear(84, 10)); // a new head for 10 classes
   */
  setSubmodule<M extends AnyModule>(path: string, m: M, opts: { disposeOld?: boolean } = {}): M {
    const op = `${moduleName(this)}.setSubmodule`;
    const disposeOld = checkBool(op, opts.disposeOld, 'disposeOld', true);
    if (typeof path !== 'string' || path === '') throw new ArgumentError(`${op}: the path must be a non-empty dotted name, got ${describe(path)}`);
    if (!(m instanceof Module)) throw new ArgumentError(`${op}: '${path}' must be replaced by a Module, got ${describe(m)}`);
    const parts = path.split('.');
    const name = parts.pop()!;
    let parent: AnyModule = this;
    const missing = (m: AnyModule, part: string) => new ArgumentError(`${op}: '${path}': ${moduleName(m)} has no submodule '${part}'`);
    for (const part of parts) {
      const next = parent.#modules.get(part);
      if (!next) throw missing(parent, part);
      parent = next;
    }
    const old = parent.#modules.get(name);
    if (!old) throw missing(parent, name);
    if (m.modules().includes(this)) throw new ArgumentError(`${op}: '${path}': the new module contains this model (a cycle)`);
    parent.#modules.set(name, m); // Map.set keeps the key's position: state-dict order is unchanged
    for (const key of Object.keys(parent)) {
      if ((parent as unknown as Record<string, unknown>)[key] === old) (parent as unknown as Record<string, unknown>)[key] = m;
    }
    if (disposeOld && old !== m) {
      const live = new Set<AnyModule>(this.modules());
      const used = new Set<Variable>([...this.parameters(), ...this.buffers()]);
      for (const o of old.modules()) {
        if (live.has(o)) continue;
        for (const v of [...o.#params.values(), ...o.#buffers.values()]) if (!used.has(v)) v.dispose();
        o.#disposed = true;
      }
    }
    return m;
  }
}
