// `tensile demo transfer`: LeNet-5 pretrained on MNIST digits, fine-tuned on 500 Fashion-MNIST
// images with augmentation, against the same model trained from scratch on those images with
// the same budget; both scored on the 10,000 test images and compared with McNemar's test.
import { UsageError, type Flags, type OptionsSpec } from '../args.js';
import { useBestBackend } from '../backend.js';
import type { Demo } from './index.js';
import { TRANSFER_DEFAULTS, pretrainedLenet, transferExperiment, type FeaturesMode, type PretrainedInfo, type TransferConfig, type TransferRun } from './transfer_experiment.js';

const D = TRANSFER_DEFAULTS;

export const TRANSFER_OPTIONS = {
  epochs: { kind: 'count', meta: 'N', default: D.epochs, help: 'passes over the training images, the same for both models' },
  'train-size': { kind: 'count', meta: 'N', default: D.trainSize, help: 'Fashion-MNIST training images (the first N)' },
  'test-size': { kind: 'count', meta: 'N', default: D.testSize, help: 'Fashion-MNIST test images both models are scored on' },
  batch: { kind: 'count', meta: 'N', default: D.batchSize, help: 'images per Adam step' },
  lr: { kind: 'positive', meta: 'X', default: D.lr, help: "Adam's learning rate of the scratch model and of the fine-tuned classifier" },
  features: { kind: 'string', meta: 'MODE', default: D.features, choices: ['finetune', 'freeze'], help: 'finetune the pretrained features at lr x features-lr-scale, or freeze them' },
  'features-lr-scale': { kind: 'positive', meta: 'X', default: D.featuresLrScale, help: "the features' share of lr when fine-tuned (discriminative learning rates)" },
  seeds: { kind: 'count', meta: 'N', default: D.seeds.length, help: 'paired comparisons, with seeds 0 .. N-1' },
  backend: { kind: 'string', meta: 'NAME', defaultText: 'the highest-priority one that starts', help: 'compute backend: wasm or js' },
} as const satisfies OptionsSpec;

const pct = (a: number) => `${(100 * a).toFixed(2)}%`;

/** The header: where the pretrained weights come from and what the comparison is. */
export function transferHeader(config: TransferConfig, info: PretrainedInfo, backend: string): string[] {
  const features = config.features === 'freeze' ? 'features frozen' : `features at lr ${+(config.lr * config.featuresLrScale).toPrecision(3)}`;
  return [
    `pretrained: LeNet-5 (tanh, average pooling) trained on ${info.trainImages.toLocaleString('en-US')} MNIST digits, ${pct(info.testAccuracy)} on ${info.testImages.toLocaleString('en-US')} held-out digits (packages/models/weights/lenet5_mnist.safetensors)`,
    `fine-tuned: a new 10-class head, ${features}, head and classifier at lr ${config.lr} (Adam)`,
    `from scratch: the same LeNet-5, every layer at lr ${config.lr} (Adam)`,
    `both: ${config.epochs} epoch${config.epochs === 1 ? "" : "s"} over the first ${config.trainSize.toLocaleString('en-US')} Fashion-MNIST training images, batches of ${config.batchSize}, random 28x28 crops of the image padded by 2 and horizontal flips; backend ${backend}`,
    `scored on ${config.testSize.toLocaleString('en-US')} Fashion-MNIST test images; McNemar's exact test on the images exactly one model gets right`,
    '',
  ];
}

/** One seed's line. */
export function transferLine(run: TransferRun): string {
  const gap = 100 * (run.fineTuned - run.scratch);
  const { onlyA, onlyB, z, p } = run.test;
  return `seed ${run.seed}: fine-tuned ${pct(run.fineTuned)}, from scratch ${pct(run.scratch)}, gap ${gap >= 0 ? '+' : ''}${gap.toFixed(2)} points; ` +
    `right only when fine-tuned ${onlyA}, only from scratch ${onlyB}: z = ${z.toFixed(2)}, p = ${p.toExponential(2)}`;
}

/** `tensile demo transfer`. */
export const transferDemo: Demo<typeof TRANSFER_OPTIONS> = {
  name: 'transfer',
  summary: 'LeNet-5 pretrained on MNIST, fine-tuned on 500 Fashion-MNIST images, against the same model from scratch (McNemar test on 10,000 test images)',
  options: TRANSFER_OPTIONS,
  run: async (f: Flags<typeof TRANSFER_OPTIONS>) => {
    if (f['features-lr-scale'] > 1) throw new UsageError(`option --features-lr-scale must be at most 1, got '${f['features-lr-scale']}'`);
    const config: TransferConfig = {
      trainSize: f['train-size'], testSize: f['test-size'], epochs: f.epochs, batchSize: f.batch, lr: f.lr,
      features: f.features as FeaturesMode, featuresLrScale: f['features-lr-scale'], seeds: Array.from({ length: f.seeds }, (_, i) => i),
    };
    const backend = await useBestBackend(f.backend);
    for (const line of transferHeader(config, pretrainedLenet().info, backend)) console.log(line);
    await transferExperiment(config, (run) => console.log(transferLine(run)));
    return 0;
  },
};
