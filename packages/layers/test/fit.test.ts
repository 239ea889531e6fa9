// fit(), evaluate(), metrics and callbacks on small synthetic data: a linearly separable
// problem fit must solve, history values against direct computation, early stopping on
// scripted metric sequences, LR-scheduler stepping, progress events, flat memory, errors.
import { ArgumentError, ShapeError, Tensor, dispose, memory, noGrad, randn, tensor, tidy, type Variable } from '@tensile/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  EarlyStopping, LRSchedulerCallback, Linear, Module, ReLU, Sequential, accuracy, evaluate, fit,
  type Callback, type EpochLogs, type OptimizerLike, type ProgressInfo,
} from '../src/index.js';
import { crossEntropy, mseLoss } from '../src/functional.js';
import { useJs, values } from './helpers.js';

useJs();
afterEach(() => {
  vi.restoreAllMocks();
});

/** Plain SGD with no state (so memory() is flat from the first step): a duck-typed optimizer. */
function sgd(params: Variable[], lr: number): OptimizerLike & { steps: number } {
  return {
    steps: 0,
    step() {
      this.steps++;
      noGrad(() => tidy(() => params.forEach((p) => p.grad && p.assign(p.sub(p.grad.mul(lr))))));
    },
    zeroGrad() {
      params.forEach((p) => p.zeroGrad());
    },
  };
}

/**
 * Re-iterable batches of (x, y): each iteration yields new slices (fit disposes them), the
 * last batch smaller when n is not a multiple of the batch size. Async, like a DataLoader.
 */
class Batches implements AsyncIterable<Tensor[]> {
  constructor(readonly x: Tensor, readonly y: Tensor, readonly batchSize: number) {}
  get length(): number {
    return Math.ceil(this.x.shape[0]! / this.batchSize);
  }
  async *[Symbol.asyncIterator](): AsyncIterator<Tensor[]> {
    const n = this.x.shape[0]!;
    for (let s = 0; s < n; s += this.batchSize) {
      const e = Math.min(s + this.batchSize, n);
      yield tidy(() => [this.x.slice([s], [e]), this.y.slice([s], [e])]);
    }
  }
}

/** Points in 2-D labelled by the side of the line x0 + 2 x1 = 0.3 they lie on, those within 0.1 of it dropped. */
function separable(n: number, seed: number): [Tensor, Tensor] {
  const raw = randn([n * 2, 2], { seed }).dataSync();
  const xs: number[] = [], ys: number[] = [];
  for (let i = 0; i < n * 2 && ys.length < n; i++) {
    const a = raw[2 * i]!, b = raw[2 * i + 1]!;
    const d = (a + 2 * b - 0.3) / Math.sqrt(5);
    if (Math.abs(d) < 0.1) continue;
    xs.push(a, b);
    ys.push(d > 0 ? 1 : 0);
  }
  return [tensor(xs, [ys.length, 2]), tensor(Int32Array.from(ys), [ys.length], 'int32')];
}

/** A callback that overwrites a log entry with a scripted sequence (to drive the other callbacks). */
function script(key: string, seq: number[]): Callback {
  return { onEpochEnd: (epoch, logs) => { logs[key] = seq[epoch]!; } };
}

describe('fit', () => {
  it('solves a linearly separable problem: loss falls, accuracy reaches 1 on train and validation', async () => {
    const [x, y] = separable(256, 1);
    const [vx, vy] = separable(128, 2);
    const model = new Linear(2, 2, { seed: 3 });
    const opt = sgd(model.parameters(), 0.5);
    const history = await fit(model, new Batches(x, y, 32), {
      optimizer: opt, loss: crossEntropy, epochs: 15, metrics: ['accuracy'], validation: new Batches(vx, vy, 50),
    });
    expect(history.map((h) => h.epoch)).toEqual([...Array(15).keys()]);
    expect(opt.steps).toBe(15 * 8);
    const first = history[0]!, last = history.at(-1)!;
    expect(last.loss).toBeLessThan(first.loss * 0.5);
    expect(last.accuracy).toBeGreaterThanOrEqual(0.99);
    expect(last.valAccuracy).toBeGreaterThanOrEqual(0.99);
    expect(Object.keys(last).sort()).toEqual(['accuracy', 'epoch', 'loss', 'valAccuracy', 'valLoss']);
    // The learned boundary is the true one: w1 - w0 is parallel to (1, 2).
    const w = values(model.weight);
    const [d0, d1] = [w[2]! - w[0]!, w[3]! - w[1]!];
    expect(d1 / d0).toBeGreaterThan(1.5);
    expect(d1 / d0).toBeLessThan(2.7);
    model.dispose();
    dispose([x, y, vx, vy]);
  });

  it('logs the sample-weighted mean loss and accuracy of the epoch, and the validation values, exactly', async () => {
    const x = randn([10, 3], { seed: 4 });
    const y = tensor(Int32Array.from([0, 1, 2, 0, 1, 2, 2, 1, 0, 0]), [10], 'int32');
    const vx = randn([7, 3], { seed: 5 });
    const vy = tensor(Int32Array.from([2, 2, 1, 0, 1, 0, 1]), [7], 'int32');
    const model = new Linear(3, 3, { seed: 6 });
    // lr 0: the model does not change, so every value can be computed directly. Batches of 4, 4, 2.
    const history = await fit(model, new Batches(x, y, 4), {
      optimizer: sgd(model.parameters(), 0), loss: crossEntropy, epochs: 2, metrics: ['accuracy'], validation: new Batches(vx, vy, 3),
    });
    const direct = (xs: Tensor, ys: Tensor) => noGrad(() => tidy(() => {
      const out = model.call(xs);
      return [crossEntropy(out, ys).dataSync()[0]!, values(out.argmax(-1).equal(ys).cast('float32').sum())[0]! / ys.size];
    }));
    const [loss, acc] = direct(x, y);
    const [vLoss, vAcc] = direct(vx, vy);
    expect(history).toHaveLength(2);
    for (const [e, h] of history.entries()) {
      expect(h.epoch).toBe(e);
      expect(h.loss).toBeCloseTo(loss, 6);
      expect(h.accuracy).toBe(acc);
      expect(h.valLoss).toBeCloseTo(vLoss, 6);
      expect(h.valAccuracy).toBe(vAcc);
    }
    const ev = await evaluate(model, new Batches(vx, vy, 3), { loss: crossEntropy, metrics: ['accuracy'] });
    expect(ev.loss).toBeCloseTo(vLoss, 6);
    expect(ev.accuracy).toBe(vAcc);
    model.dispose();
    dispose([x, y, vx, vy]);
  });

  it('reads values back once per logging interval and per validation pass, never synchronously; memory() stays flat', async () => {
    const [x, y] = separable(200, 7);
    const model = new Sequential(new Linear(2, 8, { seed: 8 }), new ReLU(), new Linear(8, 2, { seed: 9 }));
    const opt = sgd(model.parameters(), 0.1);
    const before = memory();
    const atEpochEnd: number[] = [];
    const progress: ProgressInfo[] = [];
    const data = vi.spyOn(Tensor.prototype, 'data');
    const dataSync = vi.spyOn(Tensor.prototype, 'dataSync');
    // 200 samples / 16 = 13 batches; logEvery 4: reads after steps 4, 8, 12 and 13.
    const history = await fit(model, new Batches(x, y, 16), {
      optimizer: opt, loss: crossEntropy, epochs: 3, metrics: ['accuracy'], logEvery: 4,
      validation: new Batches(x, y, 64),
      callbacks: [{ onEpochEnd: () => { atEpochEnd.push(memory().tensors); } }],
      onProgress: (p) => progress.push(p),
    });
    expect(data).toHaveBeenCalledTimes(3 * (4 + 1));
    expect(dataSync).not.toHaveBeenCalled();
    expect(atEpochEnd).toEqual([before.tensors, before.tensors, before.tensors]);
    expect(memory().tensors).toBe(before.tensors);
    expect(memory().bytes).toBe(before.bytes);
    // Progress: epochBegin, one batch event per read, epochEnd, for each epoch.
    expect(progress.map((p) => p.type === 'batch' ? `b${p.step}` : p.type)).toEqual(
      Array(3).fill(['epochBegin', 'b4', 'b8', 'b12', 'b13', 'epochEnd']).flat());
    const lastBatch = progress.filter((p) => p.type === 'batch').at(-1)!;
    const end = progress.at(-1)!;
    if (lastBatch.type !== 'batch' || end.type !== 'epochEnd') throw new Error('unexpected progress events');
    expect(lastBatch).toMatchObject({ epoch: 2, epochs: 3, steps: 13, samples: 200 });
    expect(lastBatch.loss).toBeCloseTo(history[2]!.loss, 12);
    expect(lastBatch.metrics.accuracy).toBeCloseTo(history[2]!.accuracy!, 12);
    expect(end.logs).toBe(history[2]);
    model.dispose();
    dispose([x, y]);
  });

  it('runs training in train mode and validation in eval mode under noGrad, and restores the modes', async () => {
    const seen: string[] = [];
    class Probe extends Module {
      readonly fc = this.module('fc', new Linear(2, 2, { seed: 1 }));
      forward(x: Tensor): Tensor {
        const y = this.fc.call(x);
        seen.push(`${this.training ? 'train' : 'eval'}:${y.requiresGrad ? 'grad' : 'nograd'}`);
        return y;
      }
    }
    const model = new Probe();
    model.eval();
    model.fc.train(); // a mixed state, restored as it was
    const [x, y] = separable(8, 2);
    await fit(model, new Batches(x, y, 4), { optimizer: sgd(model.parameters(), 0.1), loss: crossEntropy, epochs: 2, validation: new Batches(x, y, 8) });
    expect(seen).toEqual(Array(2).fill(['train:grad', 'train:grad', 'eval:nograd']).flat());
    expect(model.training).toBe(false);
    expect(model.fc.training).toBe(true);
    model.dispose();
    dispose([x, y]);
  });

  it('stops mid-epoch when a callback sets stopTraining in onBatchEnd, and still logs the epoch', async () => {
    const [x, y] = separable(64, 3);
    const model = new Linear(2, 2, { seed: 1 });
    const opt = sgd(model.parameters(), 0.1);
    const history = await fit(model, new Batches(x, y, 8), {
      optimizer: opt, loss: crossEntropy, epochs: 5,
      callbacks: [{ onBatchEnd: (step, ctx) => { if (ctx.history.length === 1 && step === 2) ctx.stopTraining = true; } }],
    });
    expect(history).toHaveLength(2);
    expect(opt.steps).toBe(8 + 3);
    model.dispose();
    dispose([x, y]);
  });

  it('takes a loss module and a custom metric, and accepts synchronous iterables', async () => {
    const x = tensor([[1], [2], [3], [4]]);
    const t = tensor([[2], [4], [6], [8]]);
    const model = new Linear(1, 1, { seed: 0 });
    const mae = { name: 'mae', batchSum: (o: Tensor, tt: Tensor) => o.sub(tt).abs().sum() };
    const batches = { *[Symbol.iterator]() { yield tidy(() => [x.slice([0], [2]), t.slice([0], [2])]); yield tidy(() => [x.slice([2], [4]), t.slice([2], [4])]); } };
    const history = await fit(model, batches, {
      optimizer: sgd(model.parameters(), 0.02), loss: { call: (o: Tensor, tt: Tensor) => mseLoss(o, tt) }, epochs: 60, metrics: [mae], validation: batches,
    });
    expect(history.at(-1)!.mae).toBeLessThan(0.2);
    expect(history.at(-1)!.valMae).toBeLessThan(0.2);
    expect(history.at(-1)!.loss).toBeLessThan(history[0]!.loss / 10);
    model.dispose();
    dispose([x, t]);
  });

  it('throws typed errors that name the problem', async () => {
    const [x, y] = separable(16, 1);
    const model = new Linear(2, 2, { seed: 1 });
    const opt = sgd(model.parameters(), 0.1);
    const data = new Batches(x, y, 8);
    const before = memory().tensors;
    const fails = async (p: Promise<unknown>, type: new (...a: never[]) => Error, msg: string | RegExp) => {
      const err = await p.then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(type);
      expect((err as Error).message).toMatch(msg);
    };
    await fails(fit(model, data, { optimizer: {} as OptimizerLike, loss: crossEntropy }), ArgumentError, "fit: 'optimizer' must have step() and zeroGrad() methods");
    await fails(fit(model, data, { optimizer: opt, loss: 3 as never }), ArgumentError, "fit: 'loss' must be a function");
    await fails(fit(model, data, { optimizer: opt, loss: crossEntropy, epochs: 0 }), ArgumentError, "fit: 'epochs' must be an integer >= 1, got 0");
    await fails(fit(model, data, { optimizer: opt, loss: crossEntropy, lr: 1 } as never), ArgumentError, "fit: unknown option 'lr'");
    await fails(fit(model, data, { optimizer: opt, loss: crossEntropy, metrics: ['f1' as never] }), ArgumentError, "fit: a metric must be 'accuracy'");
    await fails(fit(model, 5 as never, { optimizer: opt, loss: crossEntropy }), ArgumentError, "fit: 'data' must be a DataLoader");
    await fails(fit(model, data, { optimizer: opt, loss: (o) => o.sum(1) }), ShapeError, 'fit: the loss must be a scalar, got shape [8] (output [8,2], target [8])');
    // fit owns the batches it receives, malformed ones included: it disposes them.
    const lone = tensor([1, 2]);
    await fails(fit(model, [[lone]], { optimizer: opt, loss: crossEntropy }), ArgumentError, 'fit: a batch must be an array [x, y] of tensors, got [float32[2]]');
    expect(lone.isDisposed).toBe(true);
    async function* once() { yield tidy(() => [x.slice([0], [8]), y.slice([0], [8])]); }
    await fails(fit(model, once(), { optimizer: opt, loss: crossEntropy, epochs: 2 }), ArgumentError, 'fit: the training data yielded no batch in epoch 1');
    await fails(fit(model, data, { optimizer: opt, loss: crossEntropy, callbacks: [new EarlyStopping()] }), ArgumentError,
      "EarlyStopping: monitor 'valLoss' is not in the epoch's logs (they have: loss; valLoss needs validation data)");
    await fails(evaluate(model, data), ArgumentError, "evaluate: give a 'loss' or 'metrics' to compute");
    expect(memory().tensors).toBe(before);
    model.dispose();
    dispose([x, y]);
  });
});

describe('accuracy', () => {
  it.each([
    { name: 'class indices', out: [[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]], target: [1, 1, 1], int: true, want: 2 },
    { name: 'one-hot targets', out: [[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]], target: [[0, 1], [1, 0], [1, 0]], want: 2 },
    { name: 'binary probabilities [N, 1]', out: [[0.9], [0.2], [0.6], [0.4]], target: [[1], [0], [0], [0]], want: 3 },
    { name: 'binary [N]', out: [0.9, 0.2, 0.6, 0.4], target: [1, 1, 1, 0], want: 3 },
  ])('counts the correct predictions of $name', ({ out, target, int, want }) => {
    const o = tensor(out);
    const t = int ? tensorI(target as number[]) : tensor(target);
    const s = accuracy().batchSum(o, t);
    expect(values(s)).toEqual([want]);
    dispose([o, t, s]);
  });

  it('takes a threshold for logits, and rejects targets of the wrong shape', () => {
    const o = tensor([2, -1, 0.3]), t = tensor([1, 0, 0]);
    const s = accuracy({ threshold: 0 }).batchSum(o, t);
    expect(values(s)).toEqual([2]);
    const o2 = tensor([[0.1, 0.9], [0.8, 0.2]]), t2 = tensorI([1, 1, 1]);
    expect(() => accuracy().batchSum(o2, t2)).toThrow(ShapeError);
    dispose([o, t, s, o2, t2]);
  });
});

function tensorI(v: number[]): Tensor {
  return tensor(Int32Array.from(v), [v.length], 'int32');
}

describe('EarlyStopping', () => {
  const run = async (cb: EarlyStopping, key: string, seq: number[], epochs = seq.length) => {
    const [x, y] = separable(16, 1);
    const model = new Linear(2, 2, { seed: 1 });
    try {
      return await fit(model, new Batches(x, y, 16), { optimizer: sgd(model.parameters(), 0.1), loss: crossEntropy, epochs, callbacks: [script(key, seq), cb] });
    } finally {
      model.dispose();
      dispose([x, y]);
    }
  };

  it.each([
    // patience 2: best 0.8 at epoch 1, then two epochs without improvement: stops after epoch 3.
    { opts: { monitor: 'valLoss', patience: 2 }, seq: [1, 0.8, 0.85, 0.9, 0.7, 0.6], epochs: 4, best: 1, bestValue: 0.8 },
    // patience 0 (the default): the first epoch without improvement stops it.
    { opts: { monitor: 'valLoss' }, seq: [1, 0.9, 0.9, 0.5], epochs: 3, best: 1, bestValue: 0.9 },
    // An improvement resets the count: 1 -> (1.1) -> 0.9 -> (0.95) -> (0.95) stops at 4.
    { opts: { monitor: 'valLoss', patience: 2 }, seq: [1, 1.1, 0.9, 0.95, 0.95, 0.1], epochs: 5, best: 2, bestValue: 0.9 },
    // minDelta 0.1: 0.95 and 0.91 are not improvements on 1.
    { opts: { monitor: 'valLoss', patience: 2, minDelta: 0.1 }, seq: [1, 0.95, 0.91, 0.5], epochs: 3, best: 0, bestValue: 1 },
    // 'auto' mode picks max for an accuracy.
    { opts: { monitor: 'valAccuracy', patience: 1 }, seq: [0.5, 0.7, 0.6, 0.9], epochs: 3, best: 1, bestValue: 0.7 },
    // mode 'max' given explicitly for another name; NaN never improves.
    { opts: { monitor: 'score', mode: 'max' as const, patience: 1 }, seq: [1, 2, NaN, 3], epochs: 3, best: 1, bestValue: 2 },
    // never stops when it keeps improving.
    { opts: { monitor: 'valLoss', patience: 1 }, seq: [5, 4, 3, 2, 1], epochs: 5, best: 4, bestValue: 1 },
  ])('$opts on $seq stops after $epochs epochs', async ({ opts, seq, epochs, best, bestValue }) => {
    const es = new EarlyStopping(opts);
    const history = await run(es, opts.monitor, seq);
    expect(history).toHaveLength(epochs);
    expect(es.bestEpoch).toBe(best);
    expect(es.best).toBe(bestValue);
    expect(es.stoppedEpoch).toBe(epochs < seq.length ? epochs - 1 : -1);
  });

  it('restores the weights of the best epoch when asked, and frees its snapshot', async () => {
    const [x, y] = separable(64, 5);
    const model = new Linear(2, 2, { seed: 2 });
    const weights: number[][] = [];
    const before = memory().tensors;
    const es = new EarlyStopping({ monitor: 'valLoss', patience: 2, restoreBestWeights: true });
    const history = await fit(model, new Batches(x, y, 16), {
      optimizer: sgd(model.parameters(), 0.2), loss: crossEntropy, epochs: 10,
      callbacks: [script('valLoss', [3, 2, 1, 1.5, 1.2, 0.5]), { onEpochEnd: () => { weights.push(values(model.weight)); } }, es],
    });
    expect(history).toHaveLength(5);
    expect(weights[2]).not.toEqual(weights[4]);
    expect(values(model.weight)).toEqual(weights[2]);
    expect(memory().tensors).toBe(before);
    model.dispose();
    dispose([x, y]);
  });

  it('rejects bad options', () => {
    expect(() => new EarlyStopping({ patience: -1 })).toThrow("EarlyStopping: 'patience' must be an integer >= 0, got -1");
    expect(() => new EarlyStopping({ mode: 'up' as never })).toThrow("EarlyStopping: 'mode' must be one of 'auto', 'min', 'max', got 'up'");
    expect(() => new EarlyStopping({ monitor: '' })).toThrow(ArgumentError);
    expect(() => new EarlyStopping({ paitence: 1 } as never)).toThrow("EarlyStopping: unknown option 'paitence'");
  });
});

describe('LRSchedulerCallback', () => {
  const train = async (callbacks: Callback[], epochs: number, validation = false) => {
    const [x, y] = separable(24, 1);
    const model = new Linear(2, 2, { seed: 1 });
    try {
      return await fit(model, new Batches(x, y, 8), {
        optimizer: sgd(model.parameters(), 0.1), loss: crossEntropy, epochs, callbacks, ...(validation ? { validation: new Batches(x, y, 24) } : {}),
      });
    } finally {
      model.dispose();
      dispose([x, y]);
    }
  };

  it('steps an epoch scheduler once per epoch and logs the learning rate each epoch used', async () => {
    let lr = 1;
    const calls: unknown[][] = [];
    const sched = { step(...args: unknown[]) { calls.push(args); lr /= 2; }, getLastLr: () => [lr] };
    const history = await train([new LRSchedulerCallback(sched)], 3);
    expect(calls).toEqual([[], [], []]);
    expect(history.map((h) => h.lr)).toEqual([1, 0.5, 0.25]);
  });

  it('steps a per-batch scheduler after every batch', async () => {
    let n = 0;
    await train([new LRSchedulerCallback({ step() { n++; } }, { interval: 'batch' })], 2);
    expect(n).toBe(2 * 3);
  });

  it('passes the monitored metric to a ReduceLROnPlateau-like step(metric): valLoss, else loss, or the one named', async () => {
    const got: number[] = [];
    const plateau = { step(metric: number) { got.push(metric); } };
    let history = await train([new LRSchedulerCallback(plateau)], 2, true);
    expect(got).toEqual(history.map((h) => h.valLoss));
    got.length = 0;
    history = await train([new LRSchedulerCallback(plateau)], 2);
    expect(got).toEqual(history.map((h) => h.loss));
    got.length = 0;
    history = await train([script('score', [7, 8]), new LRSchedulerCallback({ step: (m?: number) => { got.push(m!); } }, { monitor: 'score' })], 2);
    expect(got).toEqual([7, 8]);
    expect(() => new LRSchedulerCallback(plateau, { interval: 'batch' })).toThrow(ArgumentError);
    expect(() => new LRSchedulerCallback({} as never)).toThrow("LRSchedulerCallback: 'scheduler' must have a step() method");
  });
});

// The logs type allows the documented keys and extra ones added by callbacks.
const _typed: EpochLogs = { epoch: 0, loss: 1, accuracy: 0.5, valLoss: 1, valAccuracy: 0.5, lr: 0.1, custom: 3 };
void _typed;
