// RNN, LSTM, GRU, their cells and the functional cells against PyTorch (fixtures/gen_recurrent.py),
// with fixed weights loaded through loadStateDict under PyTorch's names; every case checks
// the output, the final states, the gradients w.r.t. the inputs, the initial states and every
// parameter, and that nothing leaks. Then defaults, initialisation and typed errors.
import { ArgumentError, DTypeError, ShapeError, Variable, dispose, memory, ones, tensor, tidy, zeros, type Tensor } from '@tensile/core';
import { describe, expect, it } from 'vitest';
import { GRU, GRUCell, LSTM, LSTMCell, RNN, RNNCell, type RecurrentOptions, type RNNOptions } from '../src/index.js';
import { gruCell, lstmCell, rnnCell } from '../src/functional.js';
import { goldenRecurrent as G } from './fixtures/golden_recurrent.js';
import type { GT } from './fixtures/types.js';
import { T, V, expectClose, expectNoLeak, loadGolden, useJs, values, type Tol } from './helpers.js';

useJs();

type Kind = 'rnn' | 'lstm' | 'gru';
const make = (kind: Kind, opts: RNNOptions): RNN | LSTM | GRU =>
  kind === 'rnn' ? new RNN(3, 4, opts) : kind === 'lstm' ? new LSTM(3, 4, opts) : new GRU(3, 4, opts);

// float32 both sides; errors accumulate over 5 time steps and 2 layers, and JS's tanh/exp
// differ from PyTorch's vectorised ones by an ulp: they agree to ~1e-6 relative today; 2x margin.
const TOL: Tol = { rtol: 2e-5, atol: 2e-6 };

/** Runs a golden case of a sequence layer: outputs, final states and all gradients. */
function checkSequence(kind: Kind, c: Record<string, any>): void {
  expectNoLeak(() => {
    const m = make(kind, c.opts as RecurrentOptions);
    expect(m.namedParameters().map(([n]) => n)).toEqual(Object.keys(c.state)); // PyTorch's names and order
    loadGolden(m, c.state);
    const x = V(c.x);
    const h0 = c.h0 ? V(c.h0) : null, c0 = c.c0 ? V(c.c0) : null;
    let y: Tensor, hn: Tensor, cn: Tensor | null = null;
    if (m instanceof LSTM) {
      [y, [hn, cn]] = m.call(x, h0 && c0 ? [h0, c0] : undefined);
    } else {
      [y, hn] = (m as RNN | GRU).call(x, h0);
    }
    expectClose(y, c.y, TOL, 'output');
    expectClose(hn, c.hn, TOL, 'h_n');
    if (cn) expectClose(cn, c.cn, TOL, 'c_n');
    tidy(() => {
      let loss = y.mul(T(c.dy)).sum().add(hn.mul(T(c.dhn)).sum());
      if (cn) loss = loss.add(cn.mul(T(c.dcn)).sum());
      loss.backward();
    });
    expectClose(x.grad, c.dx, TOL, 'd input');
    if (h0) expectClose(h0.grad, c.dh0, TOL, 'd h0');
    if (c0) expectClose(c0.grad, c.dc0, TOL, 'd c0');
    for (const [name, g] of Object.entries(c.grads as Record<string, GT>)) expectClose(m.getParameter(name).grad, g, TOL, `d ${name}`);
    dispose([x, h0, c0, y, hn, cn]);
    m.dispose();
  });
}

for (const kind of ['rnn', 'lstm', 'gru'] as const) {
  describe(`${kind.toUpperCase()} against PyTorch`, () => {
    for (const c of G[kind]) it(c.name, () => checkSequence(kind, c));
  });
}

describe('LSTM with projSize (proj_size) against PyTorch', () => {
  for (const c of G.lstmProj) it(c.name, () => checkSequence('lstm', c));
  it('rejects projSize on other layers and projSize >= hiddenSize', () => {
    expect(() => new GRU(3, 4, { projSize: 2 } as RecurrentOptions)).toThrow('GRU: projSize is only supported for LSTM');
    expect(() => new LSTM(3, 4, { projSize: 4 })).toThrow('LSTM: projSize (4) must be smaller than hiddenSize (4)');
    const m = new LSTM(3, 4, { projSize: 2 });
    expect(m.toString()).toBe('LSTM(3, 4, proj_size=2)');
    const x = tensor(new Float32Array(12), [2, 2, 3]), h = zeros([1, 2, 4]), c = zeros([1, 2, 4]);
    expect(() => m.call(x, [h, c])).toThrow('LSTM: h0 [1,2,4] must be [numLayers * numDirections, batch, projSize] = [1,2,2]');
    dispose([x, h, c]);
    m.dispose();
  });
});

/** A golden cell case through the cell module and through the functional form. */
function checkCell(kind: Kind, c: Record<string, any>, functional: boolean): void {
  expectNoLeak(() => {
    const opts = c.opts as { bias?: boolean; nonlinearity?: 'tanh' | 'relu' };
    const m = kind === 'rnn' ? new RNNCell(3, 4, opts) : kind === 'lstm' ? new LSTMCell(3, 4, opts) : new GRUCell(3, 4, opts);
    expect(m.namedParameters().map(([n]) => n)).toEqual(Object.keys(c.state));
    loadGolden(m, c.state);
    const x = V(c.x), h0 = V(c.h0), c0 = c.c0 ? V(c.c0) : null;
    const w = [m.weightIh, m.weightHh, m.biasIh, m.biasHh] as const;
    let h: Tensor, cc: Tensor | null = null;
    if (kind === 'lstm') {
      [h, cc] = functional ? lstmCell(x, [h0, c0!], ...w) : (m as LSTMCell).call(x, [h0, c0!]);
    } else if (kind === 'gru') {
      h = functional ? gruCell(x, h0, ...w) : (m as GRUCell).call(x, h0);
    } else {
      h = functional ? rnnCell(x, h0, ...w, { nonlinearity: opts.nonlinearity }) : (m as RNNCell).call(x, h0);
    }
    expectClose(h, c.h, TOL, 'h');
    if (cc) expectClose(cc, c.c, TOL, 'c');
    tidy(() => {
      let loss = h.mul(T(c.dh)).sum();
      if (cc) loss = loss.add(cc.mul(T(c.dc)).sum());
      loss.backward();
    });
    expectClose(x.grad, c.dx, TOL, 'd input');
    expectClose(h0.grad, c.dh0, TOL, 'd hx');
    if (c0) expectClose(c0.grad, c.dc0, TOL, 'd cx');
    for (const [name, g] of Object.entries(c.grads as Record<string, GT>)) expectClose(m.getParameter(name).grad, g, TOL, `d ${name}`);
    dispose([x, h0, c0, h, cc]);
    m.dispose();
  });
}

for (const [kind, key] of [['rnn', 'rnnCell'], ['lstm', 'lstmCell'], ['gru', 'gruCell']] as const) {
  describe(`${key} against PyTorch`, () => {
    for (const c of G[key]) {
      it(`${c.name} (module)`, () => checkCell(kind, c, false));
      it(`${c.name} (functional)`, () => checkCell(kind, c, true));
    }
  });
}

describe('recurrent layers: defaults, initialisation, states', () => {
  it("registers PyTorch's parameter names and shapes for 2 bidirectional LSTM layers", () => {
    const m = new LSTM(3, 5, { numLayers: 2, bidirectional: true });
    expect(m.namedParameters().map(([n, p]) => `${n} ${p.shape.join('x')}`)).toEqual([
      'weight_ih_l0 20x3', 'weight_hh_l0 20x5', 'bias_ih_l0 20', 'bias_hh_l0 20',
      'weight_ih_l0_reverse 20x3', 'weight_hh_l0_reverse 20x5', 'bias_ih_l0_reverse 20', 'bias_hh_l0_reverse 20',
      'weight_ih_l1 20x10', 'weight_hh_l1 20x5', 'bias_ih_l1 20', 'bias_hh_l1 20',
      'weight_ih_l1_reverse 20x10', 'weight_hh_l1_reverse 20x5', 'bias_ih_l1_reverse 20', 'bias_hh_l1_reverse 20',
    ]);
    expect(m.toString()).toBe('LSTM(3, 5, num_layers=2, bidirectional=true)');
    expect(new GRU(2, 3, { bias: false }).namedParameters().map(([n]) => n)).toEqual(['weight_ih_l0', 'weight_hh_l0']);
    const r = new RNN(2, 3, { nonlinearity: 'relu', batchFirst: true });
    expect(r.toString()).toBe('RNN(2, 3, nonlinearity=relu, batch_first=true)');
    expect(new GRUCell(2, 3).namedParameters().map(([n, p]) => `${n} ${p.shape.join('x')}`))
      .toEqual(['weight_ih 9x2', 'weight_hh 9x3', 'bias_ih 9', 'bias_hh 9']);
    m.dispose();
    r.dispose();
  });

  it('initialises every parameter U(-1/sqrt(hidden), 1/sqrt(hidden)), reproducibly with a seed', () => {
    const hidden = 64, bound = 1 / Math.sqrt(hidden);
    const a = new LSTM(32, hidden, { seed: 7 }), b = new LSTM(32, hidden, { seed: 7 }), c = new LSTM(32, hidden, { seed: 8 });
    for (const [name, p] of a.namedParameters()) {
      const v = values(p);
      expect(Math.max(...v), name).toBeLessThanOrEqual(bound);
      expect(Math.min(...v), name).toBeGreaterThanOrEqual(-bound);
      expect(Math.max(...v), name).toBeGreaterThan(0.95 * bound);
      expect(values(b.getParameter(name))).toEqual(v);
    }
    // Each parameter draws from its own stream, and another seed gives other values.
    expect(values(a.getParameter('bias_ih_l0'))).not.toEqual(values(a.getParameter('bias_hh_l0')));
    expect(values(c.getParameter('weight_ih_l0'))).not.toEqual(values(a.getParameter('weight_ih_l0')));
    const cell = new RNNCell(4, 16, { seed: 1 });
    expect(Math.max(...values(cell.weightHh).map(Math.abs))).toBeLessThanOrEqual(0.25);
    for (const m of [a, b, c, cell]) m.dispose();
  });

  it('absent initial states are zeros; feeding hN back continues the sequence', () => {
    expectNoLeak(() => {
      const m = new GRU(3, 4, { numLayers: 2, seed: 1 });
      const x = tidy(() => tensor(Array.from({ length: 6 * 2 * 3 }, (_, i) => Math.sin(i)), [6, 2, 3]));
      const [yAll, hAll] = m.call(x);
      const z = zeros([2, 2, 4]);
      const [yZ, hZ] = m.call(x, z);
      expect(values(yZ)).toEqual(values(yAll));
      const [first, second] = [x.slice([0, 0, 0], [3, 2, 3]), x.slice([3, 0, 0], [6, 2, 3])];
      const [y1, h1] = m.call(first);
      const [y2, h2] = m.call(second, h1);
      const tail = yAll.slice([3, 0, 0], [6, 2, 4]);
      expectClose(y2, values(tail), { atol: 1e-6 }, 'continued output');
      expectClose(h2, values(hAll), { atol: 1e-6 }, 'continued state');
      dispose([x, yAll, hAll, z, yZ, hZ, first, second, y1, h1, y2, h2, tail]);
      m.dispose();
    });
  });

  it('dropout between layers acts only in training, reproducibly with a seed', () => expectNoLeak(() => {
    const x = tidy(() => ones([4, 3, 2]).mul(0.5));
    const a = new LSTM(2, 8, { numLayers: 2, dropout: 0.5, seed: 3 }), b = new LSTM(2, 8, { numLayers: 2, dropout: 0.5, seed: 3 });
    const out = (m: LSTM): Tensor => {
      const [y, states] = m.call(x);
      dispose(states);
      return y;
    };
    const ya = out(a), yb = out(b), ya2 = out(a);
    expect(values(ya)).toEqual(values(yb)); // same seed, same masks
    expect(values(ya2)).not.toEqual(values(ya)); // a fresh mask per call
    a.eval();
    const e1 = out(a), e2 = out(a);
    expect(values(e1)).toEqual(values(e2));
    dispose([x, ya, yb, ya2, e1, e2]);
    a.dispose();
    b.dispose();
  }));
});

describe('recurrent layers: typed errors', () => {
  it('wrong input size, rank or dtype names the layer, the argument and the shapes', () => {
    const m = new LSTM(3, 4, { numLayers: 2 });
    const x = ones([5, 2, 6]);
    expect(() => m.call(x)).toThrow(ShapeError);
    expect(() => m.call(x)).toThrow('LSTM: input [5,2,6] must have inputSize = 3 in its last dim');
    const x4 = ones([1, 5, 2, 3]);
    expect(() => m.call(x4)).toThrow(/LSTM: input \[1,5,2,3\] must be \[seq, batch, inputSize\]/);
    const xi = tensor(new Int32Array(6), [1, 2, 3]);
    expect(() => m.call(xi)).toThrow(DTypeError);
    const g = new GRU(3, 4);
    const x0 = zeros([0, 2, 3]);
    expect(() => g.call(x0)).toThrow(/GRU: input \[0,2,3\] has no time steps/);
    dispose([x, x4, xi, x0]);
    m.dispose();
    g.dispose();
  });

  it('wrong h0 / c0 shapes name the expected [numLayers * numDirections, batch, hiddenSize]', () => {
    const m = new LSTM(3, 4, { numLayers: 2, bidirectional: true });
    const x = ones([5, 2, 3]);
    const h = zeros([2, 2, 4]), good = zeros([4, 2, 4]);
    expect(() => m.call(x, [h, good])).toThrow(ShapeError);
    expect(() => m.call(x, [h, good])).toThrow('LSTM: h0 [2,2,4] must be [numLayers * numDirections, batch, hiddenSize] = [4,2,4] for input [5,2,3]');
    expect(() => m.call(x, [good, h])).toThrow(/LSTM: c0 \[2,2,4\] must be/);
    expect(() => m.call(x, [good] as unknown as [Tensor, Tensor])).toThrow(ArgumentError);
    const r = new RNN(3, 4, { batchFirst: true });
    const hb = zeros([1, 2, 4]); // batchFirst: x [5,2,3] is a batch of 5
    expect(() => r.call(x, hb)).toThrow('RNN: h0 [1,2,4] must be [numLayers * numDirections, batch, hiddenSize] = [1,5,4] for input [5,2,3]');
    const hu = zeros([1, 2, 4]), xu = ones([5, 3]);
    expect(() => r.call(xu, hu)).toThrow('RNN: h0 [1,2,4] must be [numLayers * numDirections, hiddenSize] (unbatched input) = [1,4] for input [5,3]');
    dispose([x, h, good, hb, hu, xu]);
    m.dispose();
    r.dispose();
  });

  it('bad options and bad cell arguments', () => {
    expect(() => new RNN(3, 4, { nonlinearity: 'sigmoid' as 'tanh' })).toThrow(ArgumentError);
    expect(() => new LSTM(3, 0)).toThrow(/LSTM: 'hiddenSize' must be an integer >= 1/);
    expect(() => new GRU(3, 4, { numLayers: 0 })).toThrow(ArgumentError);
    expect(() => new GRU(3, 4, { dropout: 1.5 })).toThrow(ArgumentError);
    expect(() => new LSTM(3, 4, { bidirectional: 1 as unknown as boolean })).toThrow(ArgumentError);
    const cell = new LSTMCell(3, 4);
    const x = ones([2, 5]), h = zeros([3, 4]), c = zeros([2, 4]), x2 = ones([2, 3]);
    expect(() => cell.call(x)).toThrow('LSTMCell: input [2,5] must be [batch, input_size] or [input_size] with input_size = 3 (weight_ih [16,3])');
    expect(() => cell.call(x2, [h, c])).toThrow('LSTMCell: hx must be [2,4] for input [2,3] and hidden_size 4, got [3,4]');
    const w = ones([9, 3]), whh = ones([12, 4]);
    expect(() => gruCell(x2, c, w, whh)).toThrow('gruCell: weight_ih must be [12, input_size] for weight_hh [12,4], got [9,3]');
    expect(() => lstmCell(x2, [c, c], w, whh)).toThrow('lstmCell: weight_hh must be [4 * hidden_size, hidden_size], got [12,4]');
    dispose([x, h, c, x2, w, whh]);
    cell.dispose();
  });
});

describe('recurrent layers: memory', () => {
  it('a forward over 30 steps frees its per-step intermediates; only the results remain', () => {
    const m = new LSTM(4, 8, { numLayers: 2, bidirectional: true, seed: 0 });
    const x = ones([30, 3, 4]);
    const before = memory().tensors;
    const [y, [h, c]] = m.call(x);
    expect(memory().tensors).toBe(before + 3);
    expect(y).not.toBeInstanceOf(Variable);
    dispose([x, y, h, c]);
    m.dispose();
  });
});
