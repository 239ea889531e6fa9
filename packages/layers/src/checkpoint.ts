// ModelCheckpoint: saves the model's weights as safetensors when the monitored value improves.
import { ArgumentError } from '@tensile/core';
import { checkBool, describe } from './check.js';
import { Monitor, checkKeys, type Callback, type EpochLogs, type FitContext, type MonitorMode } from './callbacks.js';
import { saveWeights } from './safetensors.js';

/** What a checkpoint's `save` function is told besides the bytes. */
export interface CheckpointInfo {
  epoch: number;
  /** The monitored value (undefined when saving every epoch without it in the logs). */
  value: number | undefined;
  logs: EpochLogs;
}

export interface ModelCheckpointOptions {
  /**
   * Stores one checkpoint: the safetensors bytes of the model's state dict. In Node,
   * `saveToFile('best.safetensors')` from '@tensile/layers/node'; in a browser, IndexedDB or a download.
   */
  save: (bytes: Uint8Array, info: CheckpointInfo) => void | Promise<void>;
  /** The log entry to watch (default 'valLoss'). */
  monitor?: string;
  /** Default 'auto': 'max' when the name contains 'acc', else 'min'. */
  mode?: MonitorMode;
  /** The least change that counts as an improvement (default 0). */
  minDelta?: number;
  /** Save only when the monitored value improves (default true); false saves after every epoch. */
  saveBestOnly?: boolean;
  /** Store float32 weights as F32 (default) or F16. */
  floatDType?: 'F32' | 'F16';
  /** Extra `__metadata__` entries (the file always has format 'pt', the epoch and the monitored value). */
  metadata?: Record<string, string>;
}

/**
 * Saves the model's weights (its state dict, as safetensors) after each epoch whose monitored
 * value improves on the best so far (Keras's ModelCheckpoint with save_best_only), or after
 * every epoch. The file's metadata records `format: 'pt'`, the epoch and the value.
 * @example new ModelCheckpoint({ save: saveToFile('best.safetensors'), monitor: 'valAccuracy' })
 */
export class ModelCheckpoint implements Callback {
  readonly saveBestOnly: boolean;
  readonly #monitor: Monitor;
  readonly #opts: ModelCheckpointOptions;
  /** The epoch of the last save (-1 before the first). */
  bestEpoch = -1;
  /** Every epoch saved, in order. */
  savedEpochs: number[] = [];

  constructor(opts: ModelCheckpointOptions) {
    const owner = 'ModelCheckpoint';
    checkKeys(owner, opts, ['save', 'monitor', 'mode', 'minDelta', 'saveBestOnly', 'floatDType', 'metadata']);
    if (typeof opts.save !== 'function') throw new ArgumentError(`${owner}: 'save' must be a function (bytes, info) => void, got ${describe(opts.save)}`);
    if (opts.floatDType !== undefined && opts.floatDType !== 'F32' && opts.floatDType !== 'F16') {
      throw new ArgumentError(`${owner}: 'floatDType' must be 'F32' or 'F16', got ${describe(opts.floatDType)}`);
    }
    this.#monitor = new Monitor(owner, opts.monitor ?? 'valLoss', opts.mode, opts.minDelta);
    this.saveBestOnly = checkBool(owner, opts.saveBestOnly, 'saveBestOnly', true);
    this.#opts = opts;
  }

  get monitor(): string { return this.#monitor.monitor; }
  /** The best monitored value so far. */
  get best(): number { return this.#monitor.best; }

  onTrainBegin(): void {
    this.#monitor.reset();
    this.bestEpoch = -1;
    this.savedEpochs = [];
  }

  async onEpochEnd(epoch: number, logs: EpochLogs, ctx: FitContext): Promise<void> {
    let value: number | undefined;
    if (this.saveBestOnly) {
      value = this.#monitor.value(logs);
      if (!this.#monitor.improves(value)) return;
      this.#monitor.best = value;
      this.bestEpoch = epoch;
    } else {
      value = logs[this.monitor];
      if (typeof value === 'number' && this.#monitor.improves(value)) {
        this.#monitor.best = value;
        this.bestEpoch = epoch;
      }
    }
    const metadata: Record<string, string> = { ...this.#opts.metadata, epoch: String(epoch) };
    if (value !== undefined) metadata[this.monitor] = String(value);
    const bytes = await saveWeights(ctx.model, { metadata, ...(this.#opts.floatDType ? { floatDType: this.#opts.floatDType } : {}) });
    await this.#opts.save(bytes, { epoch, value, logs });
    this.savedEpochs.push(epoch);
  }
}
