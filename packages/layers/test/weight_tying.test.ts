// Weight tying (two modules sharing one Parameter, as a language model's embedding and output
// layer) against PyTorch (fixtures/gen.py, `tied`): the shared weight is one parameter, the
// state dict lists it under both names, and its gradient is the sum over both uses.
import { dispose, tidy, type Tensor } from '@tensile/core';
import { describe, expect, it } from 'vitest';
import { Embedding, Linear, Module } from '../src/index.js';
import { crossEntropy } from '../src/functional.js';
import { golden as G } from './fixtures/golden.js';
import type { GT } from './fixtures/types.js';
import { T, expectClose, expectNoLeak, loadGolden, useJs, type Tol } from './helpers.js';

useJs();

// float32 both sides through a 2-layer net and a softmax: agreement ~1e-7 relative; margin 10x.
const TOL: Tol = { rtol: 1e-5, atol: 1e-6 };

/** torch: emb = Embedding(6, 4); proj = Linear(4, 4); dec = Linear(4, 6, bias=False); dec.weight = emb.weight. */
class TiedLM extends Module<[Tensor], Tensor> {
  readonly emb = this.module('emb', new Embedding(6, 4));
  readonly proj = this.module('proj', new Linear(4, 4));
  readonly dec = this.module('dec', new Linear(4, 6, { bias: false }));

  constructor() {
    super();
    this.dec.weight.dispose(); // replaced by the embedding's, as `dec.weight = emb.weight`
    this.dec.param('weight', this.emb.weight);
  }

  forward(idx: Tensor): Tensor {
    return this.dec.call(this.proj.call(this.emb.call(idx)).tanh());
  }
}

describe('weight tying against PyTorch', () => {
  it('an Embedding and a Linear sharing one weight: listed once, saved under both names, one summed gradient', () => expectNoLeak(() => {
    const g = G.tied;
    const m = new TiedLM();
    expect(m.namedParameters().map(([n]) => n)).toEqual(g.paramNames);
    expect(m.dec.weight).toBe(m.emb.weight);
    loadGolden(m, g.state);
    const sd = m.stateDict();
    expect(Object.keys(sd)).toEqual(Object.keys(g.state)); // emb.weight, proj.weight, proj.bias, dec.weight
    dispose(Object.values(sd));
    const idx = T(g.idx), target = T(g.target);
    const logits = m.call(idx);
    expectClose(logits, g.logits, TOL, 'logits');
    const loss = tidy(() => {
      const l = crossEntropy(logits.reshape([6, 6]), target.reshape([6]));
      l.backward();
      return l;
    });
    expect(Math.abs(loss.dataSync()[0]! - g.loss)).toBeLessThan(1e-5);
    for (const [name, grad] of Object.entries(g.grads as Record<string, GT>)) expectClose(m.getParameter(name).grad, grad, TOL, `d ${name}`);
    dispose([idx, target, logits, loss]);
    m.dispose();
  }));
});
