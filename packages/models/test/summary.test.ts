// summary(): every number worked by hand for LeNet-5 and a VGG block, the receptive field of
// stacked convolutions against the closed form, branches (residual, inception), frozen
// parameters, MACs per layer type, the printed table, and bad input.
import { ArgumentError, DTypeError, ShapeError, concat, memory, slice, type Tensor } from '@tensile/core';
import {
  AvgPool2d, BatchNorm2d, Conv2d, ConvTranspose2d, Embedding, GRU, LSTM, Linear, MaxPool2d, Module, MultiheadAttention, ReLU, Residual, Sequential, type AnyModule,
} from '@tensile/layers';
import { describe, expect, it } from 'vitest';
import { fieldAfter, layerMacs, lenet5Classic, summary, torchinfoMultAdds, INPUT_FIELD, type SummaryRow } from '../src/index.js';
import { expectNoLeak, useBackend } from './helpers.js';

const F32 = 4;
const quiet = { print: false } as const;

/** The numbers of a row the tests check, in one comparable object. */
const brief = (r: SummaryRow) => ({
  name: r.name, out: r.outputShape, params: r.params, macs: r.macs, bytes: r.outputBytes, rf: r.receptiveField?.[0] ?? null, jump: r.jump?.[0] ?? null,
});

describe('LeNet-5 classic on [1, 1, 28, 28], worked by hand', () => {
  // conv1 5x5 pad 2: 28x28, r = 5, j = 1; pool 2: r = 5 + 1·1 = 6, j = 2; conv2 5x5: 10x10,
  // r = 6 + 4·2 = 14; pool 2: r = 14 + 1·2 = 16, j = 4. MACs: conv C_out·H·W·C_in·25, linear in·out.
  const want = [
    { name: '', out: [1, 10], params: 61_706, macs: 0, bytes: 10 * F32, rf: null, jump: null },
    { name: 'features', out: [1, 16, 5, 5], params: 156 + 2_416, macs: 0, bytes: 400 * F32, rf: 16, jump: 4 },
    { name: 'features.0', out: [1, 6, 28, 28], params: 6 * 25 + 6, macs: 6 * 28 * 28 * (1 * 25), bytes: 6 * 28 * 28 * F32, rf: 5, jump: 1 },
    { name: 'features.1', out: [1, 6, 28, 28], params: 0, macs: 0, bytes: 6 * 28 * 28 * F32, rf: 5, jump: 1 },
    { name: 'features.2', out: [1, 6, 14, 14], params: 0, macs: 0, bytes: 6 * 14 * 14 * F32, rf: 6, jump: 2 },
    { name: 'features.3', out: [1, 16, 10, 10], params: 16 * 6 * 25 + 16, macs: 16 * 10 * 10 * (6 * 25), bytes: 16 * 10 * 10 * F32, rf: 14, jump: 2 },
    { name: 'features.4', out: [1, 16, 10, 10], params: 0, macs: 0, bytes: 16 * 10 * 10 * F32, rf: 14, jump: 2 },
    { name: 'features.5', out: [1, 16, 5, 5], params: 0, macs: 0, bytes: 16 * 5 * 5 * F32, rf: 16, jump: 4 },
    { name: 'classifier', out: [1, 10], params: 48_120 + 10_164 + 850, macs: 0, bytes: 10 * F32, rf: null, jump: null },
    { name: 'classifier.0', out: [1, 120], params: 400 * 120 + 120, macs: 400 * 120, bytes: 120 * F32, rf: null, jump: null },
    { name: 'classifier.1', out: [1, 120], params: 0, macs: 0, bytes: 120 * F32, rf: null, jump: null },
    { name: 'classifier.2', out: [1, 84], params: 120 * 84 + 84, macs: 120 * 84, bytes: 84 * F32, rf: null, jump: null },
    { name: 'classifier.3', out: [1, 84], params: 0, macs: 0, bytes: 84 * F32, rf: null, jump: null },
    { name: 'classifier.4', out: [1, 10], params: 84 * 10 + 10, macs: 84 * 10, bytes: 10 * F32, rf: null, jump: null },
  ];

  it('each row: output shape, parameters, MACs, activation bytes, receptive field and jump', async () => {
    await useBackend('js');
    const m = lenet5Classic();
    await expectNoLeak(() => {
      const s = summary(m, [1, 1, 28, 28], quiet);
      expect(s.rows.map(brief)).toEqual(want);
      expect(s.rows.map((r) => [r.depth, r.leaf, r.className])).toEqual([
        [0, false, 'LeNet5'], [1, false, 'Sequential'], [2, true, 'Conv2d'], [2, true, 'Tanh'], [2, true, 'AvgPool2d'], [2, true, 'Conv2d'], [2, true, 'Tanh'],
        [2, true, 'AvgPool2d'], [1, false, 'Sequential'], [2, true, 'Linear'], [2, true, 'Tanh'], [2, true, 'Linear'], [2, true, 'Tanh'], [2, true, 'Linear'],
      ]);
    });
    m.dispose();
  });

  it('totals: parameters, MACs, torchinfo mult-adds (bias as an add), sizes in bytes', async () => {
    await useBackend('js');
    const m = lenet5Classic();
    const s = summary(m, [1, 1, 28, 28], quiet);
    const macs = 117_600 + 240_000 + 48_000 + 10_080 + 840;
    // torchinfo: conv (weights + bias)·H·W, linear weights + bias.
    const multAdds = 156 * 28 * 28 + 2_416 * 10 * 10 + 48_120 + 10_164 + 850;
    // Forward/backward: 2 × the outputs of the layers with parameters (the 2 convs and 3 linears).
    const fwdBwd = 2 * (6 * 28 * 28 + 16 * 10 * 10 + 120 + 84 + 10) * F32;
    expect({
      total: s.totalParams, trainable: s.trainableParams, frozen: s.nonTrainableParams, macs: s.totalMacs, multAdds: s.totalMultAdds,
      input: s.inputBytes, fwdBwd: s.forwardBackwardBytes, params: s.paramsBytes, all: s.totalBytes,
    }).toEqual({
      total: 61_706, trainable: 61_706, frozen: 0, macs, multAdds, input: 28 * 28 * F32, fwdBwd, params: 61_706 * F32, all: 28 * 28 * F32 + fwdBwd + 61_706 * F32,
    });
    expect([macs, multAdds, fwdBwd]).toEqual([416_520, 423_038, 52_144]);
    m.dispose();
  });

  it('scales with the batch: activations, MACs and input ×4, parameters unchanged', async () => {
    await useBackend('js');
    const m = lenet5Classic();
    const one = summary(m, [1, 1, 28, 28], quiet), four = summary(m, [4, 1, 28, 28], quiet);
    expect([four.totalMacs, four.forwardBackwardBytes, four.inputBytes, four.totalParams]).toEqual([4 * one.totalMacs, 4 * one.forwardBackwardBytes, 4 * one.inputBytes, one.totalParams]);
    m.dispose();
  });

  it('prints torchinfo\'s layout: the tree, "--" for containers, totals and sizes', async () => {
    await useBackend('js');
    const m = lenet5Classic();
    let printed = '';
    const s = summary(m, [1, 1, 28, 28], { print: (t) => (printed = t) });
    expect(printed).toBe(s.table);
    const lines = printed.split('\n');
    expect(lines[1]).toMatch(/^Layer \(type \(name\)\)\s+Output Shape\s+Param #\s+Trainable\s+Act\. bytes\s+MACs\s+RF\s+Jump$/);
    expect(lines[3]).toMatch(/^LeNet5\s+\[1, 10\]\s+--\s+True\s+40\s+--\s+--\s+--$/);
    expect(lines[5]).toMatch(/^│ {4}└─Conv2d \(0\)\s+\[1, 6, 28, 28\]\s+156\s+True\s+18,816\s+117,600\s+5\s+1$/);
    for (const want of [
      'Total params: 61,706', 'Trainable params: 61,706', 'Non-trainable params: 0', 'Total MACs: 416,520', "Total mult-adds, torchinfo's count (M): 0.42",
      'Input size (MB): 0.00 (3,136 bytes, input [1, 1, 28, 28])', 'Forward/backward pass size (MB): 0.05 (52,144 bytes)',
      'Params size (MB): 0.25 (246,824 bytes)', 'Estimated Total Size (MB): 0.30 (302,104 bytes)',
    ]) expect(lines).toContain(want);
    m.dispose();
  });
});

describe('a VGG block: two 3x3 convolutions (pad 1) and a 2x2 max pool, on [1, 3, 16, 16]', () => {
  it('worked by hand', async () => {
    await useBackend('js');
    const block = new Sequential(new Conv2d(3, 8, 3, { padding: 1 }), new ReLU(), new Conv2d(8, 8, 3, { padding: 1 }), new ReLU(), new MaxPool2d(2));
    await expectNoLeak(() => {
      const s = summary(block, [1, 3, 16, 16], quiet);
      expect(s.rows.map(brief)).toEqual([
        { name: '', out: [1, 8, 8, 8], params: 224 + 584, macs: 0, bytes: 8 * 8 * 8 * F32, rf: 6, jump: 2 },
        { name: '0', out: [1, 8, 16, 16], params: 8 * 3 * 9 + 8, macs: 8 * 16 * 16 * (3 * 9), bytes: 8 * 256 * F32, rf: 3, jump: 1 },
        { name: '1', out: [1, 8, 16, 16], params: 0, macs: 0, bytes: 8 * 256 * F32, rf: 3, jump: 1 },
        { name: '2', out: [1, 8, 16, 16], params: 8 * 8 * 9 + 8, macs: 8 * 16 * 16 * (8 * 9), bytes: 8 * 256 * F32, rf: 5, jump: 1 },
        { name: '3', out: [1, 8, 16, 16], params: 0, macs: 0, bytes: 8 * 256 * F32, rf: 5, jump: 1 },
        { name: '4', out: [1, 8, 8, 8], params: 0, macs: 0, bytes: 8 * 64 * F32, rf: 6, jump: 2 },
      ]);
      expect([s.totalParams, s.totalMacs, s.forwardBackwardBytes]).toEqual([808, 55_296 + 147_456, 2 * 2 * 8 * 256 * F32]);
    });
    block.dispose();
  });
});

/** n 3x3 convolutions, C channels, stride 1, pad 1, no bias. */
const stack3x3 = (n: number, c: number) => new Sequential(...Array.from({ length: n }, () => new Conv2d(c, c, 3, { padding: 1, bias: false })));

describe('receptive field of stacked convolutions against the closed form', () => {
  it.each([1, 2, 3, 4])('%i stacked 3x3 layers see 2n + 1 pixels, as one (2n+1)x(2n+1) layer, with n·9C² instead of (2n+1)²C² weights', async (n) => {
    await useBackend('js');
    const c = 4;
    const stacked = stack3x3(n, c), single = new Conv2d(c, c, 2 * n + 1, { padding: n, bias: false });
    await expectNoLeak(() => {
      const a = summary(stacked, [1, c, 12, 12], quiet), b = summary(single, [1, c, 12, 12], quiet);
      expect(a.rows.slice(1).map((r) => r.receptiveField![0])).toEqual(Array.from({ length: n }, (_, i) => 2 * (i + 1) + 1));
      expect([a.rows[0]!.receptiveField, b.rows[0]!.receptiveField]).toEqual([[2 * n + 1, 2 * n + 1], [2 * n + 1, 2 * n + 1]]);
      expect([a.totalParams, b.totalParams]).toEqual([n * 9 * c * c, (2 * n + 1) ** 2 * c * c]);
      if (n >= 2) expect(a.totalParams).toBeLessThan(b.totalParams);
    });
    stacked.dispose();
    single.dispose();
  });

  // r = 1 + Σ_i (k_eff,i - 1)·Π_{m<i} s_m and j = Π s_i, k_eff = d(k - 1) + 1.
  it.each([
    ['3x3 s2, 3x3 s2, 3x3 s1', [[3, 2, 1], [3, 2, 1], [3, 1, 1]], 1 + 2 * 1 + 2 * 2 + 2 * 4, 4],
    ['7x7 s2 then 3x3 max pool s2 (the ResNet stem)', [[7, 2, 1], [3, 2, 1, 'max']], 1 + 6 + 2 * 2, 4],
    ['3x3 dilation 2 (k_eff 5), then 3x3 dilation 4 (k_eff 9)', [[3, 1, 2], [3, 1, 4]], 1 + 4 + 8, 1],
    ['2x2 average pool s2, twice', [[2, 2, 1, 'avg'], [2, 2, 1, 'avg']], 1 + 1 + 1 * 2, 4],
  ] as const)('%s', async (_name, layers, r, j) => {
    await useBackend('js');
    const m = new Sequential(...layers.map(([k, s, d, kind]) => kind === 'max' ? new MaxPool2d(k, { stride: s, padding: 1 }) : kind === 'avg' ? new AvgPool2d(k, { stride: s })
      : new Conv2d(1, 1, k, { stride: s, dilation: d, padding: d * (k - 1) / 2 })));
    const s = summary(m, [1, 1, 32, 32], quiet);
    expect([s.rows[0]!.receptiveField, s.rows[0]!.jump]).toEqual([[r, r], [j, j]]);
    m.dispose();
  });

  it.each([
    ['non-square kernel 3x5', new Conv2d(1, 1, [3, 5]), { r: [3, 5], j: [1, 1] }],
    ['transposed 4x4 stride 2: units half a pixel apart, each from 2 inputs', new ConvTranspose2d(1, 1, 4, { stride: 2 }), { r: [2, 2], j: [0.5, 0.5] }],
    ['ReLU keeps the field', new ReLU(), INPUT_FIELD],
  ] as const)('fieldAfter: %s', (_name, m, want) => {
    expect(fieldAfter(m as AnyModule, INPUT_FIELD, [1, 1, 8, 8], [1, 1, 8, 8])).toEqual(want);
    m.dispose();
  });
});

/** A stem, then main and shortcut branches called in that order, as ResNet's BasicBlock. */
class ResidualNet extends Module {
  readonly stem = this.module('stem', new Conv2d(1, 2, 3, { padding: 1 }));
  readonly block = this.module('block', new Residual(
    new Sequential(new Conv2d(2, 2, 3, { padding: 1 }), new ReLU(), new Conv2d(2, 2, 3, { padding: 1 })), new Conv2d(2, 2, 1)));
  readonly head = this.module('head', new Conv2d(2, 2, 3, { padding: 1 }));
  forward(x: Tensor): Tensor {
    return this.head.call(this.block.call(this.stem.call(x)));
  }
}

/** GoogLeNet's inception module in miniature: 1x1, 3x3, 5x5 and pool branches, concatenated outside any module. */
class Inception extends Module {
  readonly b1 = this.module('b1', new Conv2d(2, 1, 1));
  readonly b3 = this.module('b3', new Conv2d(2, 1, 3, { padding: 1 }));
  readonly b5 = this.module('b5', new Conv2d(2, 1, 5, { padding: 2 }));
  readonly pool = this.module('pool', new Sequential(new MaxPool2d(3, { stride: 1, padding: 1 }), new Conv2d(2, 1, 1)));
  forward(x: Tensor): Tensor {
    return concat([this.b1.call(x), this.b3.call(x), this.b5.call(x), this.pool.call(x)], 1);
  }
}

describe('receptive field through branches', () => {
  it('residual: each branch from the block input (tracked by tensor), the sum as wide as its widest branch', async () => {
    await useBackend('js');
    const m = new ResidualNet();
    const s = summary(m, [1, 1, 16, 16], quiet);
    expect(s.rows.map((r) => [r.name, r.receptiveField![0]])).toEqual([
      ['', 9], ['stem', 3], ['block', 7], ['block.body', 7], ['block.body.0', 5], ['block.body.1', 5], ['block.body.2', 7],
      ['block.shortcut', 3], // 1x1 on the block input, not on the body's output
      ['head', 9],
    ]);
    m.dispose();
  });

  it('inception: branches see 1, 3, 5 and 3 pixels; the concatenation 5; a 3x3 after it 7', async () => {
    await useBackend('js');
    const m = new Sequential(new Inception(), new Conv2d(4, 1, 3, { padding: 1 }));
    const s = summary(m, [1, 2, 8, 8], quiet);
    expect(s.rows.map((r) => [r.name, r.receptiveField![0]])).toEqual([
      ['', 7], ['0', 5], ['0.b1', 1], ['0.b3', 3], ['0.b5', 5], ['0.pool', 3], ['0.pool.0', 3], ['0.pool.1', 3], ['1', 7],
    ]);
    m.dispose();
  });
});

/** Token ids -> embedding -> LSTM (which returns [output, [h, c]]) -> the last step -> logits. */
class TinyTagger extends Module {
  readonly emb = this.module('emb', new Embedding(10, 4));
  readonly lstm = this.module('lstm', new LSTM(4, 5, { batchFirst: true }));
  readonly fc = this.module('fc', new Linear(5, 2));
  forward(ids: Tensor): Tensor {
    const [out] = this.lstm.call(this.emb.call(ids));
    return this.fc.call(slice(out, [0, out.shape[1]! - 1, 0]).reshape([out.shape[0]!, 5]));
  }
}

describe('a sequence model: int32 token ids, a tuple output, no spatial axes', () => {
  it('rows take the first tensor of a tuple (as torchinfo); MACs by hand; no receptive field', async () => {
    await useBackend('js');
    const m = new TinyTagger();
    await expectNoLeak(() => {
      const s = summary(m, [2, 7], { print: false, dtype: 'int32' });
      expect(s.rows.map(brief)).toEqual([
        { name: '', out: [2, 2], params: 40 + 220 + 12, macs: 0, bytes: 4 * F32, rf: null, jump: null },
        { name: 'emb', out: [2, 7, 4], params: 40, macs: 0, bytes: 56 * F32, rf: null, jump: null },
        // 14 steps of 4 gates · 5 · (4 inputs + 5 hidden); parameters 20·4 + 20·5 + 2·20.
        { name: 'lstm', out: [2, 7, 5], params: 220, macs: 14 * 4 * 5 * 9, bytes: 70 * F32, rf: null, jump: null },
        { name: 'fc', out: [2, 2], params: 12, macs: 2 * 5 * 2, bytes: 4 * F32, rf: null, jump: null },
      ]);
      expect(s.inputBytes).toBe(14 * 4);
    });
    m.dispose();
  });
});

describe('frozen parameters', () => {
  it('a frozen submodule counts as non-trainable, in its rows and the totals; the table shows them in parentheses', async () => {
    await useBackend('js');
    const m = lenet5Classic();
    m.getSubmodule('features').requiresGrad_(false);
    m.getParameter('classifier.4.bias').requiresGrad_(false);
    const s = summary(m, [1, 1, 28, 28], quiet);
    const frozen = 156 + 2_416 + 10;
    expect([s.totalParams, s.trainableParams, s.nonTrainableParams]).toEqual([61_706, 61_706 - frozen, frozen]);
    const row = (name: string) => s.rows.find((r) => r.name === name)!;
    expect([row('features.0'), row('features.3'), row('classifier.0'), row('classifier.4')].map((r) => [r.trainableParams, r.frozenParams])).toEqual([
      [0, 156], [0, 2_416], [48_120, 0], [840, 10],
    ]);
    const line = (cls: string, n: string) => s.table.split('\n').find((l) => l.includes(`${cls} (${n})`) && l.includes(cls === 'Conv2d' ? '' : '[1, 10]'))!;
    expect(line('Conv2d', '0')).toMatch(/\(156\)\s+False/);
    expect(line('Linear', '4')).toMatch(/850\s+Partial/);
    expect(s.table).toContain('Non-trainable params: 2,582');
    m.dispose();
  });
});

describe('MACs per layer type (worked by hand)', () => {
  it.each([
    ['Linear on [2, 5, 4] (every leading row)', () => new Linear(4, 3), [[2, 5, 4]], [2, 5, 3], 2 * 5 * 3 * 4],
    ['Conv2d groups 2: C_in/groups per output', () => new Conv2d(4, 8, 3, { groups: 2 }), [[1, 4, 5, 5]], [1, 8, 3, 3], 8 * 9 * 2 * 9],
    ['Conv2d dilation 2: the taps count, not their spread', () => new Conv2d(2, 2, 3, { dilation: 2 }), [[1, 2, 7, 7]], [1, 2, 3, 3], 2 * 9 * 2 * 9],
    ['ConvTranspose2d 4x4 s2: each input scatters into C_out·16', () => new ConvTranspose2d(4, 2, 4, { stride: 2, padding: 1 }), [[1, 4, 3, 3]], [1, 2, 6, 6], 36 * 2 * 16],
    ['BatchNorm2d: one scale-and-shift per element', () => new BatchNorm2d(3), [[2, 3, 4, 4]], [2, 3, 4, 4], 96],
    ['ReLU, max pool: none', () => new ReLU(), [[2, 3]], [2, 3], 0],
    ['LSTM 3→5 on [T 7, N 2, 3]: 14 steps of 4·5·(3 + 5)', () => new LSTM(3, 5), [[7, 2, 3]], [7, 2, 5], 14 * 4 * 5 * 8],
    ['GRU 3→5, 2 layers, bidirectional, on [4, 1, 3]', () => new GRU(3, 5, { numLayers: 2, bidirectional: true }), [[4, 1, 3]], [4, 1, 10], 4 * (2 * 3 * 5 * (3 + 5) + 2 * 3 * 5 * (10 + 5))],
    ['MultiheadAttention E 8 on L 3, N 1: 4 projections L·E², scores and sum L²·E each', () => new MultiheadAttention(8, 2), [[3, 1, 8], [3, 1, 8], [3, 1, 8]], [3, 1, 8], 4 * 3 * 64 + 2 * 9 * 8],
  ] as const)('%s', async (_name, make, inputs, output, want) => {
    await useBackend('js');
    const m: AnyModule = make();
    expect(layerMacs(m, { inputs: inputs.map((s) => [...s]), output: [...output] })).toBe(want);
    m.dispose();
  });

  it.each([
    ['Conv2d: (weights + bias)·N·H·W', () => new Conv2d(1, 6, 5), [2, 6, 24, 24], 156 * 2 * 24 * 24],
    ['Linear: (weights + bias)·N', () => new Linear(4, 3), [5, 3], 15 * 5],
    ['BatchNorm2d: 2C·N', () => new BatchNorm2d(3), [2, 3, 4, 4], 6 * 2],
    ['LSTM: every weight and bias · T·N', () => new LSTM(3, 5), [7, 2, 5], (4 * 5 * 3 + 4 * 5 * 5 + 2 * 4 * 5) * 14],
  ] as const)('torchinfo\'s mult-adds: %s', async (_name, make, output, want) => {
    await useBackend('js');
    const m: AnyModule = make();
    expect(torchinfoMultAdds(m, [...output])).toBe(want);
    m.dispose();
  });
});

describe('the model and memory after a summary', () => {
  it('no tensor left, hooks gone, train/eval modes restored', async () => {
    await useBackend('js');
    const m = lenet5Classic();
    m.train();
    m.getSubmodule('classifier').eval();
    const before = memory().tensors;
    const a = summary(m, [1, 1, 28, 28], quiet);
    expect(memory().tensors).toBe(before);
    expect(m.modules().map((x) => x.training)).toEqual([true, true, true, true, true, true, true, true, false, false, false, false, false, false]);
    const b = summary(m, [1, 1, 28, 28], quiet);
    expect(b.rows.length).toBe(a.rows.length); // the first summary's hooks did not stay to add rows
    m.dispose();
  });
});

describe('bad input', () => {
  it.each([
    ['an empty shape', [], ArgumentError, 'summary: inputShape must be a non-empty array of positive integers, batch first (e.g. [1, 3, 224, 224]), got []'],
    ['a zero dimension', [0, 1, 28, 28], ArgumentError, 'got [0, 1, 28, 28]'],
    ['a fraction', [1, 1.5], ArgumentError, 'got [1, 1.5]'],
    ['not an array', 'big' as unknown as number[], ArgumentError, 'summary: inputShape must be a non-empty array of positive integers, batch first (e.g. [1, 3, 224, 224]), got big'],
    ['a shape the model cannot take (no channel axis)', [1, 28, 28], ShapeError, 'summary: LeNet5 cannot run on an input of inputShape [1, 28, 28] (float32): lenet5Classic: x must be [N,1,28,28]'],
    ['the wrong channel count', [1, 3, 28, 28], ShapeError, 'summary: LeNet5 cannot run on an input of inputShape [1, 3, 28, 28] (float32): lenet5Classic: x must be [N,1,28,28] (padding 2), got [1,3,28,28]'],
    ['int32 ids for a model of float images', [1, 1, 28, 28], DTypeError, 'summary: LeNet5 cannot run on an input of inputShape [1, 1, 28, 28] (int32): '],
  ] as const)('%s: a typed error naming summary, the argument and the shape; nothing leaks, no hook stays', async (_name, shape, type, message) => {
    await useBackend('js');
    const m = lenet5Classic();
    await expectNoLeak(() => {
      const attempt = () => summary(m, shape as number[], { print: false, dtype: type === DTypeError ? 'int32' : 'float32' });
      expect(attempt).toThrow(type);
      expect(attempt).toThrow(message);
    });
    expect(m.training).toBe(true);
    expect(summary(m, [1, 1, 28, 28], quiet).rows.length).toBe(14);
    m.dispose();
  });

  it('a bad dtype or print option', async () => {
    await useBackend('js');
    const m = new ReLU();
    expect(() => summary(m, [1], { dtype: 'int8' as 'int32', print: false })).toThrow("summary: dtype must be 'float32' or 'int32', got int8");
    expect(() => summary(m, [1], { print: 1 as unknown as boolean })).toThrow('summary: print must be a boolean or a function, got number');
  });
});
