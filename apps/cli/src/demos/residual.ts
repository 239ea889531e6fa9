// `tensile demo residual`: a 20-layer plain CNN against the same depth with residual
// connections: the first layer's gradient norm and the loss of both over the same budget.
import { UsageError, type Flags, type OptionsSpec } from '../args.js';
import { useBestBackend } from '../backend.js';
import { asciiPlot } from './ascii_plot.js';
import type { Demo } from './index.js';
import { RESIDUAL_DEFAULTS, residualExperiment, type DepthRun, type ResidualConfig } from './residual_experiment.js';

const D = RESIDUAL_DEFAULTS;

export const RESIDUAL_OPTIONS = {
  depth: { kind: 'count', meta: 'N', default: D.depth, help: 'weighted layers, 6n + 2 (8, 14, 20, 32, ...)' },
  width: { kind: 'count', meta: 'N', default: D.width, help: 'channels of the first stage (the others have 2x and 4x)' },
  steps: { kind: 'count', meta: 'N', default: D.steps, help: 'SGD steps for each model' },
  batch: { kind: 'count', meta: 'N', default: D.batchSize, help: 'images per step' },
  lr: { kind: 'positive', meta: 'X', default: D.lr, help: 'SGD learning rate (momentum 0.9)' },
  'train-size': { kind: 'count', meta: 'N', default: D.trainSize, help: 'Fashion-MNIST training images the batches come from' },
  'test-size': { kind: 'count', meta: 'N', default: D.testSize, help: 'Fashion-MNIST test images both models are scored on' },
  'log-every': { kind: 'count', meta: 'N', default: 10, help: 'steps per row of the table (means over the rows\' steps)' },
  seed: { kind: 'seed', meta: 'N', default: D.seed, help: 'seeds the weights (the same for both models) and the batch order' },
  backend: { kind: 'string', meta: 'NAME', defaultText: 'the highest-priority one that starts', help: 'compute backend: wasm or js' },
} as const satisfies OptionsSpec;

/** The demo's report: the setting, a table of windowed means, the loss plot and the test accuracies. */
export function residualReport(config: ResidualConfig, every: number, backend: string, [plain, residual]: readonly [DepthRun, DepthRun]): string[] {
  const w = config.width;
  const windows = Math.ceil(plain.losses.length / every);
  const mean = (xs: readonly number[], i: number) => {
    const part = xs.slice(i * every, (i + 1) * every);
    return part.reduce((s, v) => s + v, 0) / part.length;
  };
  const cell = (v: number, width: number) => v.toFixed(3).padStart(width);
  const lines = [
    `plain vs residual: ${config.depth} layers (${config.depth - 1} 3x3 convolutions with BatchNorm and ReLU, then a Linear), widths ${w}-${2 * w}-${4 * w}, ${plain.parameters.toLocaleString('en-US')} parameters each`,
    `the same initial weights and batches: ${config.steps} steps of ${config.batchSize} Fashion-MNIST images each (SGD lr ${config.lr}, momentum 0.9), seed ${config.seed}, backend ${backend}`,
    '',
    `${'steps'.padEnd(9)} | ${'plain loss'.padStart(10)} | ${'residual loss'.padStart(13)} | ${'plain |grad W1|'.padStart(15)} | ${'residual |grad W1|'.padStart(18)}`,
  ];
  for (let i = 0; i < windows; i++) {
    const range = `${i * every}-${Math.min((i + 1) * every, plain.losses.length) - 1}`;
    lines.push(`${range.padEnd(9)} | ${cell(mean(plain.losses, i), 10)} | ${cell(mean(residual.losses, i), 13)} | ${cell(mean(plain.firstLayerGradNorms, i), 15)} | ${cell(mean(residual.firstLayerGradNorms, i), 18)}`);
  }
  // Trailing means over `every` steps: smooth enough to read, one point per step.
  const smooth = (xs: readonly number[]) => xs.map((_, i) => {
    const part = xs.slice(Math.max(0, i + 1 - every), i + 1);
    return part.reduce((s, v) => s + v, 0) / part.length;
  });
  lines.push('', `training loss by step (trailing means over ${every} steps):`);
  lines.push(...asciiPlot([{ label: 'plain', mark: 'p', values: smooth(plain.losses) }, { label: 'residual', mark: 'r', values: smooth(residual.losses) }], 10, 60));
  const pct = (a: number) => `${(100 * a).toFixed(1)}%`;
  lines.push('', `test accuracy on ${config.testSize.toLocaleString('en-US')} Fashion-MNIST test images: plain ${pct(plain.testAccuracy)}, residual ${pct(residual.testAccuracy)}`);
  return lines;
}

/** `tensile demo residual`. */
export const residualDemo: Demo<typeof RESIDUAL_OPTIONS> = {
  name: 'residual',
  summary: 'a 20-layer plain CNN against the same depth with residual connections: first-layer gradient norms, loss curves, test accuracy',
  options: RESIDUAL_OPTIONS,
  run: async (f: Flags<typeof RESIDUAL_OPTIONS>) => {
    const config: ResidualConfig = {
      depth: f.depth, width: f.width, steps: f.steps, batchSize: f.batch, lr: f.lr, trainSize: f['train-size'], testSize: f['test-size'], seed: f.seed,
    };
    if ((config.depth - 2) % 6 !== 0 || config.depth < 8) {
      throw new UsageError(`option --depth must be 6n + 2 (8, 14, 20, 32, ...), got ${config.depth}`);
    }
    const backend = await useBestBackend(f.backend);
    // A progress line on a terminal (each model trains for minutes at the defaults).
    const progress = process.stderr.isTTY
      ? (kind: string, step: number) => process.stderr.write(`\r${kind}: step ${step}/${config.steps}${step === config.steps ? '\n' : ''}`)
      : undefined;
    const runs = await residualExperiment(config, progress);
    for (const line of residualReport(config, f['log-every'], backend, runs)) console.log(line);
    return 0;
  },
};
