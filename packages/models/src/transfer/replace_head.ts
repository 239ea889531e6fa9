// Replacing a model's classifier head, e.g. for a new set of classes.
import { ArgumentError } from '@tensile/core';
import { Linear, Module, type AnyModule } from '@tensile/layers';
import { describeValue } from './describe_value.js';

export interface NewHeadConfig {
  /** Classes of the new task: the new head is a Linear from the old head's inputs to these. */
  numClasses: number;
  /** Philox seed of the new head's initial weights (default: the global stream). */
  seed?: number;
}

export interface ReplaceHeadOptions {
  /** Dispose the old head's parameters (default true; those still used elsewhere are kept). */
  disposeOld?: boolean;
}

/**
 * Replaces the head at `path` (a dotted submodule path, e.g. 'classifier.4' of LeNet-5 or 'fc'
 * of a ResNet) with `head`, or with a fresh Linear from the old head's `inFeatures` to
 * `numClasses` (the old head must then be a Linear); returns the new head.
 * @example const head = replaceHead(model, 'classifier.4', { numClasses: 10, seed: 0 }); // Linear(84, 10)
 */
export function replaceHead<M extends AnyModule>(model: AnyModule, path: string, head: M | NewHeadConfig, options: ReplaceHeadOptions = {}): M | Linear {
  const fn = 'replaceHead';
  if (!(model instanceof Module)) throw new ArgumentError(`${fn}: argument 'model' must be a Module, got ${describeValue(model)}`);
  if (typeof path !== 'string' || path === '') throw new ArgumentError(`${fn}: argument 'path' must be a dotted submodule path such as 'classifier.4', got ${describeValue(path)}`);
  const paths = model.namedModules().map(([n]) => n).filter((n) => n !== '');
  if (!paths.includes(path)) {
    throw new ArgumentError(`${fn}: ${model.constructor.name} has no submodule '${path}' (its last ones: ${paths.slice(-3).join(', ')})`);
  }
  if (typeof options !== 'object' || options === null) throw new ArgumentError(`${fn}: options must be an object, got ${describeValue(options)}`);
  const fresh = head instanceof Module ? head : newLinearHead(fn, model.getSubmodule(path), path, head);
  return model.setSubmodule(path, fresh, { disposeOld: options.disposeOld ?? true });
}

function newLinearHead(fn: string, old: AnyModule, path: string, config: NewHeadConfig): Linear {
  if (typeof config !== 'object' || config === null) {
    throw new ArgumentError(`${fn}: argument 'head' must be a Module or { numClasses, seed? }, got ${describeValue(config)}`);
  }
  const { numClasses, seed } = config;
  if (!Number.isInteger(numClasses) || numClasses < 1) throw new ArgumentError(`${fn}: numClasses must be a positive integer, got ${describeValue(numClasses)}`);
  if (!(old instanceof Linear)) {
    throw new ArgumentError(`${fn}: '${path}' is a ${old.constructor.name}, not a Linear: pass the new head as a Module instead of { numClasses }`);
  }
  return new Linear(old.inFeatures, numClasses, { bias: old.bias !== null, ...(seed === undefined ? {} : { seed }) });
}
