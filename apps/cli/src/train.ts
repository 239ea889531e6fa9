// `tensile train`: an MLP on the MNIST digits with core autograd and a hand-written SGD step.
import { dispose, keep, memory, noGrad, tensor, tidy, valueAndGrad, type Tensor, type Variable } from '@tensile/core';
import type { Flags } from './args.js';
import { useBestBackend } from './backend.js';
import { TRAIN_DEFAULTS, type TRAIN_OPTIONS } from './commands.js';
import { head, IMAGE_SIZE, loadDigits, NUM_CLASSES, type Digits } from './data.js';
import { crossEntropy, forward, initMlp, sgdStep } from './mlp.js';
import { epochBar } from './progress.js';
import { mulberry32, shuffle } from './prng.js';

export interface TrainOptions {
  epochs?: number;
  batchSize?: number;
  /** SGD learning rate. */
  lr?: number;
  /** Seeds the data split, the weight init and the batch order. */
  seed?: number;
  hidden?: number;
  /** Steps between reads of the loss from the device (and progress updates); the last step of an epoch always reads. */
  logEvery?: number;
  /** Use only the first N training / test images (default: all 8,000 / 2,000). */
  trainSize?: number;
  testSize?: number;
  /** Backend name; default: the highest-priority one that initialises. */
  backend?: string;
  /** Draw a progress bar (default: when stdout is a TTY). */
  progress?: boolean;
  /** Where summary lines go (default console.log). */
  log?: (line: string) => void;
}

export interface EpochStats {
  epoch: number;
  /** Mean training loss over the epoch's batches. */
  loss: number;
  trainAccuracy: number;
  testAccuracy: number;
  seconds: number;
  /** Live tensors before and after the epoch (equal when nothing leaks). */
  tensorsBefore: number;
  tensorsAfter: number;
}

export interface TrainResult {
  backend: string;
  testAccuracy: number;
  trainAccuracy: number;
  /** Mean loss of each logging interval (`logEvery` steps, fewer at an epoch's end), in order. */
  losses: number[];
  epochs: EpochStats[];
  seconds: number;
}

/** Trains the MLP and reports per-epoch loss, accuracy and memory; frees everything it made. */
export async function train(opts: TrainOptions = {}): Promise<TrainResult> {
  const d = TRAIN_DEFAULTS;
  const o = {
    epochs: opts.epochs ?? d.epochs, batchSize: opts.batchSize ?? d.batchSize, lr: opts.lr ?? d.lr,
    seed: opts.seed ?? d.seed, hidden: opts.hidden ?? d.hidden, logEvery: opts.logEvery ?? d.logEvery,
  };
  const log = opts.log ?? ((line: string) => console.log(line));
  const start = performance.now();
  const backend = await useBestBackend(opts.backend);
  const digits = loadDigits(0.8, o.seed);
  const trainSet = head(digits.train, opts.trainSize ?? digits.train.count);
  const testSet = head(digits.test, opts.testSize ?? digits.test.count);
  log(`backend: ${backend}`);
  log(`data: ${trainSet.count} train / ${testSet.count} test MNIST digits; MLP ${IMAGE_SIZE}-${o.hidden}-${NUM_CLASSES}, ` +
    `batch ${o.batchSize}, lr ${o.lr}, ${o.epochs} epochs, seed ${o.seed}`);

  const [xTrain, yTrain] = upload(trainSet);
  const [xTest, yTest] = upload(testSet);
  const p = initMlp(IMAGE_SIZE, o.hidden, NUM_CLASSES, o.seed);
  const params: [Variable, Variable, Variable, Variable] = [p.w1, p.b1, p.w2, p.b2];
  const random = mulberry32(o.seed + 2);
  const order = Int32Array.from({ length: trainSet.count }, (_, i) => i);
  const steps = Math.ceil(trainSet.count / o.batchSize);
  const losses: number[] = [];
  const epochs: EpochStats[] = [];
  try {
    for (let epoch = 1; epoch <= o.epochs; epoch++) {
      const t0 = performance.now();
      const tensorsBefore = memory().tensors;
      shuffle(order, random);
      const bar = epochBar(`epoch ${epoch}/${o.epochs}`, steps, opts.progress);
      let total = 0;
      // The loss is summed on the device and read once per interval: a read waits for the
      // device to finish, so reading every step would stall an asynchronous backend each step.
      let lossSum: Tensor | undefined;
      let summed = 0;
      for (let s = 0; s < steps; s++) {
        const batch = order.subarray(s * o.batchSize, (s + 1) * o.batchSize);
        const prev = lossSum;
        lossSum = tidy(() => {
          const idx = tensor(batch, [batch.length], 'int32');
          const x = xTrain.gather(idx), y = yTrain.gather(idx);
          const lossFn = (w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor) => crossEntropy(forward(x, w1, b1, w2, b2), y);
          const { value, grads } = valueAndGrad(lossFn)(...params);
          sgdStep(params, grads, o.lr);
          // noGrad: the running sum must not chain a gradient graph across steps.
          return prev ? noGrad(() => prev.add(value)) : value;
        });
        prev?.dispose();
        summed++;
        if (summed === o.logEvery || s === steps - 1) {
          const sum = (await lossSum.data())[0]!;
          lossSum.dispose();
          lossSum = undefined;
          losses.push(sum / summed);
          total += sum;
          summed = 0;
          bar.update(s + 1, total / (s + 1));
        }
      }
      bar.stop();
      const trainAccuracy = await accuracy(params, xTrain, yTrain);
      const testAccuracy = await accuracy(params, xTest, yTest);
      const stats: EpochStats = {
        epoch, loss: total / steps, trainAccuracy, testAccuracy,
        seconds: (performance.now() - t0) / 1000, tensorsBefore, tensorsAfter: memory().tensors,
      };
      epochs.push(stats);
      log(`epoch ${epoch}/${o.epochs}  loss ${stats.loss.toFixed(4)}  train acc ${pct(trainAccuracy)}  ` +
        `test acc ${pct(testAccuracy)}  ${stats.seconds.toFixed(1)}s  tensors ${stats.tensorsBefore} -> ${stats.tensorsAfter}`);
    }
  } finally {
    dispose([xTrain, yTrain, xTest, yTest, ...params]);
  }
  const last = epochs[epochs.length - 1];
  return {
    backend, losses, epochs, seconds: (performance.now() - start) / 1000,
    testAccuracy: last?.testAccuracy ?? NaN, trainAccuracy: last?.trainAccuracy ?? NaN,
  };
}

/** `tensile train` with its parsed options; resolves to the exit code (1 below 90% test accuracy). */
export async function trainCommand(f: Flags<typeof TRAIN_OPTIONS>): Promise<number> {
  const result = await train({
    epochs: f.epochs, batchSize: f.batch, lr: f.lr, seed: f.seed, logEvery: f['log-every'], backend: f.backend,
  });
  const ok = result.testAccuracy >= 0.9;
  console.log(`final test accuracy: ${pct(result.testAccuracy)} (target >= 90%: ${ok ? 'PASS' : 'FAIL'}) in ${result.seconds.toFixed(1)}s`);
  return ok ? 0 : 1;
}

/** Uploads a set as kept tensors: images [N, 784] float32 and labels [N] int32. */
function upload(d: Digits): [Tensor, Tensor] {
  return [keep(tensor(d.images, [d.count, IMAGE_SIZE])), keep(tensor(d.labels, [d.count], 'int32'))];
}

/** Fraction of `x`'s rows whose argmax logit equals the label, evaluated in chunks without a graph. */
async function accuracy(params: readonly Tensor[], x: Tensor, y: Tensor, chunk = 1000): Promise<number> {
  const n = x.shape[0]!;
  let correct = 0;
  for (let s = 0; s < n; s += chunk) {
    const hits = noGrad(() => tidy(() => {
      const xs = x.slice([s, 0], [Math.min(s + chunk, n), IMAGE_SIZE]);
      const ys = y.slice([s], [Math.min(s + chunk, n)]);
      const [w1, b1, w2, b2] = params as [Tensor, Tensor, Tensor, Tensor];
      return forward(xs, w1, b1, w2, b2).argmax(-1).equal(ys).cast('float32').sum();
    }));
    correct += (await hits.data())[0]!;
    hits.dispose();
  }
  return n === 0 ? NaN : correct / n;
}

function pct(v: number): string {
  return `${(v * 100).toFixed(2)}%`;
}
