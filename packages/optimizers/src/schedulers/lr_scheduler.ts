// The base of the epoch-driven LR schedulers (torch.optim.lr_scheduler.LRScheduler): records
// each group's initialLr, steps once at construction (epoch 0), and on every step() computes
// the new learning rates with PyTorch's recursive (chainable) formulas.
import { ArgumentError } from '@tensile/core';
import { Optimizer } from '../optimizer.js';
import { describe } from '../validate.js';

/** A scheduler's state as plain data (every field but the optimizer, as PyTorch). */
export type SchedulerStateDict = Record<string, unknown>;

/** Checks `optimizer` is one of ours. */
export function checkOptimizer(owner: string, optimizer: unknown): Optimizer {
  if (!(optimizer instanceof Optimizer)) throw new ArgumentError(`${owner}: 'optimizer' must be an Optimizer, got ${describe(optimizer)}`);
  return optimizer;
}

/** Copies every field except the optimizer into plain data (arrays and objects deep-copied). */
export function saveFields(obj: object): SchedulerStateDict {
  const out: SchedulerStateDict = {};
  for (const [k, v] of Object.entries(obj)) if (k !== 'optimizer' && k !== 'name') out[k] = structuredClone(v);
  return out;
}

/** Restores `saveFields` output; keys the scheduler does not have are an ArgumentError. */
export function loadFields(owner: string, obj: object, sd: SchedulerStateDict): void {
  if (sd === null || typeof sd !== 'object') throw new ArgumentError(`${owner}.loadStateDict: expected an object, got ${describe(sd)}`);
  const known = Object.keys(obj).filter((k) => k !== 'optimizer' && k !== 'name');
  for (const k of Object.keys(sd)) {
    if (!known.includes(k)) throw new ArgumentError(`${owner}.loadStateDict: unknown field '${k}' (a state dict of another scheduler?)`);
  }
  for (const [k, v] of Object.entries(sd)) (obj as Record<string, unknown>)[k] = structuredClone(v);
}

/**
 * Base class of the schedulers: a subclass implements `getLr()` and calls `this.initialStep()`
 * at the end of its constructor. Call `scheduler.step()` after `optimizer.step()`.
 * @example class ConstantLR extends LRScheduler { protected getLr() { return this.groupLrs(); } }
 */
export abstract class LRScheduler {
  /** The optimizer whose groups' `lr` this sets. */
  readonly optimizer: Optimizer;
  /** Each group's initialLr. */
  baseLrs: number[];
  /** Steps taken (epoch 0 after construction). */
  lastEpoch = -1;
  /** PyTorch's _step_count: step() calls, the one at construction included. */
  stepCount = 0;
  /** The learning rates the last step set. */
  lastLr: number[] = [];
  /** True only during the step at construction (PyTorch's _is_initial). */
  protected isInitial = false;

  protected constructor(readonly name: string, optimizer: Optimizer) {
    this.optimizer = checkOptimizer(name, optimizer);
    for (const g of this.optimizer.paramGroups) if (g.initialLr === undefined) g.initialLr = g.lr;
    this.baseLrs = this.optimizer.paramGroups.map((g) => g.initialLr!);
  }

  /** The new learning rate of every group (called by step, after lastEpoch += 1). */
  protected abstract getLr(): number[];

  /** The step at construction: sets epoch 0's learning rates. */
  protected initialStep(): void {
    this.stepCount = 0;
    this.isInitial = true;
    try {
      this.step();
    } finally {
      this.isInitial = false;
    }
  }

  /**
   * Advances one epoch (or one batch, for per-batch schedules) and sets the groups' `lr`.
   * @example opt.step(); scheduler.step();
   */
  step(): void {
    this.stepCount++;
    this.lastEpoch++;
    const lrs = this.getLr();
    this.optimizer.paramGroups.forEach((g, i) => { g.lr = lrs[i]!; });
    this.lastLr = this.groupLrs();
  }

  /**
   * The learning rates the last step set, one per group (a copy).
   * @example scheduler.getLastLr() // [0.01]
   */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /**
   * The scheduler's state as plain data (every field but the optimizer).
   * @example const saved = scheduler.stateDict();
   */
  stateDict(): SchedulerStateDict {
    return saveFields(this);
  }

  /**
   * Restores `stateDict()`'s output (the optimizer's lrs come from its own state dict).
   * @example scheduler.loadStateDict(saved);
   */
  loadStateDict(sd: SchedulerStateDict): void {
    loadFields(this.name, this, sd);
  }

  /** Every group's current lr. */
  protected groupLrs(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }
}
