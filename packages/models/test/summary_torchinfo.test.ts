// summary() against torchinfo 1.8 on the same architectures (fixtures/torchinfo_reference.py
// and its committed output): every row's class, depth, output shape, parameters, output bytes
// and (for leaves) mult-adds, and the totals torchinfo prints.
import { readFileSync } from 'node:fs';
import { type Tensor } from '@tensile/core';
import { AdaptiveAvgPool2d, BatchNorm2d, Conv2d, Dropout, Linear, MaxPool2d, Module, ReLU, Sequential, type AnyModule, type TensorModule } from '@tensile/layers';
import { describe, expect, it } from 'vitest';
import { alexnet, lenet5Classic, resnet18, summary, type ModelSummary } from '../src/index.js';
import { useBackend } from './helpers.js';

interface TorchinfoRow {
  class: string; var_name: string; depth: number; leaf: boolean; recursive: boolean; output_size: number[];
  num_params: number; trainable_params: number; output_bytes: number; mult_adds: number;
}
interface TorchinfoModel {
  input_size: number[]; rows: TorchinfoRow[]; total_params: number; trainable_params: number; total_mult_adds: number;
  input_bytes: number; forward_backward_bytes: number; params_bytes: number;
}
const reference = JSON.parse(readFileSync(new URL('../fixtures/torchinfo_reference.json', import.meta.url), 'utf8')) as Record<string, TorchinfoModel>;

/** torchvision's VGG features from the reduced cfg [8, M, 16, 16, M] with BatchNorm, as in the script. */
function smallVggFeatures(): Sequential {
  const layers: TensorModule[] = [];
  let c = 3;
  for (const v of [8, 'M', 16, 16, 'M'] as const) {
    if (v === 'M') layers.push(new MaxPool2d(2, { stride: 2 }));
    else {
      layers.push(new Conv2d(c, v, 3, { padding: 1 }), new BatchNorm2d(v), new ReLU());
      c = v;
    }
  }
  return new Sequential(...layers);
}

/** torchvision's VGG class around those features: adaptive pooling to 2x2 and a 3-layer classifier. */
class SmallVGG extends Module {
  readonly features = this.module('features', smallVggFeatures());
  readonly avgpool = this.module('avgpool', new AdaptiveAvgPool2d([2, 2]));
  readonly classifier = this.module('classifier', new Sequential(
    new Linear(64, 32), new ReLU(), new Dropout(0.5), new Linear(32, 32), new ReLU(), new Dropout(0.5), new Linear(32, 10)));
  forward(x: Tensor): Tensor {
    const y = this.avgpool.call(this.features.call(x));
    return this.classifier.call(y.reshape([y.shape[0]!, -1]));
  }
}

/** Our summary in torchinfo's terms, row by row. */
function asTorchinfo(s: ModelSummary) {
  return s.rows.map((r) => ({
    class: r.className, var_name: r.depth === 0 ? r.className : r.name.slice(r.name.lastIndexOf('.') + 1), depth: r.depth, leaf: r.leaf, recursive: r.recursive,
    output_size: r.outputShape, num_params: r.params, trainable_params: r.trainableParams, output_bytes: r.outputBytes, mult_adds: r.leaf ? r.multAdds : null,
  }));
}

function expectTorchinfoAgreement(ours: ModelSummary, ref: TorchinfoModel, refRows = ref.rows): void {
  expect(ours.inputShape).toEqual(ref.input_size);
  expect(asTorchinfo(ours)).toEqual(refRows.map((r) => ({ ...r, mult_adds: r.leaf ? r.mult_adds : null })));
  expect({
    total: ours.totalParams, trainable: ours.trainableParams, multAdds: ours.totalMultAdds, fwdBwd: ours.forwardBackwardBytes, params: ours.paramsBytes,
    // torchinfo's input size is sys.getsizeof of the storage (a few bytes of Python overhead); it prints MB with 2 decimals.
    inputMB: (ours.inputBytes / 1e6).toFixed(2),
  }).toEqual({
    total: ref.total_params, trainable: ref.trainable_params, multAdds: ref.total_mult_adds, fwdBwd: ref.forward_backward_bytes, params: ref.params_bytes,
    inputMB: (ref.input_bytes / 1e6).toFixed(2),
  });
  expect(ref.input_bytes - ours.inputBytes).toBeGreaterThanOrEqual(0);
  expect(ref.input_bytes - ours.inputBytes).toBeLessThan(128);
}

describe('agreement with torchinfo 1.8 (committed reference output)', () => {
  it.each([
    ['lenet5_classic', 'js', () => lenet5Classic()],
    ['small_vgg_bn', 'js', () => new SmallVGG()],
    // 0.7 G multiply-accumulates: wasm; the values do not matter to the table, so none are drawn.
    ['alexnet', 'wasm', () => alexnet({ skipInit: true })],
  ] as const)('%s: every row and the totals', async (key, backend, build) => {
    await useBackend(backend);
    const m: AnyModule = build();
    const ref = reference[key]!;
    expectTorchinfoAgreement(summary(m, ref.input_size, { print: false }), ref);
    m.dispose();
  });
});

describe('agreement with torchinfo 1.8 on torchvision resnet18 (1000 classes, [1, 3, 224, 224])', () => {
  it('11,689,512 parameters, 1.81 G mult-adds, the same sizes, and the same rows', async () => {
    await useBackend('wasm'); // 1.8 G multiply-accumulates: seconds on wasm, far longer on js
    const m = resnet18({ skipInit: true }); // values do not matter to the table; drawing them costs seconds
    const ref = reference.resnet18!;
    // torchvision's blocks call their `relu` module a second time after the residual sum, and so
    // do the zoo's: torchinfo's "(recursive)" ReLU rows appear here too, one per BasicBlock.
    const rows = ref.rows;
    expect(rows.filter((r) => r.recursive && r.class === 'ReLU')).toHaveLength(8);
    const s = summary(m, ref.input_size, { print: false });
    expectTorchinfoAgreement(s, ref, rows);
    expect(s.totalParams).toBe(11_689_512);
    // Receptive field by hand: stem 7x7 s2 (r 7, j 2), max pool 3 s2 (11, j 4), layer1 4 convs
    // (+2·4 each: 43), layer2 (+2·4 then j 8, 3 × +16: 99), layer3 (+16, j 16, 3 × +32: 211),
    // layer4 (+32, j 32, 3 × +64: 435).
    const field = (name: string) => { const r = s.rows.find((x) => x.name === name)!; return [r.receptiveField![0], r.jump![0]]; };
    expect(['maxpool', 'layer1', 'layer2', 'layer3', 'layer4', 'layer4.1.bn2'].map(field)).toEqual([[11, 4], [43, 4], [99, 8], [211, 16], [435, 32], [435, 32]]);
    m.dispose();
  }, 120_000);
});
