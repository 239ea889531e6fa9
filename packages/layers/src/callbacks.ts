// Callbacks of fit(): hooks at the start and end of training, of each epoch and after each
// batch (Keras's Callback, with PyTorch-style modules). EarlyStopping and the LR-scheduler
// callback live here; ModelCheckpoint (which writes safetensors) in checkpoint.ts.
import { ArgumentError, dispose, keep } from '@tensile/core';
import { checkBool, checkChoice, checkInt, checkNumber, describe } from './check.js';
import type { AnyModule } from './module.js';
import type { StateDict } from './state_dict.js';

/**
 * One epoch's results: the epoch index (0-based, as `DataLoader.epoch`), the mean training
 * loss per sample, each metric (`accuracy`), and with validation data `valLoss` and
 * `valAccuracy`; callbacks may add entries (the LR callback adds `lr`).
 */
export interface EpochLogs {
  epoch: number;
  loss: number;
  accuracy?: number;
  valLoss?: number;
  valAccuracy?: number;
  lr?: number;
  [key: string]: number | undefined;
}

/** What fit() returns: the logs of each epoch that ran, in order. */
export type History = EpochLogs[];

/** What fit() steps: any object with PyTorch's `step()` and `zeroGrad()` (every @tensile/optimizers optimizer). */
export interface OptimizerLike {
  step(): void;
  zeroGrad(): void;
}

/** The state of a fit() run that callbacks see; setting `stopTraining` ends it after the current batch's epoch. */
export interface FitContext {
  readonly model: AnyModule;
  readonly optimizer: OptimizerLike;
  /** The number of epochs asked for. */
  readonly epochs: number;
  /** Batches per epoch when the data has a `length`, else undefined. */
  readonly steps: number | undefined;
  /** The logs of the epochs completed so far. */
  readonly history: History;
  /**
   * Set to true to stop: fit() leaves the epoch after the current batch (when set in
   * `onBatchEnd`), still validates and calls `onEpochEnd`, and then stops.
   */
  stopTraining: boolean;
}

/**
 * Hooks fit() calls, each optional and may return a promise (awaited). Epochs are 0-based.
 * Callbacks run in the order given; `onEpochEnd` may add entries to `logs` before they are
 * stored in the history. `onBatchEnd` runs after every optimizer step: no values are read
 * back there (the loss is read once per logging interval), so it gets only the step index.
 * @example const timer: Callback = { onEpochEnd: (epoch, logs) => console.log(epoch, logs.loss) };
 */
export interface Callback {
  onTrainBegin?(ctx: FitContext): void | Promise<void>;
  onEpochBegin?(epoch: number, ctx: FitContext): void | Promise<void>;
  onBatchEnd?(step: number, ctx: FitContext): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: EpochLogs, ctx: FitContext): void | Promise<void>;
  onTrainEnd?(history: History, ctx: FitContext): void | Promise<void>;
}

/** 'min' (a loss), 'max' (an accuracy), or 'auto': max for names containing 'acc', else min. */
export type MonitorMode = 'auto' | 'min' | 'max';

/** Tracks the best value of one logged quantity (shared by EarlyStopping and ModelCheckpoint). */
export class Monitor {
  readonly monitor: string;
  readonly mode: 'min' | 'max';
  readonly minDelta: number;
  /** The best value so far (Infinity / -Infinity before the first epoch). */
  best: number;

  constructor(readonly owner: string, monitor: unknown, mode: unknown, minDelta: unknown) {
    if (typeof monitor !== 'string' || monitor === '') throw new ArgumentError(`${owner}: 'monitor' must be a log name such as 'valLoss', got ${describe(monitor)}`);
    this.monitor = monitor;
    const m = checkChoice(owner, mode, 'mode', ['auto', 'min', 'max'] as const, 'auto');
    this.mode = m === 'auto' ? (/acc/i.test(monitor) ? 'max' : 'min') : m;
    this.minDelta = Math.abs(checkNumber(owner, minDelta, 'minDelta', 0, 0));
    this.best = this.mode === 'min' ? Infinity : -Infinity;
  }

  reset(): void {
    this.best = this.mode === 'min' ? Infinity : -Infinity;
  }

  /** The monitored value in `logs`; ArgumentError naming the available keys when absent. */
  value(logs: EpochLogs): number {
    const v = logs[this.monitor];
    if (typeof v !== 'number') {
      const keys = Object.keys(logs).filter((k) => k !== 'epoch' && typeof logs[k] === 'number');
      throw new ArgumentError(`${this.owner}: monitor '${this.monitor}' is not in the epoch's logs (they have: ${keys.join(', ')}; valLoss needs validation data)`);
    }
    return v;
  }

  /** Whether `v` beats the best by more than minDelta (NaN never does). */
  improves(v: number): boolean {
    return this.mode === 'min' ? v + this.minDelta < this.best : v - this.minDelta > this.best;
  }
}

export interface EarlyStoppingOptions {
  /** The log entry to watch (default 'valLoss'). */
  monitor?: string;
  /** Epochs without improvement after which training stops (default 0: the first one stops it). */
  patience?: number;
  /** The least change that counts as an improvement (default 0). */
  minDelta?: number;
  /** Default 'auto': 'max' when the name contains 'acc', else 'min'. */
  mode?: MonitorMode;
  /** At the end of training, load the weights of the best epoch (default false). */
  restoreBestWeights?: boolean;
}

/**
 * Stops training once `monitor` has not improved for `patience` epochs in a row (Keras's
 * EarlyStopping): after each epoch, an improvement (by more than `minDelta`) resets the count,
 * anything else (NaN included) adds one, and reaching `patience` stops training. With
 * `restoreBestWeights` it keeps a snapshot of the best epoch's state dict (one more copy of
 * the weights) and loads it when training ends.
 * @example new EarlyStopping({ monitor: 'valLoss', patience: 3, restoreBestWeights: true })
 */
export class EarlyStopping implements Callback {
  readonly patience: number;
  readonly restoreBestWeights: boolean;
  readonly #monitor: Monitor;
  /** Epochs since the last improvement. */
  wait = 0;
  /** The epoch with the best value (-1 before the first). */
  bestEpoch = -1;
  /** The epoch after which it stopped training (-1 if it did not). */
  stoppedEpoch = -1;
  #bestWeights: StateDict | null = null;

  constructor(opts: EarlyStoppingOptions = {}) {
    const owner = 'EarlyStopping';
    checkKeys(owner, opts, ['monitor', 'patience', 'minDelta', 'mode', 'restoreBestWeights']);
    this.#monitor = new Monitor(owner, opts.monitor ?? 'valLoss', opts.mode, opts.minDelta);
    this.patience = opts.patience === undefined ? 0 : checkInt(owner, opts.patience, 'patience', 0);
    this.restoreBestWeights = checkBool(owner, opts.restoreBestWeights, 'restoreBestWeights', false);
  }

  get monitor(): string { return this.#monitor.monitor; }
  get mode(): 'min' | 'max' { return this.#monitor.mode; }
  /** The best monitored value so far. */
  get best(): number { return this.#monitor.best; }

  onTrainBegin(): void {
    this.#monitor.reset();
    this.wait = 0;
    this.bestEpoch = -1;
    this.stoppedEpoch = -1;
    this.#dropWeights();
  }

  onEpochEnd(epoch: number, logs: EpochLogs, ctx: FitContext): void {
    const v = this.#monitor.value(logs);
    if (this.#monitor.improves(v)) {
      this.#monitor.best = v;
      this.bestEpoch = epoch;
      this.wait = 0;
      if (this.restoreBestWeights) {
        this.#dropWeights();
        // Kept: fit() may run inside the caller's tidyAsync, which must not free the snapshot.
        const sd = ctx.model.stateDict();
        for (const t of Object.values(sd)) keep(t);
        this.#bestWeights = sd;
      }
      return;
    }
    this.wait++;
    if (this.wait >= this.patience) {
      this.stoppedEpoch = epoch;
      ctx.stopTraining = true;
    }
  }

  onTrainEnd(history: History, ctx: FitContext): void {
    if (this.#bestWeights && history.at(-1)?.epoch !== this.bestEpoch) ctx.model.loadStateDict(this.#bestWeights);
    this.#dropWeights();
  }

  #dropWeights(): void {
    if (this.#bestWeights) dispose(this.#bestWeights);
    this.#bestWeights = null;
  }
}

/**
 * What the LR-scheduler callback steps: every @tensile/optimizers scheduler. `step()` takes
 * the monitored metric for ReduceLROnPlateau-like schedulers (`step(metric)`).
 */
export interface SchedulerLike {
  step(metric?: number): void;
  getLastLr?(): number[];
}

export interface LRSchedulerCallbackOptions {
  /** Step once per epoch (default) or after every batch (OneCycleLR). */
  interval?: 'epoch' | 'batch';
  /**
   * The log entry passed to `step(metric)`. Default: none for schedulers whose `step()` takes
   * no argument; for ReduceLROnPlateau-like ones (`step(metric)`), 'valLoss' when there is
   * validation data, else 'loss'.
   */
  monitor?: string;
}

/**
 * Steps a learning-rate scheduler from fit(): `scheduler.step()` after each epoch (or each
 * batch with `interval: 'batch'`), or `scheduler.step(logs[monitor])` for a scheduler driven
 * by a metric (ReduceLROnPlateau). Adds `lr`, the first group's learning rate during the
 * epoch, to the epoch's logs when the scheduler has `getLastLr()`.
 * @example callbacks: [new LRSchedulerCallback(new StepLR(opt, { stepSize: 5 }))]
 * @example callbacks: [new LRSchedulerCallback(new ReduceLROnPlateau(opt, { patience: 2 }))] // steps with valLoss
 */
export class LRSchedulerCallback implements Callback {
  readonly scheduler: SchedulerLike;
  readonly interval: 'epoch' | 'batch';
  readonly monitor: string | undefined;
  readonly #byMetric: boolean;
  #lr: number | undefined;

  constructor(scheduler: SchedulerLike, opts: LRSchedulerCallbackOptions = {}) {
    const owner = 'LRSchedulerCallback';
    if (typeof scheduler !== 'object' || scheduler === null || typeof scheduler.step !== 'function') {
      throw new ArgumentError(`${owner}: 'scheduler' must have a step() method, got ${describe(scheduler)}`);
    }
    checkKeys(owner, opts, ['interval', 'monitor']);
    this.scheduler = scheduler;
    this.interval = checkChoice(owner, opts.interval, 'interval', ['epoch', 'batch'] as const, 'epoch');
    if (opts.monitor !== undefined && (typeof opts.monitor !== 'string' || opts.monitor === '')) {
      throw new ArgumentError(`${owner}: 'monitor' must be a log name such as 'valLoss', got ${describe(opts.monitor)}`);
    }
    this.monitor = opts.monitor;
    this.#byMetric = opts.monitor !== undefined || scheduler.step.length >= 1;
    if (this.#byMetric && this.interval === 'batch') {
      throw new ArgumentError(`${owner}: a scheduler stepped with a metric (${this.monitor ?? 'step(metric)'}) steps per epoch; interval 'batch' has no metric`);
    }
  }

  onEpochBegin(): void {
    this.#lr = this.scheduler.getLastLr?.()[0];
  }

  onBatchEnd(): void {
    if (this.interval === 'batch') this.scheduler.step();
  }

  onEpochEnd(_epoch: number, logs: EpochLogs): void {
    if (this.#lr !== undefined) logs.lr = this.#lr;
    if (this.interval !== 'epoch') return;
    if (!this.#byMetric) {
      this.scheduler.step();
      return;
    }
    const key = this.monitor ?? (typeof logs.valLoss === 'number' ? 'valLoss' : 'loss');
    const v = logs[key];
    if (typeof v !== 'number') {
      throw new ArgumentError(`LRSchedulerCallback: monitor '${key}' is not in the epoch's logs (they have: ${Object.keys(logs).join(', ')})`);
    }
    this.scheduler.step(v);
  }
}

/** ArgumentError for an option that is not one of `known` (a misspelt option). */
export function checkKeys(owner: string, opts: unknown, known: readonly string[]): void {
  if (typeof opts !== 'object' || opts === null) throw new ArgumentError(`${owner}: options must be an object, got ${describe(opts)}`);
  for (const k of Object.keys(opts)) {
    if (!known.includes(k)) throw new ArgumentError(`${owner}: unknown option '${k}' (options: ${known.join(', ')})`);
  }
}
