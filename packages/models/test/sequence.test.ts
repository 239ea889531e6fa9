// The LSTM, GRU and Transformer sequence classifiers: output shapes, state-dict keys and
// parameter counts worked by hand, pooling and padding semantics, training steps on a fixed
// batch, the same outputs on backend-wasm, and bad inputs.
import { ArgumentError, DTypeError, ShapeError, concat, dispose, noGrad, tensor, tidy, zeros, type Tensor } from '@tensile/core';
import { crossEntropy } from '@tensile/layers/functional';
import { beforeAll, describe, expect, it } from 'vitest';
import { gruClassifier, lstmClassifier, transformerClassifier, type RecurrentClassifier, type RecurrentClassifierConfig } from '../src/index.js';
import { adamSteps, expectAllClose, expectNoLeak, use } from './seqgen_helpers.js';


const tokens = (rows: number[][]): Tensor => tensor(rows.flat(), [rows.length, rows[0]!.length], 'int32');
const keysOf = (m: { stateDict(): Record<string, Tensor> }): Record<string, number[]> => {
  const sd = m.stateDict();
  const out = Object.fromEntries(Object.entries(sd).map(([k, t]) => [k, t.shape]));
  dispose(sd);
  return out;
};
/** Parameters of one recurrent layer and direction: G gates of H units reading `inF` features, two biases. */
const rnnParams = (gates: number, inF: number, h: number): number => gates * h * (inF + h) + 2 * gates * h;

beforeAll(() => use('js'));

describe('recurrent classifiers', () => {
  it.each([
    {
      what: 'LSTM on tokens, last state', cell: 'lstm', cfg: { vocabSize: 20, embeddingDim: 6, hiddenSize: 5, numClasses: 3 }, input: [2, 7],
      keys: {
        'embedding.weight': [20, 6], 'rnn.weight_ih_l0': [20, 6], 'rnn.weight_hh_l0': [20, 5], 'rnn.bias_ih_l0': [20], 'rnn.bias_hh_l0': [20], 'fc.weight': [3, 5], 'fc.bias': [3],
      },
      params: 20 * 6 + rnnParams(4, 6, 5) + 5 * 3 + 3,
    },
    {
      what: 'GRU on features, 2 bidirectional layers, mean pooling', cell: 'gru', cfg: { inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, dropout: 0.2, pooling: 'mean', numClasses: 2 }, input: [3, 5, 3],
      keys: {
        'rnn.weight_ih_l0': [12, 3], 'rnn.weight_hh_l0': [12, 4], 'rnn.bias_ih_l0': [12], 'rnn.bias_hh_l0': [12],
        'rnn.weight_ih_l0_reverse': [12, 3], 'rnn.weight_hh_l0_reverse': [12, 4], 'rnn.bias_ih_l0_reverse': [12], 'rnn.bias_hh_l0_reverse': [12],
        'rnn.weight_ih_l1': [12, 8], 'rnn.weight_hh_l1': [12, 4], 'rnn.bias_ih_l1': [12], 'rnn.bias_hh_l1': [12],
        'rnn.weight_ih_l1_reverse': [12, 8], 'rnn.weight_hh_l1_reverse': [12, 4], 'rnn.bias_ih_l1_reverse': [12], 'rnn.bias_hh_l1_reverse': [12],
        'fc.weight': [2, 8], 'fc.bias': [2],
      },
      params: 2 * rnnParams(3, 3, 4) + 2 * rnnParams(3, 8, 4) + 8 * 2 + 2,
    },
    {
      what: 'LSTM on tokens, bidirectional, padding, mean pooling', cell: 'lstm', cfg: { vocabSize: 9, embeddingDim: 4, paddingIdx: 0, hiddenSize: 3, bidirectional: true, pooling: 'mean' }, input: [4, 6],
      keys: {
        'embedding.weight': [9, 4], 'rnn.weight_ih_l0': [12, 4], 'rnn.weight_hh_l0': [12, 3], 'rnn.bias_ih_l0': [12], 'rnn.bias_hh_l0': [12],
        'rnn.weight_ih_l0_reverse': [12, 4], 'rnn.weight_hh_l0_reverse': [12, 3], 'rnn.bias_ih_l0_reverse': [12], 'rnn.bias_hh_l0_reverse': [12], 'fc.weight': [2, 6], 'fc.bias': [2],
      },
      params: 9 * 4 + 2 * rnnParams(4, 4, 3) + 6 * 2 + 2,
    },
  ] as const)('$what: output shape, keys and parameter count', async ({ cell, cfg, input, keys, params }) => {
    await expectNoLeak(() => {
      const m = cell === 'lstm' ? lstmClassifier(cfg as RecurrentClassifierConfig) : gruClassifier(cfg as RecurrentClassifierConfig);
      expect(keysOf(m)).toEqual(keys);
      expect(Object.keys(keysOf(m))).toEqual(Object.keys(keys)); // and in this order
      expect(m.numParameters()).toBe(params);
      const x = input.length === 2 ? tidy(() => tensor(Array.from({ length: input[0] * input[1] }, (_, i) => (i * 7) % 9), [...input], 'int32')) : zeros([...input]);
      const y = m.call(x);
      expect(y.shape).toEqual([input[0], m.config.numClasses]);
      dispose([x, y]);
      m.dispose();
    });
  });

  it.each(['lstm', 'gru'] as const)('%s, bidirectional, 2 layers: last pooling reads the forward state after the last step and the backward state after the first', async (cell) => {
    await expectNoLeak(() => {
      const cfg = { vocabSize: 10, embeddingDim: 4, hiddenSize: 3, numLayers: 2, bidirectional: true, numClasses: 2, seed: 3 };
      const m = (cell === 'lstm' ? lstmClassifier : gruClassifier)(cfg).eval();
      const x = tokens([[1, 2, 3, 4, 5], [9, 8, 7, 6, 5]]);
      const [logits, byHand] = noGrad(() => tidy(() => {
        const out = (m.rnn.call(m.embedding!.call(x)) as [Tensor, unknown])[0]; // [2, 5, 6]
        const pooled = concat([out.slice([0, 4, 0], [2, 5, 3]), out.slice([0, 0, 3], [2, 1, 6])], 2).reshape([2, 6]);
        return [m.call(x), m.fc.call(pooled)];
      }));
      expectAllClose(logits!.dataSync(), byHand!.dataSync(), 1e-6, 'logits');
      dispose([x, logits!, byHand!]);
      m.dispose();
    });
  });

  it.each([
    { what: 'LSTM', make: () => lstmClassifier({ vocabSize: 10, embeddingDim: 4, hiddenSize: 3, paddingIdx: 0, pooling: 'mean', seed: 1 }) },
    { what: 'GRU, 2 layers', make: () => gruClassifier({ vocabSize: 10, embeddingDim: 4, hiddenSize: 3, numLayers: 2, paddingIdx: 0, pooling: 'mean', seed: 1 }) },
  ])('$what with mean pooling ignores trailing padding', async ({ make }) => {
    await expectNoLeak(() => {
      const m = make().eval();
      const [a, b, c] = [tokens([[3, 4, 5]]), tokens([[3, 4, 5, 0, 0]]), tokens([[3, 4, 5, 6, 0]])];
      const [ya, yb, yc] = [m.call(a), m.call(b), m.call(c)];
      expectAllClose(yb.dataSync(), ya.dataSync(), 1e-6, 'padded');
      expect(Math.abs(yc.dataSync()[0]! - ya.dataSync()[0]!)).toBeGreaterThan(1e-6); // a real token does count
      dispose([a, b, c, ya, yb, yc]);
      m.dispose();
    });
  });
});

describe('transformerClassifier', () => {
  it.each([
    { pooling: 'cls', normFirst: false },
    { pooling: 'mean', normFirst: true },
  ] as const)('$pooling pooling, normFirst $normFirst: output shape, keys and parameter count', async ({ pooling, normFirst }) => {
    await expectNoLeak(() => {
      const [v, len, d, f, c, layers] = [30, 10, 8, 16, 3, 2];
      const m = transformerClassifier({ vocabSize: v, maxLength: len, dModel: d, numHeads: 2, numLayers: layers, dimFeedforward: f, numClasses: c, pooling, normFirst, seed: 1 });
      const cls = pooling === 'cls';
      const layer = (i: number): Record<string, number[]> => ({
        [`encoder.layers.${i}.self_attn.in_proj_weight`]: [3 * d, d], [`encoder.layers.${i}.self_attn.in_proj_bias`]: [3 * d],
        [`encoder.layers.${i}.self_attn.out_proj.weight`]: [d, d], [`encoder.layers.${i}.self_attn.out_proj.bias`]: [d],
        [`encoder.layers.${i}.linear1.weight`]: [f, d], [`encoder.layers.${i}.linear1.bias`]: [f],
        [`encoder.layers.${i}.linear2.weight`]: [d, f], [`encoder.layers.${i}.linear2.bias`]: [d],
        [`encoder.layers.${i}.norm1.weight`]: [d], [`encoder.layers.${i}.norm1.bias`]: [d], [`encoder.layers.${i}.norm2.weight`]: [d], [`encoder.layers.${i}.norm2.bias`]: [d],
      });
      expect(keysOf(m)).toEqual({
        'token_embedding.weight': [v, d], 'position_embedding.weight': [len + (cls ? 1 : 0), d], ...(cls ? { cls_token: [1, 1, d] } : {}),
        ...layer(0), ...layer(1), ...(normFirst ? { 'encoder.norm.weight': [d], 'encoder.norm.bias': [d] } : {}), 'head.weight': [c, d], 'head.bias': [c],
      });
      const perLayer = 3 * d * d + 3 * d + d * d + d + d * f + f + f * d + d + 4 * d;
      expect(m.numParameters()).toBe(v * d + (len + (cls ? 1 : 0)) * d + (cls ? d : 0) + layers * perLayer + (normFirst ? 2 * d : 0) + d * c + c);
      const x = tokens([[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [3, 3, 3, 3, 3, 3, 3, 3, 3, 3]]);
      const y = m.call(x);
      expect(y.shape).toEqual([2, c]);
      dispose([x, y]);
      m.dispose();
    });
  });

  it.each(['cls', 'mean'] as const)('%s pooling with paddingIdx: padding is masked out; without it, padding tokens count', async (pooling) => {
    await expectNoLeak(() => {
      const cfg = { vocabSize: 12, maxLength: 8, dModel: 8, numHeads: 2, numLayers: 2, dimFeedforward: 16, pooling, seed: 2 };
      const masked = transformerClassifier({ ...cfg, paddingIdx: 0 }).eval();
      const plain = transformerClassifier(cfg).eval();
      const [a, b] = [tokens([[5, 6, 7], [8, 9, 10]]), tokens([[5, 6, 7, 0, 0], [8, 9, 10, 0, 0]])];
      const [ma, mb, pa, pb] = [masked.call(a), masked.call(b), plain.call(a), plain.call(b)];
      expectAllClose(mb.dataSync(), ma.dataSync(), 1e-5, 'masked');
      const diff = Math.max(...Array.from(pb.dataSync(), (v, i) => Math.abs(v - pa.dataSync()[i]!)));
      expect(diff).toBeGreaterThan(1e-4);
      dispose([a, b, ma, mb, pa, pb]);
      masked.dispose();
      plain.dispose();
    });
  });
});

describe('training steps on a fixed batch reduce the loss', () => {
  // Class 1 when token 1 occurs in the sequence.
  const rows = [[1, 4, 5, 6], [2, 3, 4, 5], [6, 1, 2, 3], [3, 3, 2, 4], [5, 6, 7, 1], [7, 6, 5, 4], [2, 1, 7, 7], [4, 4, 6, 2]];
  const labels = rows.map((r) => (r.includes(1) ? 1 : 0));
  it.each([
    { what: 'LSTM', make: () => lstmClassifier({ vocabSize: 8, embeddingDim: 8, hiddenSize: 8, seed: 1 }) },
    { what: 'GRU, bidirectional, mean pooling', make: () => gruClassifier({ vocabSize: 8, embeddingDim: 8, hiddenSize: 8, bidirectional: true, pooling: 'mean', seed: 1 }) },
    { what: 'Transformer', make: () => transformerClassifier({ vocabSize: 8, maxLength: 4, dModel: 16, numHeads: 2, numLayers: 1, dropout: 0, seed: 1 }) },
  ])('$what', async ({ make }) => {
    await expectNoLeak(() => {
      const m = make();
      const x = tokens(rows), y = tensor(labels, [8], 'int32');
      const losses = adamSteps(m, () => crossEntropy(m.call(x), y), 10, 0.03);
      // Measured last/first: LSTM 0.38, GRU 0.17, Transformer 0.008.
      expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.6);
      dispose([x, y]);
      m.dispose();
    });
  });
});

describe('the same outputs on backend-wasm as on backend-js', () => {
  it.each([
    { what: 'LSTM, bidirectional, 2 layers', make: () => lstmClassifier({ vocabSize: 10, embeddingDim: 6, hiddenSize: 5, numLayers: 2, bidirectional: true, seed: 4 }) },
    { what: 'GRU on features', make: () => gruClassifier({ inputSize: 10, hiddenSize: 5, pooling: 'mean', seed: 4 }) },
    { what: 'Transformer', make: () => transformerClassifier({ vocabSize: 10, maxLength: 8, dModel: 8, numHeads: 2, paddingIdx: 0, seed: 4 }) },
  ])('$what', async ({ what, make }) => {
    await use('js');
    const m = make().eval();
    const features = what.startsWith('GRU');
    const x = features ? tidy(() => tensor(Array.from({ length: 2 * 6 * 10 }, (_, i) => Math.sin(i)), [2, 6, 10])) : tokens([[1, 2, 3, 4, 0, 0], [9, 8, 7, 6, 5, 4]]);
    const onJs = m.call(x);
    const want = Array.from(onJs.dataSync());
    await use('wasm');
    const onWasm = m.call(x);
    expect(onWasm.shape).toEqual([2, 2]);
    expectAllClose(onWasm.dataSync(), want, 1e-5, what);
    dispose([x, onJs, onWasm]);
    m.dispose();
    await use('js');
  });
});

describe('bad inputs name the model, the argument and the shapes', () => {
  it.each([
    { make: () => lstmClassifier(), msg: "lstmClassifier: give exactly one of 'vocabSize' (token input) and 'inputSize' (float features), got vocabSize undefined and inputSize undefined" },
    { make: () => gruClassifier({ vocabSize: 5, inputSize: 3 }), msg: "gruClassifier: give exactly one of 'vocabSize'" },
    { make: () => gruClassifier({ inputSize: 3, paddingIdx: 0 }), msg: "gruClassifier: 'paddingIdx' and 'embeddingDim' need token input" },
    { make: () => lstmClassifier({ vocabSize: 5, paddingIdx: 5 }), msg: "lstmClassifier: 'paddingIdx' must be an integer in [0, 4], got 5" },
    { make: () => lstmClassifier({ vocabSize: 5, pooling: 'max' as never }), msg: "lstmClassifier: 'pooling' must be one of 'last', 'mean', got 'max'" },
    { make: () => lstmClassifier({ vocabSize: 5, dropout: 1.5 }), msg: "lstmClassifier: 'dropout' must be a finite number in [0, 1], got 1.5" },
    { make: () => lstmClassifier({ vocabSize: 5, hidden: 3 } as never), msg: "lstmClassifier: unknown config key 'hidden'" },
    { make: () => transformerClassifier({} as never), msg: "transformerClassifier: 'vocabSize' is required" },
    { make: () => transformerClassifier({ vocabSize: 5, dModel: 10, numHeads: 4 }), msg: "transformerClassifier: 'dModel' (10) must be divisible by 'numHeads' (4)" },
    { make: () => transformerClassifier({ vocabSize: 5, pooling: 'first' as never }), msg: "transformerClassifier: 'pooling' must be one of 'cls', 'mean', got 'first'" },
  ])('config: $msg', async ({ make, msg }) => {
    await expectNoLeak(() => {
      expect(make).toThrow(ArgumentError);
      expect(make).toThrow(msg);
    });
  });

  const lstm = (): RecurrentClassifier => lstmClassifier({ vocabSize: 5, embeddingDim: 2, hiddenSize: 2 });
  it.each([
    { what: 'float tokens', make: lstm, x: () => zeros([2, 3]), err: DTypeError, msg: "lstmClassifier: 'tokens' has dtype float32 (shape [2,3]); expected int32" },
    { what: 'rank-1 tokens', make: lstm, x: () => tensor([1, 2], [2], 'int32'), err: ShapeError, msg: 'lstmClassifier: tokens [2] must be [batch, seq] = [*, *]' },
    { what: 'features of the wrong width', make: () => gruClassifier({ inputSize: 4, hiddenSize: 2 }), x: () => zeros([2, 3, 5]), err: ShapeError, msg: 'gruClassifier: features [2,3,5] must be [batch, seq, inputSize] = [*, *, 4]' },
    { what: 'tokens longer than maxLength', make: () => transformerClassifier({ vocabSize: 5, maxLength: 3, dModel: 4, numHeads: 1 }), x: () => tensor([1, 2, 3, 4], [1, 4], 'int32'), err: ShapeError, msg: 'transformerClassifier: tokens [1,4] has 4 positions, more than maxLength = 3' },
    { what: 'float tokens to the Transformer', make: () => transformerClassifier({ vocabSize: 5, dModel: 4, numHeads: 1 }), x: () => zeros([1, 2]), err: DTypeError, msg: "transformerClassifier: 'tokens' has dtype float32 (shape [1,2]); expected int32" },
  ])('$what', async ({ make, x, err, msg }) => {
    await expectNoLeak(() => {
      const m = make();
      const bad = x();
      expect(() => m.call(bad)).toThrow(err);
      expect(() => m.call(bad)).toThrow(msg);
      bad.dispose();
      m.dispose();
    });
  });
});
