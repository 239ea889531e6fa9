// Weights trained in PyTorch load as-is: fixtures/pytorch_weights.py built narrow ResNets from
// torchvision's own BasicBlock and Bottleneck and a LeNet-5, trained them 3 SGD steps (so
// BatchNorm's running statistics are non-trivial) and wrote their safetensors with an input and
// PyTorch's eval-mode output. Tensile loads them strictly and reproduces the output within 1e-4
// (max abs) on every backend.
import { dispose, type Tensor } from '@tensile/core';
import { loadSafetensors, loadWeights, type AnyModule } from '@tensile/layers';
import { describe, expect, it } from 'vitest';
import { lenet5Classic, resnet } from '../src/index.js';
import { BACKENDS, expectNoLeak, fixtureBytes, maxAbsDiff, use } from './vision_helpers.js';

const CASES: [string, () => AnyModule][] = [
  ['resnet_basic', () => resnet({ block: 'basic', layers: [1, 1, 1, 1], widths: [8, 16, 32, 64], numClasses: 10, inChannels: 3, skipInit: true })],
  ['resnet_bottleneck', () => resnet({ block: 'bottleneck', layers: [1, 1, 1, 1], widths: [4, 8, 16, 32], numClasses: 10, inChannels: 1, skipInit: true })],
  ['lenet5_classic', () => lenet5Classic({ numClasses: 10 })],
];

describe.each(BACKENDS)('vision zoo on %s: PyTorch weights', (backend) => {
  it.each(CASES)('%s: loads strictly and reproduces PyTorch\'s eval output within 1e-4', async (name, build) => {
    await use(backend);
    await expectNoLeak(() => {
      const model = build();
      const result = loadWeights(model, fixtureBytes(`${name}.safetensors`));
      expect(result).toEqual({ missingKeys: [], unexpectedKeys: [] });
      if (name.startsWith('resnet')) {
        // The running statistics arrived: not the initial 0 / 1, and 3 batches tracked.
        const stats = model.getSubmodule('layer1.0.bn1').stateDict();
        expect(Array.from(stats.running_mean!.dataSync()).some((v) => v !== 0)).toBe(true);
        expect(Array.from(stats.running_var!.dataSync()).some((v) => v !== 1)).toBe(true);
        expect(stats.num_batches_tracked!.dataSync()[0]).toBe(3);
        dispose(stats);
      }
      const io = loadSafetensors(fixtureBytes(`${name}_io.safetensors`));
      model.eval();
      const y = model.call(io.input!) as Tensor;
      expect(maxAbsDiff(y, io.output!)).toBeLessThan(1e-4);
      dispose([y, ...Object.values(io)]);
      model.dispose();
    });
  });
});
