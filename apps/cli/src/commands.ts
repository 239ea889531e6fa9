// The `tensile` subcommands: their options and defaults (what `--help` shows and what is
// parsed come from this one table) and how each runs. Options are checked before a command's
// module loads, so a typo fails fast without loading TensorFlow.js.
import { parseFlags, type Command, type OptionsSpec } from './args.js';

/** Defaults of `tensile train` and of `train()`. */
export const TRAIN_DEFAULTS = { epochs: 6, batchSize: 64, lr: 0.3, seed: 1, hidden: 128, logEvery: 10 } as const;

export const TRAIN_OPTIONS = {
  epochs: { kind: 'count', meta: 'N', default: TRAIN_DEFAULTS.epochs, help: 'passes over the training images' },
  batch: { kind: 'count', meta: 'N', default: TRAIN_DEFAULTS.batchSize, help: 'images per SGD step' },
  lr: { kind: 'positive', meta: 'X', default: TRAIN_DEFAULTS.lr, help: 'SGD learning rate' },
  seed: { kind: 'seed', meta: 'N', default: TRAIN_DEFAULTS.seed, help: 'seeds the data split, the initial weights and the batch order' },
  'log-every': { kind: 'count', meta: 'N', default: TRAIN_DEFAULTS.logEvery, help: 'steps between reads of the loss, which update the progress bar' },
  backend: { kind: 'string', meta: 'NAME', defaultText: 'the highest-priority one that starts', help: 'compute backend' },
} as const satisfies OptionsSpec;

export const BENCH_OPTIONS = {
  filter: { kind: 'string', meta: 'TEXT', defaultText: 'every workload', help: 'only workloads whose label contains TEXT (any case)' },
} as const satisfies OptionsSpec;

export const COMMANDS: readonly Command[] = [
  {
    name: 'train',
    summary: `train a 784-${TRAIN_DEFAULTS.hidden}-10 MLP on the MNIST digits and report its test accuracy`,
    options: TRAIN_OPTIONS,
    run: async (argv) => {
      const flags = parseFlags(argv, TRAIN_OPTIONS, 'train');
      return (await import('./train.js')).trainCommand(flags);
    },
  },
  {
    name: 'bench',
    summary: "time workloads on Tensile's backend-js against TensorFlow.js's CPU backend",
    options: BENCH_OPTIONS,
    run: async (argv) => {
      const flags = parseFlags(argv, BENCH_OPTIONS, 'bench');
      return (await import('./bench.js')).benchCommand(flags);
    },
  },
];
