// Discriminative learning rates: a model's trainable parameters split into optimizer parameter
// groups by name prefix (e.g. a small lr for pretrained features, a larger one for a new head).
import { ArgumentError, type Variable } from '@tensile/core';
import { Module, type AnyModule } from '@tensile/layers';
import { describeValue } from './describe_value.js';

/** One group to make: the parameters under `prefix`, and the optimizer options they get. */
export type PrefixGroup = { prefix: string } & Record<string, unknown>;

/** A parameter group an optimizer takes: the spec's options (without `prefix`) and its parameters. */
export type PrefixedParamGroup<G extends PrefixGroup> = Omit<G, 'prefix'> & { params: Variable[] };

export interface ParamGroupsOptions {
  /**
   * Trainable parameters under no prefix (default 'error'): 'error' throws and names them,
   * 'defaults' adds a last group `{ params }` that gets the optimizer's default options,
   * 'skip' leaves them out (the optimizer never changes them).
   */
  rest?: 'error' | 'defaults' | 'skip';
}

/**
 * Splits `model`'s trainable parameters (frozen ones are skipped) into parameter groups by
 * dotted name prefix: 'features' holds 'features.0.weight' but not 'featuresX.weight'. A
 * parameter under two prefixes, and a prefix with no trainable parameter, are errors.
 * @example new Adam(paramGroups(model, [{ prefix: 'features', lr: 1e-4 }, { prefix: 'classifier', lr: 1e-3 }]), { lr: 1e-3 })
 */
export function paramGroups<G extends PrefixGroup>(model: AnyModule, groups: readonly G[], options: ParamGroupsOptions = {}): PrefixedParamGroup<G>[] {
  const fn = 'paramGroups';
  if (!(model instanceof Module)) throw new ArgumentError(`${fn}: argument 'model' must be a Module, got ${describeValue(model)}`);
  if (!Array.isArray(groups) || groups.length === 0) throw new ArgumentError(`${fn}: argument 'groups' must be a non-empty array of { prefix, ...options }, got ${describeValue(groups)}`);
  if (typeof options !== 'object' || options === null) throw new ArgumentError(`${fn}: options must be an object, got ${describeValue(options)}`);
  const rest = options.rest ?? 'error';
  if (!['error', 'defaults', 'skip'].includes(rest)) throw new ArgumentError(`${fn}: rest must be 'error', 'defaults' or 'skip', got ${describeValue(rest)}`);
  groups.forEach((g, i) => {
    if (typeof g !== 'object' || g === null || typeof g.prefix !== 'string') {
      throw new ArgumentError(`${fn}: groups[${i}] must be an object with a string 'prefix', got ${describeValue(g)}`);
    }
    if ('params' in g) throw new ArgumentError(`${fn}: groups[${i}] ('${g.prefix}') must not give 'params': they are found by prefix`);
  });
  const under = (name: string, prefix: string) => prefix === '' || name === prefix || name.startsWith(`${prefix}.`);
  const named = model.namedParameters();
  const trainable = named.filter(([, p]) => p.requiresGrad);
  const owner = new Map<string, number>();
  const out = groups.map((g, i) => {
    const mine = trainable.filter(([name]) => under(name, g.prefix));
    if (mine.length === 0) {
      const frozen = named.some(([name]) => under(name, g.prefix));
      throw new ArgumentError(`${fn}: groups[${i}] prefix '${g.prefix}' matches ${frozen ? 'only frozen parameters' : 'no parameter'} of ${model.constructor.name}`);
    }
    for (const [name] of mine) {
      const j = owner.get(name);
      if (j !== undefined) throw new ArgumentError(`${fn}: parameter '${name}' is under both groups[${j}] ('${groups[j]!.prefix}') and groups[${i}] ('${g.prefix}')`);
      owner.set(name, i);
    }
    const { prefix: _prefix, ...opts } = g;
    return { ...opts, params: mine.map(([, p]) => p) } as unknown as PrefixedParamGroup<G>;
  });
  const left = trainable.filter(([name]) => !owner.has(name));
  if (left.length > 0 && rest === 'error') {
    const names = left.map(([n]) => n);
    throw new ArgumentError(`${fn}: ${left.length} trainable parameter(s) under no prefix: ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', ...' : ''} (add a group, freeze them, or pass { rest: 'defaults' | 'skip' })`);
  }
  if (left.length > 0 && rest === 'defaults') out.push({ params: left.map(([, p]) => p) } as unknown as PrefixedParamGroup<G>);
  return out;
}
