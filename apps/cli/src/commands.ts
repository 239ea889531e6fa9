// The `tensile` subcommands: their options and defaults (what `--help` shows and what is
// parsed come from this one table) and how each runs. Options are checked before a command's
// module loads, so a typo fails fast without loading the data or TensorFlow.js.
import { parseFlags, UsageError, type Command, type OptionsSpec } from './args.js';

export const DATASETS = ['fashion-mnist', 'mnist'] as const;
export type DatasetName = (typeof DATASETS)[number];

/**
 * Defaults of `tensile train` and of `train()`: LeNet-5 (BatchNorm) on Fashion-MNIST with Adam
 * under a one-cycle schedule, measured at 89.1% test accuracy in 8 min 46 s on 2 cores
 * with backend-js (apps/cli/README.md has the measurements).
 */
export const TRAIN_DEFAULTS = {
  model: 'lenet5', dataset: 'fashion-mnist', epochs: 2, batchSize: 64, lr: 0.002, seed: 1, logEvery: 10,
} as const;

export const TRAIN_OPTIONS = {
  model: { kind: 'string', meta: 'NAME', default: TRAIN_DEFAULTS.model, choices: ['lenet5', 'mlp', 'mlp3'], help: 'lenet5 (LeNet-5 with BatchNorm), mlp (784-128-10) or mlp3 (784-256-128-100-10)' },
  dataset: { kind: 'string', meta: 'NAME', default: TRAIN_DEFAULTS.dataset, choices: DATASETS, help: 'fashion-mnist (60,000 + 10,000 images) or mnist (the 8,000 + 2,000 digits of the mnist package)' },
  epochs: { kind: 'count', meta: 'N', default: TRAIN_DEFAULTS.epochs, help: 'passes over the training images' },
  batch: { kind: 'count', meta: 'N', default: TRAIN_DEFAULTS.batchSize, help: 'images per optimizer step' },
  lr: { kind: 'positive', meta: 'X', default: TRAIN_DEFAULTS.lr, help: 'peak learning rate of Adam under a one-cycle schedule' },
  seed: { kind: 'seed', meta: 'N', default: TRAIN_DEFAULTS.seed, help: 'seeds the initial weights, the batch order and the shuffle of the MNIST split' },
  'train-size': { kind: 'count', meta: 'N', defaultText: 'all', help: 'train on the first N training images only' },
  'test-size': { kind: 'count', meta: 'N', defaultText: 'all', help: 'test on the first N test images only' },
  'log-every': { kind: 'count', meta: 'N', default: TRAIN_DEFAULTS.logEvery, help: 'steps between reads of the loss, which update the progress bar' },
  backend: { kind: 'string', meta: 'NAME', defaultText: 'the highest-priority one that starts', help: 'compute backend: wasm or js' },
  out: { kind: 'string', meta: 'FILE', defaultText: '<model>-<dataset>.safetensors in the current directory', help: 'where to save the trained weights (safetensors)' },
} as const satisfies OptionsSpec;

export const BENCH_OPTIONS = {
  suite: { kind: 'string', meta: 'NAME', default: 'all', choices: ['all', 'js', 'wasm', 'webgpu'], help: 'js (backend-js vs tfjs cpu), wasm (backend-wasm vs tfjs-backend-wasm), webgpu (backend-webgpu vs tfjs-backend-webgpu) or all' },
  filter: { kind: 'string', meta: 'TEXT', defaultText: 'every workload', help: 'only workloads whose label contains TEXT (any case)' },
} as const satisfies OptionsSpec;

export const SUMMARY_OPTIONS = {
  input: { kind: 'string', meta: 'N,C,H,W', defaultText: "the model's native input with batch 1 (1,3,224,224 for the vision models, 1,1,28,28 for lenet5 and mlp)", help: 'input shape, batch first' },
  classes: { kind: 'count', meta: 'N', defaultText: '1000 for the vision models, 10 for lenet5 and mlp', help: 'output classes of the model' },
  backend: { kind: 'string', meta: 'NAME', defaultText: 'the highest-priority one that starts', help: 'compute backend of the forward pass: wasm or js' },
} as const satisfies OptionsSpec;

export const COMMANDS: readonly Command[] = [
  {
    name: 'train',
    summary: 'train LeNet-5 (or an MLP) on Fashion-MNIST (or MNIST) with fit(), report the test accuracy and save the weights as safetensors',
    options: TRAIN_OPTIONS,
    run: async (argv) => {
      const flags = parseFlags(argv, TRAIN_OPTIONS, 'train');
      return (await import('./train.js')).trainCommand(flags);
    },
  },
  {
    name: 'bench',
    summary: "time workloads on Tensile's backend-js and backend-wasm against TensorFlow.js's CPU and WASM backends",
    options: BENCH_OPTIONS,
    run: async (argv) => {
      const flags = parseFlags(argv, BENCH_OPTIONS, 'bench');
      return (await import('./bench.js')).benchCommand(flags);
    },
  },
  {
    name: 'demo',
    summary: "run a demonstration of the model zoo: 'tensile demo --help' lists them (dcgan, siamese, ...)",
    options: {},
    help: async (argv) => (await import('./demos/index.js')).demoHelp(argv),
    run: async (argv) => (await import('./demos/index.js')).runDemo(argv),
  },
  {
    name: 'summary',
    args: '<model>',
    summary: 'print a model\'s layers with output shapes, parameters, activation bytes, MACs and receptive fields (models: lenet5, lenet5-modern, mlp, alexnet, vgg11, vgg11-bn, vgg16, vgg16-bn, googlenet, resnet18, resnet34, resnet50)',
    options: SUMMARY_OPTIONS,
    run: async (argv) => {
      const [model, ...rest] = argv;
      if (model === undefined || model.startsWith('-')) throw new UsageError("summary needs a model name first, e.g. 'tensile summary resnet18'; see 'tensile summary --help'");
      const flags = parseFlags(rest, SUMMARY_OPTIONS, 'summary');
      return (await import('./summary.js')).summaryCommand({ model, ...flags });
    },
  },
];
