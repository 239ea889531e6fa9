// Acceptance test of the vision zoo: every state dict is torchvision's, key for key, in the same
// order, with the same shapes, and the parameter counts are torchvision's (fixtures/torchvision_keys.py
// wrote the expected lists from torchvision 0.29 at 1000 classes, 3x224x224).
import { describe, expect, it } from 'vitest';
import { dispose, randn } from '@tensile/core';
import type { AnyModule } from '@tensile/layers';
import { alexnet, googlenet, resnet, resnet18, resnet34, resnet50, vgg11, vgg11Bn, vgg16, vgg16Bn } from '../src/index.js';
import { expectNoLeak, fixtureJson, use } from './vision_helpers.js';

interface TorchModel {
  keys: [string, number[], string][];
  numParameters: number;
  outputShape: number[];
}
const torch = fixtureJson<{ torchvision: string; models: Record<string, TorchModel> }>('torchvision_keys.json');

// skipInit: zeros instead of 600M random draws; the layout does not depend on the values.
const CASES: [string, () => AnyModule, number][] = [
  ['alexnet', () => alexnet({ skipInit: true }), 61_100_840],
  ['vgg11', () => vgg11({ skipInit: true }), 132_863_336],
  ['vgg11_bn', () => vgg11Bn({ skipInit: true }), 132_868_840],
  ['vgg16', () => vgg16({ skipInit: true }), 138_357_544],
  ['vgg16_bn', () => vgg16Bn({ skipInit: true }), 138_365_992],
  ['googlenet', () => googlenet({ skipInit: true }), 6_624_904],
  ['googlenet_aux', () => googlenet({ skipInit: true, auxLogits: true }), 13_004_888],
  ['resnet18', () => resnet18({ skipInit: true }), 11_689_512],
  ['resnet34', () => resnet34({ skipInit: true }), 21_797_672],
  ['resnet50', () => resnet50({ skipInit: true }), 25_557_032],
];

// torch stores num_batches_tracked as int64; Tensile's integer dtype is int32 (safetensors I64 loads into it).
const tensileDType = (torchDType: string): string => (torchDType === 'int64' ? 'int32' : torchDType);

describe('vision zoo: state dicts are torchvision\'s', () => {
  it('the fixture comes from torchvision 0.29 and holds every model', () => {
    expect(torch.torchvision).toMatch(/^0\.29\./);
    expect(Object.keys(torch.models).sort()).toEqual(CASES.map(([n]) => n).sort());
  });

  it.each(CASES)('%s: keys in torchvision\'s order, shapes, dtypes and the parameter count', async (name, build, published) => {
    await use('js');
    const want = torch.models[name]!;
    expect(want.numParameters).toBe(published);
    await expectNoLeak(() => {
      const model = build();
      const sd = model.stateDict();
      const got = Object.entries(sd).map(([k, t]) => [k, t.shape, t.dtype]);
      expect(got).toEqual(want.keys.map(([k, s, d]) => [k, s, tensileDType(d)]));
      expect(model.numParameters()).toBe(published);
      dispose(sd);
      model.dispose();
    });
  });

  it('num_batches_tracked is a scalar (shape [], as torch\'s) counting training batches, and eval leaves it', async () => {
    await use('js');
    await expectNoLeak(() => {
      const model = resnet({ block: 'basic', layers: [1, 1, 1, 1], widths: [2, 2, 2, 2], numClasses: 3, seed: 0 });
      const x = randn([2, 3, 16, 16], { seed: 1 });
      const counts = (): number[] => model.namedBuffers().filter(([k]) => k.endsWith('num_batches_tracked')).map(([, b]) => {
        expect([b.shape, b.dtype]).toEqual([[], 'int32']);
        return b.dataSync()[0]!;
      });
      expect(counts()).toEqual(Array(12).fill(0));
      dispose([model.call(x), model.call(x)]);
      expect(counts()).toEqual(Array(12).fill(2));
      model.eval();
      dispose(model.call(x));
      expect(counts()).toEqual(Array(12).fill(2));
      dispose(x);
      model.dispose();
    });
  });
});
