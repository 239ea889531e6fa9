// A forward pass of every vision model, batch 1, on every backend, compared with torchvision's
// output for the same weights, with nothing leaked; bad inputs get ShapeErrors naming the model,
// x and its shape. The weights come from a formula both sides compute exactly (formula_weights.ts,
// fixtures/torchvision_outputs.py), so the whole architecture is checked without shipping weights.
// Every model runs at its native 3x224x224 on both backends but vgg16Bn, which runs at 64x64:
// vgg16 already covers its convolutions at 224 and vgg11Bn its BatchNorms (the name of each test
// says the size).
import { ShapeError, dispose, randn, zeros, type Tensor } from '@tensile/core';
import type { AnyModule } from '@tensile/layers';
import { describe, expect, it } from 'vitest';
import { alexnet, googlenet, resnet, resnet18, resnet34, resnet50, vgg11, vgg11Bn, vgg16, vgg16Bn } from '../src/index.js';
import { formulaInput, setFormulaWeights } from './formula_weights.js';
import { expectNoLeak, fixtureJson, use, type BackendName } from './vision_helpers.js';

interface Case {
  name: string;
  /** Its name in torchvision_outputs.json. */
  torch: string;
  build: () => AnyModule;
  /** The smallest height and width the architecture takes (torchvision's min_size). */
  minSize: number;
  /** The input side on each backend. */
  size: Record<BackendName, number>;
}

const CASES: Case[] = [
  { name: 'alexnet', torch: 'alexnet', build: () => alexnet({ skipInit: true }), minSize: 63, size: { js: 224, wasm: 224 } },
  { name: 'vgg11', torch: 'vgg11', build: () => vgg11({ skipInit: true }), minSize: 32, size: { js: 224, wasm: 224 } },
  { name: 'vgg11Bn', torch: 'vgg11_bn', build: () => vgg11Bn({ skipInit: true }), minSize: 32, size: { js: 224, wasm: 224 } },
  { name: 'vgg16', torch: 'vgg16', build: () => vgg16({ skipInit: true }), minSize: 32, size: { js: 224, wasm: 224 } },
  // vgg16 without BN already runs the 224 pass; the BN variant adds only BatchNorm, so 64 keeps the suite's time in budget.
  { name: 'vgg16Bn', torch: 'vgg16_bn', build: () => vgg16Bn({ skipInit: true }), minSize: 32, size: { js: 64, wasm: 64 } },
  { name: 'googlenet', torch: 'googlenet', build: () => googlenet({ skipInit: true }), minSize: 15, size: { js: 224, wasm: 224 } },
  { name: 'resnet18', torch: 'resnet18', build: () => resnet18({ skipInit: true }), minSize: 1, size: { js: 224, wasm: 224 } },
  { name: 'resnet34', torch: 'resnet34', build: () => resnet34({ skipInit: true }), minSize: 1, size: { js: 224, wasm: 224 } },
  { name: 'resnet50', torch: 'resnet50', build: () => resnet50({ skipInit: true }), minSize: 1, size: { js: 224, wasm: 224 } },
];

interface TorchRun {
  first100: number[];
  sumSquares: number;
}
const torch = fixtureJson<{ models: Record<string, Record<string, TorchRun>> }>('torchvision_outputs.json');

const esc = (s: string): string => s.replace(/[[\]]/g, '\\$&');

describe.each(['wasm', 'js'] as const)('vision zoo on %s: forward passes match torchvision', (backend) => {
  it.each(CASES.map((c) => [`${c.name}: [1, 3, ${c.size[backend]}, ${c.size[backend]}] -> [1, 1000] in eval mode; bad inputs throw`, c] as const))(
    '%s', async (_title, c) => {
      await use(backend);
      const s = c.size[backend];
      const want = torch.models[c.torch]![String(s)]!;
      await expectNoLeak(() => {
        const model = c.build().eval();
        setFormulaWeights(model);
        const x = formulaInput(s);
        const y = model.call(x) as Tensor;
        expect(y.shape).toEqual([1, 1000]);
        const got = Array.from(y.dataSync());
        // float32 sums in another order: relative 1e-4 of the largest logit (|y| up to 300 for resnet34).
        const scale = Math.max(...want.first100.map(Math.abs));
        for (let i = 0; i < 100; i++) {
          if (Math.abs(got[i]! - want.first100[i]!) > 1e-4 * scale) expect.fail(`logit ${i}: ${got[i]} vs torchvision's ${want.first100[i]} (scale ${scale})`);
        }
        const sumSquares = got.reduce((a, v) => a + v * v, 0);
        expect(Math.abs(sumSquares / want.sumSquares - 1)).toBeLessThan(1e-4);
        const bad: [number[], RegExp][] = [
          [[1, 1, s, s], new RegExp(`^${c.name}: x ${esc(`[1,1,${s},${s}]`)} has 1 channels but the model was built with inChannels = 3`)],
          [[3, s, s], new RegExp(`^${c.name}: x must be a batch of images \\[N, 3, H, W\\], got ${esc(`[3,${s},${s}]`)}`)],
        ];
        if (c.minSize > 1) {
          const m = c.minSize - 1;
          bad.push([[1, 3, m, m + 1], new RegExp(`^${c.name}: x ${esc(`[1,3,${m},${m + 1}]`)} is ${m}x${m + 1}, smaller than the ${c.minSize}x${c.minSize} minimum`)]);
        }
        for (const [shape, message] of bad) {
          const b = zeros(shape);
          expect(() => model.call(b)).toThrow(ShapeError);
          expect(() => model.call(b)).toThrow(message);
          b.dispose();
        }
        dispose([x, y]);
        model.dispose();
      });
    }, 60_000);
});

describe('vision zoo: the same seeded weights give the same outputs on js and wasm', () => {
  // googlenet in training mode with dropout 0: its N(0, 0.01^2) weights need batch statistics to carry the signal.
  const seeded: [string, () => AnyModule, number][] = [
    ['googlenet (training mode)', () => googlenet({ numClasses: 10, dropout: 0, seed: 3 }).train(), 15],
    ['narrow resnet, bottlenecks, 1 channel', () => resnet({ block: 'bottleneck', layers: [1, 2, 1, 1], widths: [8, 8, 16, 16], numClasses: 10, inChannels: 1, seed: 4 }).eval(), 28],
  ];
  it.each(seeded)('%s', async (name, build, size) => {
    await expectNoLeak(async () => {
      const out: number[][] = [];
      for (const backend of ['js', 'wasm'] as const) {
        await use(backend);
        const model = build();
        const x = randn([2, model.namedParameters()[0]![1].shape[1]!, size, size], { seed: 9 });
        const y = model.call(x) as Tensor;
        expect(y.shape).toEqual([2, 10]);
        out.push(Array.from(y.dataSync()));
        dispose([x, y]);
        model.dispose();
      }
      // Normal draws agree within 1e-5 across backends (core's Philox spec), and the kernels within float32 rounding.
      const [js, wasm] = out as [number[], number[]];
      const scale = Math.max(...js.map(Math.abs));
      // The inputs reach the logits: the two samples' outputs differ.
      expect(Math.max(...js.slice(0, 10).map((v, i) => Math.abs(v - js[10 + i]!)))).toBeGreaterThan(1e-3 * scale);
      for (let i = 0; i < js.length; i++) expect(Math.abs(js[i]! - wasm[i]!)).toBeLessThan(1e-3 * scale + 1e-5);
    });
  }, 60_000);
});
