// The options every vision model shares (numClasses, inChannels, seed, dropout), checked once.
import { ArgumentError, full, type Tensor } from '@tensile/core';
import { deriveSeed, type ParamInit } from '@tensile/layers';

export interface VisionConfig {
  /** Output classes (default 1000, ImageNet's). */
  numClasses?: number;
  /** Input channels (default 3; 1 for grayscale such as MNIST). */
  inChannels?: number;
  /** Philox seed of every initial weight and dropout mask (default: the global stream). */
  seed?: number;
  /**
   * Fill weights with zeros instead of drawing random ones (PyTorch's skip_init), for a model
   * whose weights are loaded next: drawing VGG-16's 138M random numbers costs seconds (default false).
   */
  skipInit?: boolean;
}

/** Makes a parameter's initial values for its shape from a Philox seed option. */
export type SeededInit = (shape: number[], seed: { seed?: number }) => Tensor;

/** Initialisation options of a Linear or Conv2d. */
export interface ParamOptions {
  seed?: number;
  weightInit?: ParamInit;
  biasInit?: ParamInit;
}

/** What `visionConfig` returns: the checked values and a source of per-layer seeds. */
export interface CheckedVisionConfig {
  numClasses: number;
  inChannels: number;
  /** The `{ seed }` option of the next layer or initializer: stream 1, 2, ... of the model's seed, or none. */
  nextSeed: () => { seed?: number };
  /**
   * A Linear's or Conv2d's initialisation options: `weight`/`bias` where given, PyTorch's
   * default otherwise, zeros under skipInit; each draw on its own seed stream.
   */
  paramOptions: (weight?: SeededInit, bias?: SeededInit) => ParamOptions;
}

/** A positive integer option or its default, with an error naming the model and the option. */
export function checkPositiveInt(model: string, value: unknown, name: string, fallback: number): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new ArgumentError(`${model}: ${name} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return v;
}

/** A probability option in [0, 1) or its default. */
export function checkProbability(model: string, value: unknown, name: string, fallback: number): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !(v >= 0 && v < 1)) {
    throw new ArgumentError(`${model}: ${name} must be a probability in [0, 1), got ${JSON.stringify(value)}`);
  }
  return v;
}

/**
 * Checks the shared options and hands out per-layer seeds, so one seed makes a whole model
 * reproducible while each layer draws from its own stream.
 * @example const { numClasses, nextSeed } = visionConfig('resnet18', { numClasses: 10, seed: 0 });
 */
export function visionConfig(model: string, config: VisionConfig): CheckedVisionConfig {
  if (typeof config !== 'object' || config === null) throw new ArgumentError(`${model}: the config must be an object, got ${JSON.stringify(config)}`);
  const numClasses = checkPositiveInt(model, config.numClasses, 'numClasses', 1000);
  const inChannels = checkPositiveInt(model, config.inChannels, 'inChannels', 3);
  const seed = config.seed;
  if (seed !== undefined && (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0)) {
    throw new ArgumentError(`${model}: seed must be a non-negative safe integer, got ${JSON.stringify(seed)}`);
  }
  if (config.skipInit !== undefined && typeof config.skipInit !== 'boolean') {
    throw new ArgumentError(`${model}: skipInit must be a boolean, got ${JSON.stringify(config.skipInit)}`);
  }
  const skipInit = config.skipInit ?? false;
  let stream = 0;
  const nextSeed = (): { seed?: number } => (seed === undefined ? {} : { seed: deriveSeed(seed, ++stream) });
  const zeros: ParamInit = (shape) => full(shape, 0);
  const paramOptions = (weight?: SeededInit, bias?: SeededInit): ParamOptions => {
    if (skipInit) return { weightInit: zeros, biasInit: zeros };
    const out: ParamOptions = nextSeed();
    if (weight) {
      const s = nextSeed();
      out.weightInit = (shape) => weight(shape, s);
    }
    if (bias) {
      const s = nextSeed();
      out.biasInit = (shape) => bias(shape, s);
    }
    return out;
  };
  return { numClasses, inChannels, nextSeed, paramOptions };
}
