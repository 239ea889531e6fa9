// MultiheadAttention, scaledDotProductAttention, TransformerEncoderLayer and TransformerEncoder
// against PyTorch (fixtures/gen_recurrent.py), with fixed weights loaded through loadStateDict
// under PyTorch's names; then defaults, dropout, masks and typed errors.
import { ArgumentError, DTypeError, ShapeError, dispose, memory, ones, randn, tensor, tidy, zeros, type Tensor } from '@tensile/core';
import { describe, expect, it } from 'vitest';
import {
  LayerNorm, MultiheadAttention, TransformerEncoder, TransformerEncoderLayer, generateSquareSubsequentMask,
  type TransformerActivation,
} from '../src/index.js';
import { scaledDotProductAttention } from '../src/functional.js';
import { goldenRecurrent as G } from './fixtures/golden_recurrent.js';
import type { GT } from './fixtures/types.js';
import { T, V, expectClose, expectNoLeak, loadGolden, useJs, values, type Tol } from './helpers.js';

useJs();

/** A golden mask: int32 0/1 stands for bool (true = 1), float stays float; null when absent. */
function M(g: GT | null): Tensor | null {
  if (!g) return null;
  return tidy(() => (g.dtype === 'int32' ? T(g).notEqual(0) : T(g)));
}

// Softmax, matmuls and the output projection in float32, summed in another order than
// PyTorch's bmm/baddbmm: a few ulps (they agree to ~1e-6 relative today; 2x margin).
const MHA_TOL: Tol = { rtol: 2e-5, atol: 2e-6 };
// Post-norm encoder layers: the same plus two LayerNorms; same margin.
const ENC_TOL: Tol = { rtol: 2e-5, atol: 2e-6 };
// Pre-norm stacks add un-normalised residuals: parameter-gradient entries of ~9 cancel into
// entries of ~1e-2, so the absolute error follows the large ones (observed 3e-6).
const PRE_NORM_TOL: Tol = { rtol: 1e-4, atol: 1e-5 };

describe('MultiheadAttention against PyTorch', () => {
  for (const c of [...G.mha, ...G.mhaKdimVdim]) {
    it(c.name, () => expectNoLeak(() => {
      const m = new MultiheadAttention(8, 2, c.opts);
      expect(m.namedParameters().map(([n]) => n)).toEqual(Object.keys(c.state));
      loadGolden(m, c.state);
      const q = V(c.query);
      const k = c.selfAttention ? q : V(c.key), v = c.selfAttention ? q : V(c.value);
      const kpm = M(c.keyPaddingMask), am = M(c.attnMask);
      const [y, w] = m.call(q, k, v, { keyPaddingMask: kpm, attnMask: am, needWeights: c.needWeights, averageAttnWeights: c.averageAttnWeights });
      expectClose(y, c.y, MHA_TOL, 'output');
      if (c.needWeights) expectClose(w, c.weights, MHA_TOL, 'weights');
      else expect(w).toBeNull();
      tidy(() => {
        let loss = y.mul(T(c.dy)).sum();
        if (w) loss = loss.add(w.mul(T(c.dweights)).sum());
        loss.backward();
      });
      expectClose(q.grad, c.dquery, MHA_TOL, 'd query');
      if (!c.selfAttention) {
        expectClose(k.grad, c.dkey, MHA_TOL, 'd key');
        expectClose(v.grad, c.dvalue, MHA_TOL, 'd value');
      }
      for (const [name, g] of Object.entries(c.grads as Record<string, GT>)) expectClose(m.getParameter(name).grad, g, MHA_TOL, `d ${name}`);
      dispose([q, k, v, kpm, am, y, w]);
      m.dispose();
    }));
  }
});

describe('scaledDotProductAttention against PyTorch', () => {
  for (const c of G.sdpa) {
    it(c.name, () => expectNoLeak(() => {
      const q = V(c.query), k = V(c.key), v = V(c.value), mask = M(c.attnMask);
      const y = scaledDotProductAttention(q, k, v, { attnMask: mask, isCausal: c.isCausal, scale: c.scale });
      expectClose(y, c.y, MHA_TOL, 'output');
      tidy(() => y.mul(T(c.dy)).sum().backward());
      expectClose(q.grad, c.dquery, MHA_TOL, 'd query');
      expectClose(k.grad, c.dkey, MHA_TOL, 'd key');
      expectClose(v.grad, c.dvalue, MHA_TOL, 'd value');
      dispose([q, k, v, mask, y]);
    }));
  }
});

/** An encoder layer (or a stack of them) configured like the golden case. */
function makeEncoder(c: Record<string, any>): TransformerEncoderLayer | TransformerEncoder {
  const o = c.opts as Record<string, unknown>;
  const layer = new TransformerEncoderLayer(8, 2, {
    dimFeedforward: o.dimFeedforward as number, activation: o.activation as TransformerActivation | undefined,
    layerNormEps: o.layerNormEps as number | undefined, batchFirst: o.batchFirst as boolean | undefined, normFirst: o.normFirst as boolean | undefined,
  });
  if (c.numLayers == null) return layer;
  return new TransformerEncoder(layer, c.numLayers, { norm: c.finalNorm ? new LayerNorm(8) : null });
}

for (const key of ['encoderLayer', 'encoder'] as const) {
  describe(`${key === 'encoder' ? 'TransformerEncoder' : 'TransformerEncoderLayer'} against PyTorch (eval mode)`, () => {
    for (const c of G[key]) {
      const tol = c.opts.normFirst ? PRE_NORM_TOL : ENC_TOL;
      it(c.name, () => expectNoLeak(() => {
        const m = makeEncoder(c);
        expect(m.namedParameters().map(([n]) => n)).toEqual(Object.keys(c.state));
        loadGolden(m, c.state);
        m.eval();
        const x = V(c.x), mask = M(c.mask), kpm = M(c.srcKeyPaddingMask);
        const y = m instanceof TransformerEncoder
          ? m.call(x, { mask, srcKeyPaddingMask: kpm })
          : m.call(x, { srcMask: mask, srcKeyPaddingMask: kpm });
        expectClose(y, c.y, tol, 'output');
        tidy(() => y.mul(T(c.dy)).sum().backward());
        expectClose(x.grad, c.dx, tol, 'd src');
        for (const [name, g] of Object.entries(c.grads as Record<string, GT>)) expectClose(m.getParameter(name).grad, g, tol, `d ${name}`);
        dispose([x, mask, kpm, y]);
        m.dispose();
      }));
    }
  });
}

describe('attention: defaults and behaviour', () => {
  it("MultiheadAttention: PyTorch's parameters and initialisation (xavier in_proj, zero biases)", () => {
    const m = new MultiheadAttention(64, 8, { seed: 1 });
    expect(m.namedParameters().map(([n, p]) => `${n} ${p.shape.join('x')}`))
      .toEqual(['in_proj_weight 192x64', 'in_proj_bias 192', 'out_proj.weight 64x64', 'out_proj.bias 64']);
    const bound = Math.sqrt(6 / (192 + 64));
    const w = values(m.inProjWeight!);
    expect(Math.max(...w)).toBeLessThanOrEqual(bound);
    expect(Math.max(...w)).toBeGreaterThan(0.97 * bound);
    expect(values(m.inProjBias!).every((v) => v === 0)).toBe(true);
    expect(values(m.outProj.bias!).every((v) => v === 0)).toBe(true);
    expect(Math.max(...values(m.outProj.weight))).toBeLessThanOrEqual(1 / 8);
    expect(m.toString()).toBe('MultiheadAttention(\n  embed_dim=64, num_heads=8\n  (out_proj): Linear(in_features=64, out_features=64, bias=true)\n)');
    expect(new MultiheadAttention(4, 2, { bias: false }).namedParameters().map(([n]) => n)).toEqual(['in_proj_weight', 'out_proj.weight']);
    m.dispose();
  });

  it('MultiheadAttention: dropout on the weights in training only (rows rescaled by 1/(1-p)), seeded', () => expectNoLeak(() => {
    const m = new MultiheadAttention(8, 2, { dropout: 0.5, seed: 3, batchFirst: true });
    const x = randn([2, 16, 8], { seed: 1 });
    const [y1, w1] = m.call(x, x, x, { averageAttnWeights: false });
    const [y2, w2] = m.call(x, x, x, { averageAttnWeights: false });
    const wv = values(w1!);
    const zeros = wv.filter((v) => v === 0).length;
    expect(zeros / wv.length).toBeGreaterThan(0.4);
    expect(zeros / wv.length).toBeLessThan(0.6);
    expect(values(w2!)).not.toEqual(wv); // a fresh mask per call
    m.eval();
    const [e1, ew] = m.call(x, x, x, { averageAttnWeights: false });
    // Evaluation: every row of weights is a distribution.
    const sums = ew!.sum(-1);
    for (const s of values(sums)) expect(s).toBeCloseTo(1, 5);
    const [e2] = m.call(x, x, x, { needWeights: false });
    expect(values(e2)).toEqual(values(e1));
    dispose([x, y1, w1, y2, w2, e1, ew, e2, sums]);
    m.dispose();
  }));

  it('a masked key gets zero weight, and changing it does not change the output', () => expectNoLeak(() => {
    const m = new MultiheadAttention(4, 2, { seed: 5 });
    const q = randn([3, 1, 4], { seed: 1 }), k = randn([5, 1, 4], { seed: 2 });
    const k2 = tidy(() => k.add(tensor([0, 0, 0, 0, 9]).reshape([5, 1, 1]))); // key 4 changes
    const pad = tensor([[false, false, false, false, true]]);
    const [y1, w1] = m.call(q, k, k, { keyPaddingMask: pad });
    const [y2] = m.call(q, k2, k2, { keyPaddingMask: pad, needWeights: false });
    expect(values(w1!).filter((_, i) => i % 5 === 4)).toEqual([0, 0, 0]);
    expectClose(y2, values(y1), { atol: 1e-6 }, 'masked key');
    dispose([q, k, k2, pad, y1, w1, y2]);
    m.dispose();
  }));

  it('generateSquareSubsequentMask is PyTorch\'s causal mask', () => {
    const mk = generateSquareSubsequentMask(3);
    expectClose(mk, G.subsequentMask3, { atol: 0 }, 'mask');
    mk.dispose();
  });

  it('TransformerEncoderLayer: PyTorch\'s submodules and defaults; TransformerEncoder copies the layer', () => {
    const layer = new TransformerEncoderLayer(16, 4, { seed: 2 });
    expect(layer.namedChildren().map(([n]) => n))
      .toEqual(['self_attn', 'linear1', 'dropout', 'linear2', 'norm1', 'norm2', 'dropout1', 'dropout2']);
    expect(layer.config).toMatchObject({ dimFeedforward: 2048, dropout: 0.1, activation: 'relu', layerNormEps: 1e-5, batchFirst: false, normFirst: false });
    expect(layer.linear1.weight.shape).toEqual([2048, 16]);
    const enc = new TransformerEncoder(layer, 3, { norm: new LayerNorm(16) });
    const names = enc.namedParameters().map(([n]) => n);
    expect(names.slice(0, 4)).toEqual(['layers.0.self_attn.in_proj_weight', 'layers.0.self_attn.in_proj_bias',
      'layers.0.self_attn.out_proj.weight', 'layers.0.self_attn.out_proj.bias']);
    expect(names.filter((n) => n.endsWith('linear1.weight'))).toEqual(['layers.0.linear1.weight', 'layers.1.linear1.weight', 'layers.2.linear1.weight']);
    expect(names.slice(-2)).toEqual(['norm.weight', 'norm.bias']);
    expect(enc.layers.at(0)).toBe(layer);
    // Copies start equal (PyTorch's deepcopy) but are separate parameters.
    expect(values(enc.layers.at(2).linear2.weight)).toEqual(values(layer.linear2.weight));
    expect(enc.layers.at(2).linear2.weight).not.toBe(layer.linear2.weight);
    enc.dispose();
    expect(layer.isDisposed).toBe(true);
  });

  it('training mode applies dropout; eval mode is deterministic', () => expectNoLeak(() => {
    const layer = new TransformerEncoderLayer(8, 2, { dimFeedforward: 16, seed: 4, batchFirst: true });
    const x = randn([2, 5, 8], { seed: 9 });
    const a = layer.call(x), b = layer.call(x);
    expect(values(a)).not.toEqual(values(b));
    layer.eval();
    const c = layer.call(x), d = layer.call(x);
    expect(values(c)).toEqual(values(d));
    dispose([x, a, b, c, d]);
    layer.dispose();
  }));

  it('a training loop over an encoder keeps memory() flat', () => {
    const before = memory();
    const enc = new TransformerEncoder(new TransformerEncoderLayer(8, 2, { dimFeedforward: 16, seed: 1, batchFirst: true }), 2);
    const x = randn([4, 6, 8], { seed: 2 });
    const pad = tensor([[false, false, false, false, true, true], [false, false, false, false, false, false],
      [false, false, false, true, true, true], [false, false, false, false, false, true]]);
    let afterFirst = { tensors: 0, bytes: 0 };
    const losses: number[] = [];
    for (let step = 0; step < 15; step++) {
      tidy(() => {
        const loss = enc.call(x, { srcKeyPaddingMask: pad }).sub(x).square().mean();
        loss.backward();
        for (const p of enc.parameters()) if (p.grad) p.assign(p.sub(p.grad.mul(0.05)));
        enc.zeroGrad();
        losses.push(loss.dataSync()[0]!);
      });
      if (step === 0) afterFirst = memory();
    }
    expect(memory().tensors).toBe(afterFirst.tensors);
    expect(memory().bytes).toBe(afterFirst.bytes);
    expect(losses.at(-1)!).toBeLessThan(losses[0]!);
    dispose([x, pad]);
    enc.dispose();
    expect(memory().tensors).toBe(before.tensors);
    expect(memory().bytes).toBe(before.bytes);
  });
});

describe('attention: typed errors', () => {
  it('embedDim not divisible by numHeads; dModel by nhead', () => {
    expect(() => new MultiheadAttention(10, 3)).toThrow(ArgumentError);
    expect(() => new MultiheadAttention(10, 3)).toThrow('MultiheadAttention: embedDim (10) must be divisible by numHeads (3)');
    expect(() => new TransformerEncoderLayer(10, 4)).toThrow('TransformerEncoderLayer: dModel (10) must be divisible by nhead (4)');
    expect(() => new TransformerEncoderLayer(8, 2, { activation: 'tanh' as 'relu' })).toThrow(ArgumentError);
    expect(() => new TransformerEncoder({} as TransformerEncoderLayer, 2)).toThrow(ArgumentError);
  });

  it('wrong query, key and mask shapes name the argument and the shapes', () => {
    const m = new MultiheadAttention(8, 2);
    const q = ones([3, 2, 8]), k = ones([4, 2, 8]), kBad = ones([4, 2, 6]), kBatch = ones([4, 3, 8]), q6 = ones([3, 2, 6]);
    expect(() => m.call(q6, k, k)).toThrow('MultiheadAttention: query [3,2,6] must have embedDim = 8 in its last dim');
    expect(() => m.call(q, kBad, kBad)).toThrow(/MultiheadAttention: key \[4,2,6\] must have query's rank 3 and embedDim = 8/);
    expect(() => m.call(q, k, kBatch)).toThrow('MultiheadAttention: key [4,2,8] and value [4,3,8] must have the same shape but for their last dim');
    const kv = new MultiheadAttention(8, 2, { kdim: 5, vdim: 6 });
    expect(() => kv.call(q, k, k)).toThrow(/MultiheadAttention: key \[4,2,8\] must have query's rank 3 and kdim = 5/);
    expect(kv.namedParameters().map(([n]) => n)).toEqual(['q_proj_weight', 'k_proj_weight', 'v_proj_weight', 'in_proj_bias', 'out_proj.weight', 'out_proj.bias']);
    kv.dispose();
    expect(() => m.call(q, kBatch, kBatch)).toThrow(/key \[4,3,8\] must have query's batch size 2/);
    const pad = zeros([2, 3], 'bool'), padInt = zeros([2, 4], 'int32'), am = zeros([4, 3], 'bool'), am3 = zeros([2, 3, 4]);
    expect(() => m.call(q, k, k, { keyPaddingMask: pad })).toThrow(ShapeError);
    expect(() => m.call(q, k, k, { keyPaddingMask: pad })).toThrow('MultiheadAttention: keyPaddingMask [2,3] must be [2,4] (query [3,2,8], key [4,2,8], numHeads 2)');
    expect(() => m.call(q, k, k, { keyPaddingMask: padInt })).toThrow(DTypeError);
    expect(() => m.call(q, k, k, { attnMask: am })).toThrow('MultiheadAttention: attnMask [4,3] must be [3,4] or [4,3,4] (query [3,2,8], key [4,2,8], numHeads 2)');
    expect(() => m.call(q, k, k, { attnMask: am3 })).toThrow(ShapeError);
    const layer = new TransformerEncoderLayer(8, 2, { dimFeedforward: 8 });
    const sm = zeros([3, 4]);
    expect(() => layer.call(q, { srcMask: sm })).toThrow('TransformerEncoderLayer: srcMask [3,4] must be [3,3] or [4,3,3] for src [3,2,8] (nhead 2, batchFirst false)');
    const padF = zeros([2, 4]);
    expect(() => layer.call(q, { srcKeyPaddingMask: padF })).toThrow('TransformerEncoderLayer: srcKeyPaddingMask [2,4] must be [2,3] for src [3,2,8] (batchFirst false)');
    expect(() => layer.call(q6)).toThrow(/TransformerEncoderLayer: src \[3,2,6\] must be \[seq, batch, dModel\]/);
    const enc = new TransformerEncoder(layer, 1);
    expect(() => enc.call(q, { mask: sm })).toThrow(/TransformerEncoder: mask \[3,4\] must be \[3,3\]/);
    const q4 = ones([2, 4]);
    expect(() => scaledDotProductAttention(q4, q6, q6)).toThrow(ShapeError);
    const cm = zeros([2, 2], 'bool');
    expect(() => scaledDotProductAttention(q4, q4, q4, { attnMask: cm, isCausal: true })).toThrow(ArgumentError);
    dispose([q, k, kBad, kBatch, q6, pad, padInt, padF, am, am3, sm, q4, cm]);
    m.dispose();
    enc.dispose();
  });
});
