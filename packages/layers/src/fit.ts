// fit() and evaluate(): the training loop of Keras's model.fit, written the PyTorch way
// (model.train(), loss.backward(), optimizer.step(), optimizer.zeroGrad(); model.eval() and
// noGrad for validation). Values stay on the device: the loss and the metric sums are
// accumulated there and read back once per logging interval, because a read waits for the
// device and would stall an asynchronous (GPU) backend on every step.
import { ArgumentError, ShapeError, Tensor, concat, dispose, fmt, noGrad, tidy } from '@tensile/core';
import { checkInt, describe } from './check.js';
import { checkKeys, type Callback, type EpochLogs, type FitContext, type History, type OptimizerLike } from './callbacks.js';
import { resolveMetric, valKey, type Metric, type MetricName } from './metrics.js';
import { Module, type AnyModule } from './module.js';

/** A loss: (model output, target) -> scalar tensor; a function or a loss module (`new CrossEntropyLoss()`). */
export type LossFn = ((output: Tensor, target: Tensor) => Tensor) | { call(output: Tensor, target: Tensor): Tensor };

/**
 * Batches `[x, y]` (extra tensors are allowed and ignored): a `DataLoader`, or any iterable or
 * async iterable that yields a new batch each time it is iterated (one iteration per epoch).
 * fit() and evaluate() own the batches they receive and dispose them, as the DataLoader
 * contract says.
 */
export type BatchSource = AsyncIterable<readonly Tensor[]> | Iterable<readonly Tensor[]>;

/**
 * What `onProgress` receives: one `epochBegin`, a `batch` event per logging interval (with the
 * running means so far in the epoch, read back at that moment), and one `epochEnd` with the
 * epoch's logs (after validation and callbacks). Enough to draw a progress bar anywhere.
 */
export type ProgressInfo =
  | { type: 'epochBegin'; epoch: number; epochs: number; steps: number | undefined }
  | {
    type: 'batch'; epoch: number; epochs: number;
    /** Batches done in this epoch. */
    step: number;
    steps: number | undefined;
    samples: number;
    /** Mean loss per sample over the epoch so far. */
    loss: number;
    /** Running means of the metrics (`accuracy`). */
    metrics: Record<string, number>;
    seconds: number;
  }
  | { type: 'epochEnd'; epoch: number; epochs: number; steps: number; logs: EpochLogs; seconds: number };

export interface FitOptions {
  /** Anything with `step()` and `zeroGrad()`: an @tensile/optimizers optimizer. */
  optimizer: OptimizerLike;
  /** (output, target) -> scalar loss, a mean over the batch (per-sample losses are weighted by batch size). */
  loss: LossFn;
  /** Epochs to run (default 1). */
  epochs?: number;
  /** Metrics computed on the training and validation batches: 'accuracy' or Metric objects. */
  metrics?: (MetricName | Metric)[];
  /** Validation batches, evaluated after every epoch (adds `valLoss` and `val<Metric>` to the logs). */
  validation?: BatchSource;
  callbacks?: Callback[];
  /** Progress events, e.g. to draw a progress bar (see ProgressInfo). */
  onProgress?: (info: ProgressInfo) => void;
  /** Optimizer steps between reads of the loss (default 10); the last batch of an epoch always reads. */
  logEvery?: number;
}

export interface EvaluateOptions {
  /** The loss to average (gives `loss`); optional. */
  loss?: LossFn;
  metrics?: (MetricName | Metric)[];
}

/**
 * Trains `model` on `data` for `epochs` epochs and returns the history of epoch logs.
 * Each step runs, in one `tidy`: `model.call(x)`, the loss, `loss.backward()`; then
 * `optimizer.step()` and `optimizer.zeroGrad()`, and the batch is disposed. The model is in
 * training mode during the epochs and in eval mode (under `noGrad`) for validation; its
 * modes are restored when fit() returns. No tensor outlives a step, so `memory()` is flat
 * across epochs (an optimizer's own state aside, created at its first step).
 * @example
 * const history = await fit(model, trainLoader, {
 *   optimizer: new Adam(model.parameters(), { lr: 1e-3 }), loss: crossEntropy, epochs: 5,
 *   metrics: ['accuracy'], validation: validLoader, callbacks: [new EarlyStopping({ patience: 2 })],
 *   onProgress: (p) => { if (p.type === 'epochEnd') console.log(p.logs); },
 * });
 */
export async function fit(model: Module<[Tensor], Tensor>, data: BatchSource, options: FitOptions): Promise<History> {
  const op = 'fit';
  if (!(model instanceof Module)) throw new ArgumentError(`${op}: 'model' must be a Module, got ${describe(model)}`);
  checkSource(op, data, 'data');
  if (typeof options !== 'object' || options === null) throw new ArgumentError(`${op}: options must be an object, got ${describe(options)}`);
  checkKeys(op, options, ['optimizer', 'loss', 'epochs', 'metrics', 'validation', 'callbacks', 'onProgress', 'logEvery']);
  const optimizer = options.optimizer;
  if (typeof optimizer !== 'object' || optimizer === null || typeof optimizer.step !== 'function' || typeof optimizer.zeroGrad !== 'function') {
    throw new ArgumentError(`${op}: 'optimizer' must have step() and zeroGrad() methods, got ${describe(optimizer)}`);
  }
  const lossFn = resolveLoss(op, options.loss, true)!;
  const epochs = options.epochs === undefined ? 1 : checkInt(op, options.epochs, 'epochs', 1);
  const logEvery = options.logEvery === undefined ? 10 : checkInt(op, options.logEvery, 'logEvery', 1);
  const metrics = resolveMetrics(op, options.metrics);
  if (options.validation !== undefined) checkSource(op, options.validation, 'validation');
  const callbacks = options.callbacks ?? [];
  if (!Array.isArray(callbacks) || callbacks.some((c) => typeof c !== 'object' || c === null)) {
    throw new ArgumentError(`${op}: 'callbacks' must be an array of callback objects, got ${describe(callbacks)}`);
  }
  const onProgress = options.onProgress;
  if (onProgress !== undefined && typeof onProgress !== 'function') throw new ArgumentError(`${op}: 'onProgress' must be a function, got ${describe(onProgress)}`);
  const emit = (info: ProgressInfo): void => onProgress?.(info);

  const steps = lengthOf(data);
  const history: History = [];
  const ctx: FitContext = { model, optimizer, epochs, steps, history, stopTraining: false };
  const modes = saveModes(model);
  try {
    for (const c of callbacks) await c.onTrainBegin?.(ctx);
    optimizer.zeroGrad(); // gradients left over from before would be added to the first step's
    for (let epoch = 0; epoch < epochs && !ctx.stopTraining; epoch++) {
      const t0 = performance.now();
      model.train();
      for (const c of callbacks) await c.onEpochBegin?.(epoch, ctx);
      emit({ type: 'epochBegin', epoch, epochs, steps });

      // Host totals (float64), and the device sums of the current logging interval.
      let samples = 0, lossTotal = 0, step = 0, pending = 0;
      const metricTotals = metrics.map(() => 0);
      let sums: Tensor[] | null = null;
      const readBack = async (): Promise<void> => {
        if (!sums) return;
        const packed = tidy(() => concat(sums!.map((s) => s.reshape([1]).cast('float32'))));
        dispose(sums);
        sums = null;
        try {
          const v = await packed.data();
          lossTotal += v[0]!;
          metrics.forEach((_, i) => { metricTotals[i]! += v[i + 1]!; });
        } finally {
          packed.dispose();
        }
        pending = 0;
        emit({
          type: 'batch', epoch, epochs, step, steps, samples, loss: lossTotal / samples,
          metrics: Object.fromEntries(metrics.map((m, i) => [m.name, metricTotals[i]! / samples])),
          seconds: (performance.now() - t0) / 1000,
        });
      };
      try {
        for await (const batch of data) {
          let n: number;
          try {
            const [x, y] = checkBatch(op, batch);
            n = x.shape[0] ?? 1;
            const prev = sums as Tensor[] | null;
            sums = tidy(() => {
              const out = model.call(x);
              const loss = lossFn(out, y);
              checkLoss(op, loss, out, y);
              loss.backward();
              return noGrad(() => {
                const batchSums = [loss.reshape([]).mul(n), ...metrics.map((m) => m.batchSum(out, y))];
                return prev ? batchSums.map((s, i) => prev[i]!.add(s)) : batchSums;
              });
            });
            if (prev) dispose(prev);
            optimizer.step();
            optimizer.zeroGrad();
          } finally {
            dispose(batch as Tensor[]);
          }
          samples += n;
          step++;
          pending++;
          for (const c of callbacks) await c.onBatchEnd?.(step - 1, ctx);
          if (pending === logEvery || step === steps) await readBack();
          if (ctx.stopTraining) break;
        }
        await readBack();
      } finally {
        if (sums) dispose(sums);
      }
      if (step === 0) throw new ArgumentError(`${op}: the training data yielded no batch in epoch ${epoch} (a generator or iterator can be iterated only once; pass a DataLoader or an iterable that restarts)`);

      const logs: EpochLogs = { epoch, loss: lossTotal / samples };
      metrics.forEach((m, i) => { logs[m.name] = metricTotals[i]! / samples; });
      if (options.validation !== undefined) {
        const val = await evaluateWith(op, model, options.validation, lossFn, metrics);
        for (const [k, v] of Object.entries(val)) logs[valKey(k)] = v;
        model.train();
      }
      for (const c of callbacks) await c.onEpochEnd?.(epoch, logs, ctx);
      history.push(logs);
      emit({ type: 'epochEnd', epoch, epochs, steps: step, logs, seconds: (performance.now() - t0) / 1000 });
    }
    for (const c of callbacks) await c.onTrainEnd?.(history, ctx);
  } finally {
    restoreModes(modes);
  }
  return history;
}

/**
 * Evaluates `model` on `data` in eval mode under `noGrad`: the mean loss per sample (when a
 * loss is given) and each metric, with one read back at the end. The model's modes are
 * restored afterwards; the batches are disposed.
 * @example const { accuracy } = await evaluate(model, testLoader, { metrics: ['accuracy'] });
 */
export async function evaluate(model: Module<[Tensor], Tensor>, data: BatchSource, options: EvaluateOptions = {}): Promise<Record<string, number>> {
  const op = 'evaluate';
  if (!(model instanceof Module)) throw new ArgumentError(`${op}: 'model' must be a Module, got ${describe(model)}`);
  checkSource(op, data, 'data');
  checkKeys(op, options, ['loss', 'metrics']);
  const lossFn = resolveLoss(op, options.loss, false);
  const metrics = resolveMetrics(op, options.metrics);
  if (!lossFn && metrics.length === 0) throw new ArgumentError(`${op}: give a 'loss' or 'metrics' to compute`);
  const modes = saveModes(model);
  try {
    return await evaluateWith(op, model, data, lossFn, metrics);
  } finally {
    restoreModes(modes);
  }
}

async function evaluateWith(op: string, model: AnyModule, data: BatchSource, lossFn: ((o: Tensor, t: Tensor) => Tensor) | undefined,
  metrics: Metric[]): Promise<Record<string, number>> {
  model.eval();
  let sums: Tensor[] | null = null;
  let samples = 0;
  try {
    for await (const batch of data) {
      try {
        const [x, y] = checkBatch(op, batch);
        const n = x.shape[0] ?? 1;
        const prev = sums as Tensor[] | null;
        sums = noGrad(() => tidy(() => {
          const out = (model as Module<[Tensor], Tensor>).call(x);
          const batchSums: Tensor[] = [];
          if (lossFn) {
            const loss = lossFn(out, y);
            checkLoss(op, loss, out, y);
            batchSums.push(loss.reshape([]).mul(n));
          }
          for (const m of metrics) batchSums.push(m.batchSum(out, y));
          return prev ? batchSums.map((s, i) => prev[i]!.add(s)) : batchSums;
        }));
        if (prev) dispose(prev);
        samples += n;
      } finally {
        dispose(batch as Tensor[]);
      }
    }
    if (!sums) throw new ArgumentError(`${op}: the data yielded no batch`);
    const packed = tidy(() => concat(sums!.map((s) => s.reshape([1]).cast('float32'))));
    let v: ArrayLike<number>;
    try {
      v = await packed.data();
    } finally {
      packed.dispose();
    }
    const out: Record<string, number> = {};
    let i = 0;
    if (lossFn) out.loss = v[i++]! / samples;
    for (const m of metrics) out[m.name] = v[i++]! / samples;
    return out;
  } finally {
    if (sums) dispose(sums);
  }
}

function resolveLoss(op: string, loss: unknown, required: boolean): ((o: Tensor, t: Tensor) => Tensor) | undefined {
  if (loss === undefined && !required) return undefined;
  if (typeof loss === 'function') return loss as (o: Tensor, t: Tensor) => Tensor;
  if (typeof loss === 'object' && loss !== null && typeof (loss as { call?: unknown }).call === 'function') {
    const m = loss as { call(o: Tensor, t: Tensor): Tensor };
    return (o, t) => m.call(o, t);
  }
  throw new ArgumentError(`${op}: 'loss' must be a function (output, target) -> scalar or a loss module, got ${describe(loss)}`);
}

function resolveMetrics(op: string, metrics: unknown): Metric[] {
  if (metrics === undefined) return [];
  if (!Array.isArray(metrics)) throw new ArgumentError(`${op}: 'metrics' must be an array, got ${describe(metrics)}`);
  const out = metrics.map(resolveMetric);
  const names = out.map((m) => m.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new ArgumentError(`${op}: metric '${dup}' is given twice`);
  return out;
}

function checkSource(op: string, data: unknown, arg: string): void {
  const ok = typeof data === 'object' && data !== null &&
    (typeof (data as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function' || typeof (data as Iterable<unknown>)[Symbol.iterator] === 'function');
  if (!ok) throw new ArgumentError(`${op}: '${arg}' must be a DataLoader or an (async) iterable of [x, y] batches, got ${describe(data)}`);
}

function checkBatch(op: string, batch: unknown): [Tensor, Tensor] {
  if (!Array.isArray(batch) || batch.length < 2 || !batch.every((t) => t instanceof Tensor)) {
    throw new ArgumentError(`${op}: a batch must be an array [x, y] of tensors, got ${describe(batch)}`);
  }
  return [batch[0] as Tensor, batch[1] as Tensor];
}

function checkLoss(op: string, loss: unknown, out: Tensor, y: Tensor): void {
  if (!(loss instanceof Tensor)) throw new ArgumentError(`${op}: the loss function must return a Tensor, got ${describe(loss)}`);
  if (loss.size !== 1) {
    throw new ShapeError(`${op}: the loss must be a scalar, got shape ${fmt(loss.shape)} (output ${fmt(out.shape)}, target ${fmt(y.shape)}); use a mean reduction`);
  }
}

function lengthOf(data: BatchSource): number | undefined {
  const n = (data as { length?: unknown }).length;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined;
}

function saveModes(model: AnyModule): [AnyModule, boolean][] {
  return model.modules().map((m) => [m, m.training]);
}

function restoreModes(modes: [AnyModule, boolean][]): void {
  for (const [m, training] of modes) m.training = training;
}
