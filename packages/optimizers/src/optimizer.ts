// The shared plumbing of every optimizer (PyTorch's torch.optim.Optimizer): parameter groups
// with their own options, per-parameter state kept outside tidy scopes, step() under noGrad
// and tidy, zeroGrad(), stateDict()/loadStateDict() as plain data, and dispose().
import {
  ArgumentError, DisposedError, ShapeError, Tensor, Variable, keep, noGrad, tensor, tidy,
  type DType, type TypedArray,
} from '@tensile/core';
import { describe, noUnknownKeys } from './validate.js';

/** Options every optimizer has. */
export interface OptimizerOptions {
  /** Learning rate. */
  lr: number;
}

/** What LR schedulers record on a group (PyTorch's `initial_lr`, `max_lr`, ...). */
export interface SchedulerFields {
  initialLr?: number;
  maxLr?: number;
  minLr?: number;
  maxMomentum?: number;
  baseMomentum?: number;
}

const SCHEDULER_KEYS: readonly string[] = ['initialLr', 'maxLr', 'minLr', 'maxMomentum', 'baseMomentum'];

/** A parameter group: its parameters and its own value of every option. */
export type ParamGroup<O> = O & SchedulerFields & { params: Variable[] };

/** A group as given to a constructor: options it leaves out come from the defaults. */
export type ParamGroupInput<O> = Partial<O> & SchedulerFields & { params: Variable[] | Variable };

/** What an optimizer takes: parameters, or parameter groups. */
export type Params<O> = readonly Variable[] | readonly ParamGroupInput<O>[];

/** One parameter's state: tensors (kept, owned by the optimizer) and numbers (e.g. `step`). */
export type ParamState = Record<string, Tensor | number>;

/** A state tensor as plain data. */
export interface SavedTensor {
  shape: number[];
  dtype: DType;
  data: TypedArray;
}

/** An optimizer's state as plain data (structured-cloneable): PyTorch's state_dict layout. */
export interface OptimizerStateDict {
  /** Per-parameter state by parameter index (counted across groups, in order). */
  state: Record<number, Record<string, number | SavedTensor>>;
  /** Every group's options, with its parameters as indices. */
  paramGroups: (Record<string, unknown> & { params: number[] })[];
}

/**
 * Base class of the optimizers: holds the groups and the state; a subclass supplies `update`
 * (one parameter's rule) and `checkOptions`.
 * @example class MySGD extends Optimizer<{ lr: number }> { ... }
 */
export abstract class Optimizer<O extends OptimizerOptions = OptimizerOptions> {
  /** The optimizer's name, used in error messages ('Adam'). */
  readonly name: string;
  /** The options a group gets for what it leaves out. */
  readonly defaults: Readonly<O>;
  /** The parameter groups; schedulers change their `lr` (and momentum) between steps. */
  readonly paramGroups: ParamGroup<O>[] = [];
  /** Per-parameter state (PyTorch's `optimizer.state`). */
  readonly state = new Map<Variable, ParamState>();
  private disposed = false;

  protected constructor(name: string, params: Params<O>, defaults: O, options: object | undefined) {
    this.name = name;
    if (options !== undefined) {
      if (options === null || typeof options !== 'object' || Array.isArray(options)) {
        throw new ArgumentError(`${name}: options must be an object, got ${describe(options)}`);
      }
      noUnknownKeys(name, options, Object.keys(defaults));
    }
    const merged = { ...defaults } as O;
    for (const [k, v] of Object.entries(options ?? {})) if (v !== undefined) (merged as Record<string, unknown>)[k] = copyValue(v);
    this.checkOptions(merged, name);
    this.defaults = Object.freeze(merged);
    if (!Array.isArray(params)) {
      throw new ArgumentError(`${name}: params must be an array of Variables or of parameter groups, got ${describe(params)}`);
    }
    if (params.length === 0) throw new ArgumentError(`${name}: got an empty parameter list`);
    const isGroup = (x: unknown): boolean => x !== null && typeof x === 'object' && !(x instanceof Tensor) && !Array.isArray(x);
    const groups = isGroup(params[0]) ? (params as readonly ParamGroupInput<O>[]) : [{ params: params as Variable[] } as ParamGroupInput<O>];
    for (const g of groups) this.addParamGroup(g);
  }

  /** Checks a group's options (the defaults, or one group merged with them); `owner` goes in messages. */
  protected abstract checkOptions(opts: O, owner: string): void;

  /** Applies the update rule to one parameter that has a gradient (under noGrad and tidy). */
  protected abstract update(p: Variable, grad: Tensor, group: ParamGroup<O>, state: ParamState): void;

  /** Called when a group is added (Adagrad creates its state here, as PyTorch does). */
  protected initGroup(_group: ParamGroup<O>): void {}

  /**
   * Adds a parameter group; options it leaves out come from the defaults.
   * @example opt.addParamGroup({ params: [head.weight], lr: 1e-2 });
   */
  addParamGroup(group: ParamGroupInput<O>): void {
    const at = `${this.name} paramGroups[${this.paramGroups.length}]`;
    if (group === null || typeof group !== 'object' || group instanceof Tensor || Array.isArray(group)) {
      throw new ArgumentError(`${at}: a parameter group must be an object { params, ...options }, got ${describe(group)}`);
    }
    noUnknownKeys(at, group, ['params', ...Object.keys(this.defaults), ...SCHEDULER_KEYS]);
    const given = group.params instanceof Variable ? [group.params] : group.params;
    if (!Array.isArray(given)) {
      throw new ArgumentError(`${at}: 'params' must be an array of Variables, got ${describe(given)}`);
    }
    if (given.length === 0) throw new ArgumentError(`${at}: 'params' is empty`);
    const seen = new Set<Variable>();
    given.forEach((p, j) => {
      if (!(p instanceof Variable)) {
        throw new ArgumentError(`${at}: params[${j}] must be a Variable (make one with variable()), got ${describe(p)}`);
      }
      if (p.isDisposed) throw new DisposedError(`${at}: params[${j}] (${describe(p)}) is disposed`);
      if (seen.has(p)) throw new ArgumentError(`${at}: params[${j}] appears twice in the group`);
      seen.add(p);
      if (this.paramGroups.some((g) => g.params.includes(p))) {
        throw new ArgumentError(`${at}: params[${j}] is already in another parameter group`);
      }
    });
    const merged: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(this.defaults)) merged[k] = copyValue(v);
    for (const [k, v] of Object.entries(group)) if (k !== 'params' && v !== undefined) merged[k] = copyValue(v);
    this.checkOptions(merged as unknown as O, at);
    const full = { ...merged, params: [...given] } as ParamGroup<O>;
    this.paramGroups.push(full);
    this.initGroup(full);
  }

  /**
   * Updates every parameter that has a gradient (`p.grad` from `loss.backward()`; null is
   * skipped, as PyTorch). A closure, if given, is called first (it should zero the grads,
   * compute the loss and call backward) and its loss is returned.
   * @example loss.backward(); opt.step(); opt.zeroGrad();
   */
  step(closure?: () => Tensor): Tensor | undefined {
    this.assertLive('step');
    const loss = closure === undefined ? undefined : closure();
    noGrad(() => tidy(() => {
      for (const group of this.paramGroups) {
        for (const p of group.params) {
          const g = p.grad;
          if (g === null || g.isDisposed) continue;
          this.update(p, g, group, this.stateOf(p));
        }
      }
    }));
    return loss;
  }

  /**
   * Frees every parameter's gradient and sets it to null (PyTorch's zero_grad(set_to_none=True)).
   * @example opt.zeroGrad(); loss.backward(); opt.step();
   */
  zeroGrad(): void {
    for (const group of this.paramGroups) for (const p of group.params) p.zeroGrad();
  }

  /**
   * The state as plain data (typed arrays and numbers; structured-cloneable), read
   * asynchronously so that it works on every backend (WebGPU has no synchronous read).
   * @example const saved = await opt.stateDict(); opt2.loadStateDict(saved);
   */
  async stateDict(): Promise<OptimizerStateDict> {
    this.assertLive('stateDict');
    const params = this.paramGroups.flatMap((g) => g.params);
    const paramGroups = this.paramGroups.map((g, gi) => {
      const { params: ps, ...rest } = g;
      const start = this.paramGroups.slice(0, gi).reduce((n, h) => n + h.params.length, 0);
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(rest)) out[k] = copyValue(v);
      return { ...out, params: ps.map((_, j) => start + j) };
    });
    // Every read starts now, before any await, so a step meanwhile cannot tear the snapshot.
    const pending: Promise<void>[] = [];
    const state: OptimizerStateDict['state'] = {};
    params.forEach((p, id) => {
      const s = this.state.get(p);
      if (s === undefined) return;
      const out: Record<string, number | SavedTensor> = {};
      for (const [k, v] of Object.entries(s)) {
        if (v instanceof Tensor) {
          const shape = [...v.shape];
          const dtype = v.dtype;
          pending.push(v.data().then((data) => { out[k] = { shape, dtype, data }; }));
          out[k] = { shape, dtype, data: new Float32Array(0) };
        } else {
          out[k] = v;
        }
      }
      state[id] = out;
    });
    await Promise.all(pending);
    return { state, paramGroups };
  }

  /**
   * Restores `stateDict()`'s output into this optimizer (same group structure and parameter
   * shapes; parameters are matched by position, as PyTorch). Validates everything first.
   * @example opt.loadStateDict(await saved.stateDict());
   */
  loadStateDict(sd: OptimizerStateDict): void {
    this.assertLive('loadStateDict');
    const op = `${this.name}.loadStateDict`;
    if (sd === null || typeof sd !== 'object' || !Array.isArray(sd.paramGroups) || sd.state === null || typeof sd.state !== 'object') {
      throw new ArgumentError(`${op}: expected { state, paramGroups }, got ${describe(sd)}`);
    }
    if (sd.paramGroups.length !== this.paramGroups.length) {
      throw new ArgumentError(`${op}: the state dict has ${sd.paramGroups.length} parameter groups, the optimizer ${this.paramGroups.length}`);
    }
    const params = this.paramGroups.flatMap((g) => g.params);
    const ids = new Map<number, Variable>();
    const groupOpts: Record<string, unknown>[] = [];
    sd.paramGroups.forEach((saved, gi) => {
      const mine = this.paramGroups[gi]!;
      if (!Array.isArray(saved.params) || saved.params.length !== mine.params.length) {
        throw new ArgumentError(`${op}: paramGroups[${gi}] has ${describe(saved.params)} as params; the optimizer's group has ${mine.params.length} parameters`);
      }
      saved.params.forEach((id, j) => ids.set(id, mine.params[j]!));
      const { params: _ids, ...rest } = saved;
      noUnknownKeys(`${op}: paramGroups[${gi}]`, rest, [...Object.keys(this.defaults), ...SCHEDULER_KEYS], 'group option');
      const merged = { ...mine } as unknown as Record<string, unknown>;
      for (const [k, v] of Object.entries(rest)) merged[k] = copyValue(v);
      this.checkOptions(merged as unknown as O, `${op}: paramGroups[${gi}]`);
      groupOpts.push(rest);
    });
    const restored = new Map<Variable, Record<string, number | SavedTensor>>();
    for (const [key, s] of Object.entries(sd.state)) {
      const p = ids.get(Number(key));
      if (p === undefined) throw new ArgumentError(`${op}: state for parameter ${key}, which no group lists`);
      if (s === null || typeof s !== 'object') throw new ArgumentError(`${op}: state[${key}] must be an object, got ${describe(s)}`);
      for (const [k, v] of Object.entries(s)) {
        if (typeof v === 'number') continue;
        if (v === null || typeof v !== 'object' || !Array.isArray(v.shape) || !ArrayBuffer.isView(v.data)) {
          throw new ArgumentError(`${op}: state[${key}].${k} must be a number or { shape, dtype, data }, got ${describe(v)}`);
        }
        if (v.shape.length !== p.shape.length || v.shape.some((d, i) => d !== p.shape[i]) || v.data.length !== p.size) {
          throw new ShapeError(`${op}: state[${key}].${k} has shape [${v.shape.join(',')}] (${v.data.length} values); parameter ${key} has shape [${p.shape.join(',')}]`);
        }
      }
      restored.set(p, s);
    }
    // All checked: now replace.
    for (const s of this.state.values()) for (const v of Object.values(s)) if (v instanceof Tensor) v.dispose();
    this.state.clear();
    for (const p of params) {
      const s = restored.get(p);
      if (s === undefined) continue;
      const out: ParamState = {};
      for (const [k, v] of Object.entries(s)) out[k] = typeof v === 'number' ? v : keep(tensor(v.data.slice(), v.shape, v.dtype));
      this.state.set(p, out);
    }
    groupOpts.forEach((rest, gi) => {
      const g = this.paramGroups[gi]! as unknown as Record<string, unknown>;
      for (const [k, v] of Object.entries(rest)) g[k] = copyValue(v);
    });
  }

  /**
   * Frees the optimizer's state tensors; the optimizer cannot step afterwards. The parameters
   * (and their gradients) belong to the caller and stay.
   * @example opt.dispose();
   */
  dispose(): void {
    for (const s of this.state.values()) for (const v of Object.values(s)) if (v instanceof Tensor) v.dispose();
    this.state.clear();
    this.disposed = true;
  }

  /** The parameter's state (created empty on first use). */
  protected stateOf(p: Variable): ParamState {
    let s = this.state.get(p);
    if (s === undefined) {
      s = {};
      this.state.set(p, s);
    }
    return s;
  }

  /** Stores `t` as state `key` (kept; the previous tensor there is freed). Returns `t`. */
  protected put(state: ParamState, key: string, t: Tensor): Tensor {
    const old = state[key];
    state[key] = keep(t);
    if (old instanceof Tensor && old !== t) old.dispose();
    return t;
  }

  /** State tensor `key`. */
  protected tensorState(state: ParamState, key: string): Tensor {
    const t = state[key];
    if (!(t instanceof Tensor)) throw new ArgumentError(`${this.name}: missing state '${key}' (a state dict from another optimizer?)`);
    return t;
  }

  private assertLive(what: string): void {
    if (this.disposed) throw new DisposedError(`${this.name}.${what}: the optimizer was disposed`);
  }
}

/** A copy of an option value (arrays such as betas are copied, not shared). */
function copyValue<T>(v: T): T {
  return (Array.isArray(v) ? [...v] : v) as T;
}
