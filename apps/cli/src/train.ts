// `tensile train`: LeNet-5 (BatchNorm) or an MLP on Fashion-MNIST or MNIST through
// @tensile/layers' fit(), with Adam under a one-cycle schedule, a progress bar per epoch, the
// test accuracy after every epoch, and the weights saved as safetensors at the end.
import { access, constants, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { memory } from '@tensile/core';
import { DataLoader, loadFashionMnist, loadMnist, type ImageSplits } from '@tensile/data';
import { LRSchedulerCallback, fit, saveWeights, type Callback, type ProgressInfo } from '@tensile/layers';
import { crossEntropy } from '@tensile/layers/functional';
import { writeFileAtomic } from '@tensile/layers/node';
import { Adam, OneCycleLR } from '@tensile/optimizers';
import { CliError, type Flags } from './args.js';
import { useBestBackend } from './backend.js';
import { TRAIN_DEFAULTS, type DatasetName, type TRAIN_OPTIONS } from './commands.js';
import { buildModel, MODEL_TITLES, type ModelName } from './models.js';
import { fitProgressBars } from './progress.js';

export interface TrainOptions {
  model?: ModelName;
  dataset?: DatasetName;
  epochs?: number;
  batchSize?: number;
  /** Peak learning rate of Adam's one-cycle schedule. */
  lr?: number;
  /** Seeds the weight init and the batch order. */
  seed?: number;
  /** Steps between reads of the loss from the device (and progress updates); the last step of an epoch always reads. */
  logEvery?: number;
  /** Use only the first N training / test images (default: all). */
  trainSize?: number;
  testSize?: number;
  /** Backend name; default: the highest-priority one that initialises. */
  backend?: string;
  /** Where to save the weights (default `<model>-<dataset>.safetensors` in the current directory). */
  out?: string;
  /** Draw a progress bar (default: when stdout is a TTY). */
  progress?: boolean;
  /** Where summary lines go (default console.log). */
  log?: (line: string) => void;
}

export interface EpochStats {
  /** 1-based, as printed. */
  epoch: number;
  /** Mean training loss per image over the epoch. */
  loss: number;
  /** Training accuracy over the epoch (while the weights were changing). */
  trainAccuracy: number;
  testLoss: number;
  testAccuracy: number;
  lr: number;
  seconds: number;
  /** Live tensors at the end of each epoch (equal from epoch to epoch when nothing leaks). */
  tensors: number;
}

export interface TrainResult {
  backend: string;
  testAccuracy: number;
  trainAccuracy: number;
  /** Mean loss of each logging interval (`logEvery` steps, fewer at an epoch's end), in order. */
  losses: number[];
  epochs: EpochStats[];
  seconds: number;
  /** The absolute path of the saved weights. */
  out: string;
  /** Its size in bytes. */
  bytes: number;
}

/** The default weights file of a run. @example defaultOut('lenet5', 'fashion-mnist') // 'lenet5-fashion-mnist.safetensors' */
export function defaultOut(model: string, dataset: string): string {
  return `${model}-${dataset}.safetensors`;
}

/**
 * Trains a model with fit(), evaluating on the test set after every epoch, saves its weights
 * as safetensors and reports per-epoch loss, accuracy and memory; frees everything it made.
 */
export async function train(opts: TrainOptions = {}): Promise<TrainResult> {
  const d = TRAIN_DEFAULTS;
  const o = {
    model: opts.model ?? d.model, dataset: opts.dataset ?? d.dataset, epochs: opts.epochs ?? d.epochs,
    batchSize: opts.batchSize ?? d.batchSize, lr: opts.lr ?? d.lr, seed: opts.seed ?? d.seed, logEvery: opts.logEvery ?? d.logEvery,
  };
  const out = resolve(opts.out ?? defaultOut(o.model, o.dataset));
  const log = opts.log ?? ((line: string) => console.log(line));
  const start = performance.now();
  const backend = await useBestBackend(opts.backend);
  await checkWritable(out);
  const sizes = { trainSize: opts.trainSize, testSize: opts.testSize };
  const data: ImageSplits = o.dataset === 'fashion-mnist' ? await loadFashionMnist(sizes) : await loadMnist({ ...sizes, seed: o.seed });
  const model = buildModel(o.model, o.seed);
  const optimizer = new Adam(model.parameters(), { lr: o.lr });
  try {
    const trainLoader = new DataLoader(data.train, { batchSize: o.batchSize, shuffle: true, seed: o.seed });
    const testLoader = new DataLoader(data.test, { batchSize: 500 });
    const schedule = new OneCycleLR(optimizer, { maxLr: o.lr, epochs: o.epochs, stepsPerEpoch: trainLoader.length });
    log(`backend: ${backend}`);
    log(`data: ${data.train.length} train / ${data.test.length} test ${o.dataset === 'fashion-mnist' ? 'Fashion-MNIST' : 'MNIST'} images; ` +
      `${MODEL_TITLES[o.model]} (${model.numParameters().toLocaleString('en-US')} parameters), Adam one-cycle lr ${o.lr}, ` +
      `batch ${o.batchSize}, ${o.epochs} epoch${o.epochs === 1 ? '' : 's'}, seed ${o.seed}`);

    const losses: number[] = [];
    const epochs: EpochStats[] = [];
    let lastRead = { samples: 0, loss: 0 };
    const bars = fitProgressBars(opts.progress);
    const onProgress = (p: ProgressInfo): void => {
      bars(p);
      if (p.type === 'epochBegin') lastRead = { samples: 0, loss: 0 };
      if (p.type === 'batch') {
        // The running mean over the epoch, turned back into this interval's mean.
        const total = p.loss * p.samples;
        losses.push((total - lastRead.loss) / (p.samples - lastRead.samples));
        lastRead = { samples: p.samples, loss: total };
      }
    };
    let epochStart = 0;
    const report: Callback = {
      onEpochBegin: () => { epochStart = performance.now(); },
      // After the LR callback, which adds the epoch's `lr` to the logs.
      onEpochEnd: (epoch, logs) => {
        const s: EpochStats = {
          epoch: epoch + 1, loss: logs.loss, trainAccuracy: logs.accuracy!, testLoss: logs.valLoss!, testAccuracy: logs.valAccuracy!,
          lr: logs.lr!, seconds: (performance.now() - epochStart) / 1000, tensors: memory().tensors,
        };
        epochs.push(s);
        log(`epoch ${s.epoch}/${o.epochs}  loss ${s.loss.toFixed(4)}  train acc ${pct(s.trainAccuracy)}  ` +
          `test loss ${s.testLoss.toFixed(4)}  test acc ${pct(s.testAccuracy)}  ${s.seconds.toFixed(1)}s  tensors ${s.tensors}`);
      },
    };
    await fit(model, trainLoader, {
      optimizer, loss: crossEntropy, epochs: o.epochs, metrics: ['accuracy'], validation: testLoader, logEvery: o.logEvery,
      callbacks: [new LRSchedulerCallback(schedule, { interval: 'batch' }), report], onProgress,
    });
    const last = epochs[epochs.length - 1]!;
    const bytes = await saveWeights(model, {
      metadata: { model: o.model, dataset: o.dataset, epochs: String(o.epochs), testAccuracy: String(last.testAccuracy) },
    });
    await writeFileAtomic(out, bytes);
    return {
      backend, losses, epochs, seconds: (performance.now() - start) / 1000, out, bytes: bytes.length,
      testAccuracy: last.testAccuracy, trainAccuracy: last.trainAccuracy,
    };
  } finally {
    model.dispose();
    optimizer.dispose();
    data.train.dispose();
    data.test.dispose();
  }
}

/** Fails before training, not after it, when the weights could not be saved. */
async function checkWritable(out: string): Promise<void> {
  try {
    await mkdir(dirname(out), { recursive: true });
    await access(dirname(out), constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new CliError(`cannot write the weights to ${out}: ${dirname(out)} is not a writable directory (${code})`);
  }
}

/** The test accuracy `tensile train` expects of a full default run on each dataset. */
export const TARGETS: Record<DatasetName, number> = { 'fashion-mnist': 0.88, mnist: 0.9 };

/**
 * `tensile train` with its parsed options; resolves to the exit code: on the full data sets, 1
 * below the dataset's target accuracy (a run on a subset reports its accuracy without a target).
 */
export async function trainCommand(f: Flags<typeof TRAIN_OPTIONS>): Promise<number> {
  const dataset = f.dataset as DatasetName;
  const result = await train({
    model: f.model as ModelName, dataset, epochs: f.epochs, batchSize: f.batch, lr: f.lr, seed: f.seed, logEvery: f['log-every'],
    trainSize: f['train-size'], testSize: f['test-size'], backend: f.backend, out: f.out,
  });
  const subset = f['train-size'] !== undefined || f['test-size'] !== undefined;
  const target = TARGETS[dataset];
  const ok = subset || result.testAccuracy >= target;
  const verdict = subset ? 'a subset: no target' : `target >= ${pct(target, 0)}: ${ok ? 'PASS' : 'FAIL'}`;
  console.log(`final test accuracy: ${pct(result.testAccuracy)} (${verdict}) in ${result.seconds.toFixed(1)}s`);
  console.log(`weights saved to ${result.out} (${result.bytes.toLocaleString('en-US')} bytes, safetensors)`);
  return ok ? 0 : 1;
}

function pct(v: number, digits = 2): string {
  return `${(v * 100).toFixed(digits)}%`;
}
