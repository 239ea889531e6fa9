// Module.setSubmodule: replacing a submodule by dotted path (a new classifier head), with the
// parent's field, the state-dict order, disposal of what is no longer used, and bad paths.
import { ArgumentError, DisposedError, Tensor, dispose, memory, ones, tensor } from '@tensile/core';
import { describe, expect, it } from 'vitest';
import { Linear, Module, ReLU, Sequential } from '../src/index.js';
import { useJs } from './helpers.js';

useJs();

/** A model whose forward reads its head from a field, as zoo models do (`this.fc`). */
class Net extends Module {
  readonly body = this.module('body', new Sequential(new Linear(3, 4, { seed: 1 }), new ReLU(), new Linear(4, 4, { seed: 2 })));
  readonly fc = this.module('fc', new Linear(4, 2, { seed: 3 }));
  forward(x: Tensor): Tensor {
    return this.fc.call(this.body.call(x));
  }
}

describe('Module.setSubmodule', () => {
  it.each([
    ['a field of the model', 'fc', ['body.0.weight', 'body.0.bias', 'body.2.weight', 'body.2.bias', 'fc.weight', 'fc.bias']],
    ['an entry of a Sequential', 'body.2', ['body.0.weight', 'body.0.bias', 'body.2.weight', 'body.2.bias', 'fc.weight', 'fc.bias']],
  ])('replaces %s in place: same state-dict position, forward uses the new module', (_what, path, keys) => {
    const before = memory().tensors;
    const net = new Net();
    const old = net.getSubmodule(path) as Linear;
    const fresh = new Linear(4, path === 'fc' ? 2 : 4, { seed: 9 });
    expect(net.setSubmodule(path, fresh)).toBe(fresh);
    expect(net.getSubmodule(path)).toBe(fresh);
    expect(Object.keys(net.namedParameters().reduce((o, [k]) => ({ ...o, [k]: 1 }), {}))).toEqual(keys);
    expect(net.getParameter(`${path}.weight`)).toBe(fresh.weight);
    if (path === 'fc') expect(net.fc).toBe(fresh); // the field follows, so forward sees the new head
    expect(old.isDisposed).toBe(true);
    expect(old.weight.isDisposed).toBe(true);
    // Forward runs with the new weights: zero them and the output is the new bias alone.
    const values = { weight: tensor(new Float32Array(fresh.weight.size), fresh.weight.shape), bias: ones(fresh.bias!.shape) };
    fresh.loadStateDict(values);
    dispose(values);
    if (path === 'fc') {
      const x = tensor([[1, 2, 3]]);
      const y = net.call(x);
      expect(Array.from(y.dataSync())).toEqual([1, 1]);
      dispose([x, y]);
    }
    net.dispose();
    expect(memory().tensors).toBe(before);
  });

  it('keeps the old module alive with disposeOld: false, and it can be put back', () => {
    const net = new Net();
    const old = net.fc;
    const head = net.setSubmodule('fc', new Linear(4, 5), { disposeOld: false });
    expect(old.isDisposed).toBe(false);
    expect(net.fc).toBe(head);
    net.setSubmodule('fc', old); // disposes `head`
    expect(head.isDisposed).toBe(true);
    expect(net.fc).toBe(old);
    net.dispose();
  });

  it('does not dispose a module or a weight the model still uses elsewhere', () => {
    const shared = new Linear(4, 4, { seed: 5 });
    const net = new Net();
    net.setSubmodule('body.2', shared);
    const tied = new Linear(4, 2);
    const own = tied.weight;
    tied.param('weight', net.fc.weight); // ties the head's weight
    own.dispose();
    const head = net.fc;
    net.setSubmodule('body.0', new Sequential(new Linear(3, 4), tied));
    net.setSubmodule('fc', shared, { disposeOld: true }); // `shared` now sits twice
    expect(head.isDisposed).toBe(true);
    expect(head.weight.isDisposed).toBe(false); // still tied into body.0.1
    expect(head.bias!.isDisposed).toBe(true);
    expect(shared.isDisposed).toBe(false);
    net.setSubmodule('body.2', new Linear(4, 4)); // shared leaves body.2 but stays as fc
    expect(shared.isDisposed).toBe(false);
    expect(shared.weight.isDisposed).toBe(false);
    net.dispose();
  });

  it.each([
    ['an empty path', '', () => new Linear(4, 2), ArgumentError, /setSubmodule: the path must be a non-empty dotted name/],
    ['a missing leaf', 'head', () => new Linear(4, 2), ArgumentError, /setSubmodule: 'head': Net has no submodule 'head'/],
    ['a missing parent', 'neck.fc', () => new Linear(4, 2), ArgumentError, /'neck.fc': Net has no submodule 'neck'/],
    ['a non-module', 'fc', () => ({}) as unknown as Linear, ArgumentError, /setSubmodule: 'fc' must be replaced by a Module, got/],
  ] as const)('rejects %s with a typed error naming the path', (_what, path, make, Err, message) => {
    const net = new Net();
    expect(() => net.setSubmodule(path, make())).toThrow(Err);
    expect(() => net.setSubmodule(path, make())).toThrow(message);
    expect(net.fc.isDisposed).toBe(false);
    net.dispose();
  });

  it('rejects a module that contains the model (a cycle), and a bad disposeOld', () => {
    const net = new Net();
    const wrapper = new Sequential(net);
    expect(() => net.setSubmodule('fc', wrapper)).toThrow(/contains this model \(a cycle\)/);
    expect(() => net.setSubmodule('fc', new Linear(4, 2), { disposeOld: 'yes' as unknown as boolean })).toThrow(ArgumentError);
    net.dispose();
  });

  it('a disposed old module refuses to run', () => {
    const net = new Net();
    const old = net.fc;
    net.setSubmodule('fc', new Linear(4, 2));
    expect(() => old.call(tensor([[1, 2, 3, 4]]))).toThrow(DisposedError);
    net.dispose();
  });
});
