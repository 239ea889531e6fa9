// `tensile demo siamese`: a Siamese network (@tensile/models) trained with the contrastive
// loss on pairs of Fashion-MNIST images from 7 classes, then one-shot verification on the 3
// classes it never saw: pairs of test images from those classes, called "same class" when
// their embeddings are closer than a threshold chosen on training-class pairs.
import { flatten, memory, noGrad, tensor, tidy, type Tensor } from '@tensile/core';
import { FASHION_MNIST_CLASSES, loadFashionMnist, mulberry32, type TensorDataset } from '@tensile/data';
import { contrastiveLoss, pairwiseDistance, siameseNetwork, type SiameseNetwork } from '@tensile/models';
import { Adam } from '@tensile/optimizers';
import { UsageError, type Flags, type OptionsSpec } from '../args.js';
import { useBestBackend } from '../backend.js';
import { epochBar } from '../progress.js';
import type { Demo } from './index.js';
import { indicesByClass, samplePairs, type Pairs } from './pairs.js';
import { bestThreshold, verificationAccuracy } from './verification.js';

export const SIAMESE_DEFAULTS = {
  epochs: 2, batch: 64, pairs: 12800, heldOut: '7,8,9', testPairs: 2000, lr: 0.001, margin: 1, embeddingDim: 32, seed: 1,
} as const;

const OPTIONS = {
  epochs: { kind: 'count', meta: 'N', default: SIAMESE_DEFAULTS.epochs, help: 'training epochs' },
  pairs: { kind: 'count', meta: 'N', default: SIAMESE_DEFAULTS.pairs, help: 'training pairs per epoch (half similar, half dissimilar), drawn anew each epoch' },
  batch: { kind: 'count', meta: 'N', default: SIAMESE_DEFAULTS.batch, help: 'pairs per optimizer step' },
  'held-out': { kind: 'string', meta: 'LIST', default: SIAMESE_DEFAULTS.heldOut, help: 'comma-separated classes (0-9) kept out of training and verified on (7,8,9: Sneaker, Bag, Ankle boot)' },
  'test-pairs': { kind: 'count', meta: 'N', default: SIAMESE_DEFAULTS.testPairs, help: 'pairs to choose the threshold on (training classes) and to verify (held-out classes)' },
  lr: { kind: 'positive', meta: 'X', default: SIAMESE_DEFAULTS.lr, help: 'Adam learning rate' },
  margin: { kind: 'positive', meta: 'X', default: SIAMESE_DEFAULTS.margin, help: 'contrastive-loss margin: dissimilar pairs closer than this are pushed apart' },
  'embedding-dim': { kind: 'count', meta: 'N', default: SIAMESE_DEFAULTS.embeddingDim, help: 'length of the embedding' },
  seed: { kind: 'seed', meta: 'N', default: SIAMESE_DEFAULTS.seed, help: 'seeds the weights and the pairs' },
  backend: { kind: 'string', meta: 'NAME', defaultText: 'the highest-priority one that starts', help: 'compute backend: wasm or js' },
} as const satisfies OptionsSpec;

export interface SiameseDemoOptions {
  epochs?: number;
  pairs?: number;
  batch?: number;
  /** Classes kept out of training (default [7, 8, 9]). */
  heldOut?: readonly number[];
  testPairs?: number;
  lr?: number;
  margin?: number;
  embeddingDim?: number;
  seed?: number;
  backend?: string;
  /** Use only the first N training / test images (default: all). */
  trainSize?: number;
  testSize?: number;
  /** Draw a progress bar (default: when stdout is a TTY). */
  progress?: boolean;
  /** Where the lines go (default console.log). */
  log?: (line: string) => void;
}

export interface SiameseDemoResult {
  backend: string;
  /** Mean contrastive loss per epoch. */
  losses: number[];
  /** The threshold chosen on training-class pairs and its accuracy there. */
  threshold: number;
  trainAccuracy: number;
  /** Verification accuracy on pairs of held-out-class test images. */
  accuracy: number;
  /** The same protocol on raw pixels (Euclidean distance of the images): what the embedding adds. */
  pixelAccuracy: number;
  seconds: number;
}

/** Parses `--held-out` ('7,8,9'): distinct classes 0-9, at least 2 held out and at least 2 left to train on. */
export function parseHeldOut(text: string): number[] {
  const parts = text.split(',').map((s) => s.trim());
  const classes = parts.map(Number);
  if (parts.some((p) => !/^\d$/.test(p)) || new Set(classes).size !== classes.length || classes.length < 2 || classes.length > 8) {
    throw new UsageError(`option --held-out must be 2 to 8 distinct classes 0-9 separated by commas, got '${text}'`);
  }
  return classes;
}

/** Distances of the pairs, in eval mode and batches of 500, from `embed` or (null) from the raw pixels. */
async function distances(net: SiameseNetwork | null, images: TensorDataset<[Tensor, Tensor]>, pairs: Pairs): Promise<Float32Array> {
  const out = new Float32Array(pairs.first.length);
  for (let s = 0; s < out.length; s += 500) {
    const e = Math.min(out.length, s + 500);
    const d = noGrad(() => tidy(() => {
      const [x1] = images.getItems(pairs.first.subarray(s, e));
      const [x2] = images.getItems(pairs.second.subarray(s, e));
      return net ? net.call(x1!, x2!).distance : pairwiseDistance(flatten(x1!, 1), flatten(x2!, 1));
    }));
    out.set(await d.data(), s);
    d.dispose();
  }
  return out;
}

/**
 * Trains a Siamese network on pairs from the classes not held out, then measures one-shot
 * verification on pairs of held-out-class test images; frees everything it made.
 * @example const r = await siamese({ epochs: 1, pairs: 3200 }); // r.accuracy
 */
export async function siamese(opts: SiameseDemoOptions = {}): Promise<SiameseDemoResult> {
  const d = SIAMESE_DEFAULTS;
  const o = {
    epochs: opts.epochs ?? d.epochs, pairs: opts.pairs ?? d.pairs, batch: opts.batch ?? d.batch, heldOut: opts.heldOut ?? parseHeldOut(d.heldOut),
    testPairs: opts.testPairs ?? d.testPairs, lr: opts.lr ?? d.lr, margin: opts.margin ?? d.margin, embeddingDim: opts.embeddingDim ?? d.embeddingDim, seed: opts.seed ?? d.seed,
  };
  const log = opts.log ?? ((line: string) => console.log(line));
  const start = performance.now();
  const backend = await useBestBackend(opts.backend);
  const data = await loadFashionMnist({ trainSize: opts.trainSize, testSize: opts.testSize });
  const trainClasses = [...Array(10).keys()].filter((c) => !o.heldOut.includes(c));
  const names = (cs: readonly number[]): string => cs.map((c) => FASHION_MNIST_CLASSES[c]).join(', ');
  const net = siameseNetwork({ embeddingDim: o.embeddingDim, seed: o.seed });
  const opt = new Adam(net.parameters(), { lr: o.lr });
  try {
    const trainByClass = indicesByClass(await data.train.tensors[1].data(), trainClasses);
    const testByClass = indicesByClass(await data.test.tensors[1].data(), o.heldOut);
    for (const [cs, lists, where] of [[trainClasses, trainByClass, 'training'], [o.heldOut, testByClass, 'test']] as const) {
      const empty = cs.filter((_, i) => lists[i]!.length < 2);
      if (empty.length > 0) throw new UsageError(`the ${where} images hold fewer than 2 images of class${empty.length > 1 ? 'es' : ''} ${names(empty)}; use more images`);
    }
    const rand = mulberry32(o.seed);
    log(`backend: ${backend}`);
    log(`training classes: ${names(trainClasses)} (${trainByClass.reduce((s, l) => s + l.length, 0)} training images); ` +
      `held out: ${names(o.heldOut)} (${testByClass.reduce((s, l) => s + l.length, 0)} test images)`);
    log(`Siamese network, ${net.numParameters().toLocaleString('en-US')} parameters, ${o.embeddingDim}-d embedding; contrastive loss margin ${o.margin}, ` +
      `Adam lr ${o.lr}, ${o.pairs} pairs per epoch in batches of ${o.batch}, ${o.epochs} epoch${o.epochs === 1 ? '' : 's'}, seed ${o.seed}`);
    const losses: number[] = [];
    const steps = Math.ceil(o.pairs / o.batch);
    for (let e = 0; e < o.epochs; e++) {
      const t0 = performance.now();
      const bar = epochBar(`epoch ${e + 1}/${o.epochs}`, steps, opts.progress);
      net.train();
      let sum = 0, n = 0;
      for (let s = 0; s < steps; s++) {
        const p = samplePairs(trainByClass, Math.min(o.batch, o.pairs - s * o.batch), rand);
        const loss = tidy(() => {
          const [x1] = data.train.getItems(p.first);
          const [x2] = data.train.getItems(p.second);
          return contrastiveLoss(net.call(x1!, x2!).distance, tensor(p.dissimilar, [p.dissimilar.length]), { margin: o.margin });
        });
        loss.backward();
        opt.step();
        opt.zeroGrad();
        sum += (await loss.data())[0]! * p.first.length;
        n += p.first.length;
        loss.dispose();
        bar.update(s + 1, sum / n);
      }
      bar.stop();
      losses.push(sum / n);
      log(`epoch ${e + 1}/${o.epochs}  contrastive loss ${(sum / n).toFixed(4)}  ${((performance.now() - t0) / 1000).toFixed(1)}s  tensors ${memory().tensors}`);
    }
    net.eval();
    // The threshold comes from pairs of the training classes; the held-out pairs only test it.
    const fit = samplePairs(trainByClass, o.testPairs, rand), test = samplePairs(testByClass, o.testPairs, rand);
    const chosen = bestThreshold(await distances(net, data.train, fit), fit.dissimilar);
    const accuracy = verificationAccuracy(await distances(net, data.test, test), test.dissimilar, chosen.threshold);
    const pixels = bestThreshold(await distances(null, data.train, fit), fit.dissimilar);
    const pixelAccuracy = verificationAccuracy(await distances(null, data.test, test), test.dissimilar, pixels.threshold);
    log(`threshold ${chosen.threshold.toFixed(4)} chosen on ${o.testPairs} training-class pairs (accuracy there ${pct(chosen.accuracy)})`);
    log(`one-shot verification on the held-out classes (${names(o.heldOut)}): ${o.testPairs} test pairs, half of one class, accuracy ${pct(accuracy)} (chance 50%)`);
    log(`raw-pixel distance, threshold chosen the same way: accuracy ${pct(pixelAccuracy)}`);
    return { backend, losses, threshold: chosen.threshold, trainAccuracy: chosen.accuracy, accuracy, pixelAccuracy, seconds: (performance.now() - start) / 1000 };
  } finally {
    net.dispose();
    opt.dispose();
    data.train.dispose();
    data.test.dispose();
  }
}

function pct(v: number): string {
  return `${(v * 100).toFixed(2)}%`;
}

/** `tensile demo siamese`. */
export const siameseDemo: Demo<typeof OPTIONS> = {
  name: 'siamese',
  summary: 'train a Siamese network on pairs from 7 Fashion-MNIST classes and report one-shot verification accuracy on the 3 held-out classes',
  options: OPTIONS,
  run: async (f: Flags<typeof OPTIONS>) => {
    const r = await siamese({
      epochs: f.epochs, pairs: f.pairs, batch: f.batch, heldOut: parseHeldOut(f['held-out']), testPairs: f['test-pairs'], lr: f.lr, margin: f.margin,
      embeddingDim: f['embedding-dim'], seed: f.seed, backend: f.backend,
    });
    console.log(`done in ${r.seconds.toFixed(1)}s`);
    return 0;
  },
};
