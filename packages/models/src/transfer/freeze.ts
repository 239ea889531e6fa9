// Freezing and unfreezing parts of a model for fine-tuning.
import { ArgumentError } from '@tensile/core';
import { BatchNorm, Module, type AnyModule } from '@tensile/layers';
import { describeValue } from './describe_value.js';

export interface FreezeOptions {
  /**
   * What happens to BatchNorm layers inside the frozen part (default 'keep'):
   * - 'keep' (PyTorch's requires_grad_(False)): only the parameters freeze; in training mode
   *   BatchNorm still normalises with batch statistics and updates its running statistics.
   * - 'eval' (Keras' `trainable = false` on BatchNormalization): they also run in evaluation
   *   mode, with their running statistics left as they are, even when `train()` is called on the
   *   model, until `unfreeze`.
   */
  batchNorm?: 'keep' | 'eval';
}

/** The mode a BatchNorm pinned to eval by `freeze` would have now, by layer. */
const pinned = new WeakMap<AnyModule, { mode: boolean }>();

/**
 * Freezes every parameter of `module` (requiresGrad false: no gradient is recorded for them and
 * optimizers skip them) and returns the module.
 * @example freeze(model.features); // fine-tune only model.classifier
 */
export function freeze<M extends AnyModule>(module: M, options: FreezeOptions = {}): M {
  const batchNorm = checkOptions('freeze', module, options);
  module.requiresGrad_(false);
  if (batchNorm === 'eval') {
    for (const m of module.modules()) if (m instanceof BatchNorm) pinEval(m);
  }
  return module;
}

/**
 * Makes every parameter of `module` trainable again (requiresGrad true), releases BatchNorm
 * layers that `freeze(…, { batchNorm: 'eval' })` pinned to evaluation mode (they take `module`'s
 * training mode), and returns the module.
 * @example unfreeze(model.features); // then fine-tune everything, e.g. with a lower features lr
 */
export function unfreeze<M extends AnyModule>(module: M): M {
  checkOptions('unfreeze', module, {});
  module.requiresGrad_(true);
  // A released BatchNorm takes `module`'s mode: train()/eval() set every descendant alike, and a
  // mode the pinned layer merely remembered can be stale (fit() restores each module's mode as it
  // read it, and a pinned layer reads false).
  const mode = pinned.get(module)?.mode ?? module.training;
  for (const m of module.modules()) if (m instanceof BatchNorm) unpin(m, mode);
  return module;
}

/**
 * Whether `module` has parameters and all of them are frozen.
 * @example isFrozen(freeze(model.features)) // true
 */
export function isFrozen(module: AnyModule): boolean {
  checkOptions('isFrozen', module, {});
  const ps = module.parameters();
  return ps.length > 0 && ps.every((p) => !p.requiresGrad);
}

/** `training` reads false and remembers what train()/eval() set (the mode of a pinned root). */
function pinEval(bn: AnyModule): void {
  if (pinned.has(bn)) return;
  const state = { mode: bn.training };
  pinned.set(bn, state);
  Object.defineProperty(bn, 'training', {
    configurable: true,
    enumerable: true,
    get: () => false,
    set: (v: boolean) => { state.mode = v; },
  });
}

function unpin(bn: AnyModule, mode: boolean): void {
  if (!pinned.delete(bn)) return;
  Object.defineProperty(bn, 'training', { configurable: true, enumerable: true, writable: true, value: mode });
}

function checkOptions(fn: string, module: unknown, options: unknown): 'keep' | 'eval' {
  if (!(module instanceof Module)) throw new ArgumentError(`${fn}: argument 'module' must be a Module, got ${describeValue(module)}`);
  if (typeof options !== 'object' || options === null) throw new ArgumentError(`${fn}: options must be an object, got ${describeValue(options)}`);
  for (const k of Object.keys(options)) if (k !== 'batchNorm') throw new ArgumentError(`${fn}: unknown option '${k}' (options: batchNorm)`);
  const bn = (options as FreezeOptions).batchNorm ?? 'keep';
  if (bn !== 'keep' && bn !== 'eval') throw new ArgumentError(`${fn}: batchNorm must be 'keep' or 'eval', got ${describeValue(bn)}`);
  return bn;
}

