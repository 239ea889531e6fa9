// DCGAN against PyTorch's DCGAN tutorial (fixtures/gen_dcgan.py, committed output): the same
// state-dict keys, shapes and parameter counts, PyTorch-trained weights reproducing PyTorch's
// eval outputs, the tutorial's initialisation, shapes, training steps and input errors.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ArgumentError, DTypeError, ShapeError, dispose, full, mean, noGrad, ones, randn, sqrt, square, tidy, zeros, type Tensor } from '@tensile/core';
import { BatchNorm2d, ConvTranspose2d, loadSafetensors, loadWeights } from '@tensile/layers';
import { bceWithLogits } from '@tensile/layers/functional';
import { beforeAll, describe, expect, it } from 'vitest';
import { DcganDiscriminator, DcganGenerator, dcganDiscriminator, dcganGenerator, dcganInit, dcganPlan } from '../src/index.js';
import { BACKENDS, adamSteps, expectAllClose, expectNoLeak, use } from './seqgen_helpers.js';


const dir = fileURLToPath(new URL('./fixtures/dcgan/', import.meta.url));
interface KeyList { keys: [string, number[]][]; parameters: number }
const ref = JSON.parse(readFileSync(`${dir}keys.json`, 'utf8')) as Record<'tutorial_generator' | 'tutorial_discriminator' | 'g64' | 'd64' | 'g28' | 'd28', KeyList> & { config: { nz: number; ngf: number; ndf: number } };
const { nz, ngf, ndf } = ref.config;

const keysOf = (m: DcganGenerator | DcganDiscriminator): [string, number[]][] => {
  const sd = m.stateDict();
  const out = Object.entries(sd).map(([k, t]): [string, number[]] => [k, t.shape]);
  dispose(sd);
  return out;
};

beforeAll(() => use('js'));

describe('DCGAN state dicts are the PyTorch tutorial\'s', () => {
  it.each([
    { what: 'generator, tutorial size (nz 100, ngf 64, 3x64x64)', make: () => dcganGenerator(), want: ref.tutorial_generator, params: 3_576_704 },
    { what: 'discriminator, tutorial size (ndf 64, 3x64x64)', make: () => dcganDiscriminator(), want: ref.tutorial_discriminator, params: 2_765_568 },
    { what: 'generator g64', make: () => dcganGenerator({ latentDim: nz, width: ngf }), want: ref.g64, params: ref.g64.parameters },
    { what: 'discriminator d64', make: () => dcganDiscriminator({ width: ndf }), want: ref.d64, params: ref.d64.parameters },
    { what: 'generator g28', make: () => dcganGenerator({ latentDim: nz, width: ngf, channels: 1, imageSize: 28 }), want: ref.g28, params: ref.g28.parameters },
    { what: 'discriminator d28', make: () => dcganDiscriminator({ width: ndf, channels: 1, imageSize: 28 }), want: ref.d28, params: ref.d28.parameters },
  ])('$what: keys, order, shapes and parameter count', async ({ make, want, params }) => {
    await expectNoLeak(() => {
      const m = make();
      expect(keysOf(m)).toEqual(want.keys);
      expect(m.numParameters()).toBe(params);
      expect(want.parameters).toBe(params);
      m.dispose();
    });
  });
});

describe.each(BACKENDS)('PyTorch weights reproduce PyTorch\'s eval outputs on %s', (backend) => {
  beforeAll(() => use(backend));
  it.each([
    { name: 'g64', make: () => dcganGenerator({ latentDim: nz, width: ngf }) },
    { name: 'd64', make: () => dcganDiscriminator({ width: ndf }) },
    { name: 'g28', make: () => dcganGenerator({ latentDim: nz, width: ngf, channels: 1, imageSize: 28 }) },
    { name: 'd28', make: () => dcganDiscriminator({ width: ndf, channels: 1, imageSize: 28 }) },
  ])('$name within 1e-4', async ({ name, make }) => {
    await expectNoLeak(() => {
      const m = make();
      loadWeights(m, readFileSync(`${dir}${name}.weights.safetensors`));
      const bn = m.modules().find((x) => x instanceof BatchNorm2d) as BatchNorm2d;
      // The fixture's running statistics are not the defaults (0 and 1): eval really uses them.
      expect(Array.from(bn.runningMean!.dataSync()).some((v) => Math.abs(v) > 1e-3)).toBe(true);
      const io = loadSafetensors(readFileSync(`${dir}${name}.io.safetensors`));
      m.eval();
      const y = m.call(io.input!);
      expect(y.shape).toEqual(io.output!.shape);
      expectAllClose(y.dataSync(), io.output!.dataSync(), 1e-4, name);
      dispose([y, ...Object.values(io)]);
      m.dispose();
    });
  });
});

describe('layout', () => {
  beforeAll(() => use('js'));

  it.each([
    { size: 64, base: 4, stages: 4 }, { size: 32, base: 4, stages: 3 }, { size: 28, base: 7, stages: 2 },
    { size: 16, base: 4, stages: 2 }, { size: 8, base: 4, stages: 1 }, { size: 6, base: 3, stages: 1 }, { size: 96, base: 3, stages: 5 },
  ])('imageSize $size = $base x 2^$stages', ({ size, base, stages }) => {
    expect(dcganPlan('m', size)).toEqual({ base, stages });
  });

  it.each([
    { channels: 1, size: 28, latent: 16, width: 4 }, { channels: 3, size: 32, latent: 10, width: 2 }, { channels: 3, size: 64, latent: 8, width: 2 },
  ])('generator z [2, $latent] -> [2, $channels, $size, $size] in (-1, 1); discriminator -> [2]', async ({ channels, size, latent, width }) => {
    await expectNoLeak(() => {
      const g = dcganGenerator({ latentDim: latent, width, channels, imageSize: size, seed: 1 });
      const d = dcganDiscriminator({ width, channels, imageSize: size, seed: 2 });
      const z = randn([2, latent], { seed: 3 });
      const img = g.call(z);
      expect(img.shape).toEqual([2, channels, size, size]);
      expect(Array.from(img.dataSync()).every((v) => v > -1 && v < 1)).toBe(true);
      // [N, latent, 1, 1] is accepted too, with the same result.
      const z4 = z.reshape([2, latent, 1, 1]);
      const img4 = g.call(z4);
      expect(Array.from(img4.dataSync())).toEqual(Array.from(img.dataSync()));
      const p = d.call(img);
      expect(p.shape).toEqual([2]);
      expect(Array.from(p.dataSync()).every((v) => v > 0 && v < 1)).toBe(true);
      dispose([z, z4, img, img4, p]);
      g.dispose();
      d.dispose();
    });
  });

  it('dcganInit: convolutions N(0, 0.02), BatchNorm weights N(1, 0.02) and biases 0, reproducible by seed', async () => {
    await expectNoLeak(() => {
      const g = dcganGenerator({ width: 16, seed: 5 });
      const conv = g.main.at(3) as ConvTranspose2d; // 128 -> 64, 4x4: 131,072 weights
      const bn = g.main.at(1) as BatchNorm2d; // 128 features
      const stats = (t: Tensor): [number, number] => {
        const [m, s] = tidy(() => {
          const m = mean(t);
          return [m, sqrt(mean(square(t.sub(m))))];
        });
        const out: [number, number] = [m!.dataSync()[0]!, s!.dataSync()[0]!];
        dispose([m!, s!]);
        return out;
      };
      const [cm, cs] = stats(conv.weight);
      expect(Math.abs(cm)).toBeLessThan(0.0005); // standard error 0.02 / sqrt(131072) = 5.5e-5
      expect(cs).toBeCloseTo(0.02, 3);
      const [bm, bs] = stats(bn.weight!);
      expect(Math.abs(bm - 1)).toBeLessThan(0.008); // standard error 0.02 / sqrt(128) = 1.8e-3
      expect(bs).toBeGreaterThan(0.015);
      expect(bs).toBeLessThan(0.025);
      expect(Array.from(bn.bias!.dataSync()).every((v) => v === 0)).toBe(true);
      const again = dcganGenerator({ width: 16, seed: 5 });
      expect(Array.from((again.main.at(0) as ConvTranspose2d).weight.dataSync())).toEqual(Array.from((g.main.at(0) as ConvTranspose2d).weight.dataSync()));
      // Re-initialising an existing model draws the same values for the same seed.
      dcganInit(again, 5);
      expect(Array.from((again.main.at(3) as ConvTranspose2d).weight.dataSync())).toEqual(Array.from(conv.weight.dataSync()));
      g.dispose();
      again.dispose();
    });
  });
});

describe('training steps on a fixed batch', () => {
  beforeAll(() => use('js'));
  const cfg = { width: 4, channels: 1, imageSize: 28 };

  it('the discriminator learns to tell a fixed real batch from fixed fakes', async () => {
    await expectNoLeak(() => {
      const g = dcganGenerator({ ...cfg, latentDim: 8, seed: 1 });
      const d = dcganDiscriminator({ ...cfg, sigmoid: false, seed: 2 });
      const z = randn([8, 8], { seed: 3 });
      const fake = noGrad(() => g.call(z));
      const real = tidy(() => randn([8, 1, 28, 28], { seed: 4, mean: 0.5, std: 0.2 }).clip(-1, 1));
      const [one, zero] = [ones([8]), zeros([8])];
      const losses = adamSteps(d, () => bceWithLogits(d.call(real), one).add(bceWithLogits(d.call(fake), zero)), 6, 2e-3);
      expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.7);
      dispose([z, fake, real, one, zero]);
      g.dispose();
      d.dispose();
    });
  });

  it('the generator learns to fool a fixed discriminator', async () => {
    await expectNoLeak(() => {
      const g = dcganGenerator({ ...cfg, latentDim: 8, seed: 1 });
      // Frozen, in training mode: BatchNorm normalises with the batch's statistics, as in a GAN's generator step.
      const d = dcganDiscriminator({ ...cfg, sigmoid: false, seed: 2 }).requiresGrad_(false);
      const z = randn([8, 8], { seed: 3 });
      const one = ones([8]);
      const losses = adamSteps(g, () => bceWithLogits(d.call(g.call(z)), one), 6, 5e-3);
      expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.8); // 0.693 -> 0.387 measured
      dispose([z, one]);
      g.dispose();
      d.dispose();
    });
  });
});

describe('bad inputs name the model, the argument and the shapes', () => {
  beforeAll(() => use('js'));

  it.each([
    { what: 'z of the wrong length', z: () => zeros([2, 7]), err: ShapeError, msg: 'dcganGenerator: z [2,7] must be [batch, latentDim] or [batch, latentDim, 1, 1] with latentDim = 8' },
    { what: 'z of rank 3', z: () => zeros([2, 8, 1]), err: ShapeError, msg: 'dcganGenerator: z [2,8,1] must be' },
    { what: 'int32 z', z: () => full([2, 8], 1, 'int32'), err: DTypeError, msg: "dcganGenerator: 'z' has dtype int32 (shape [2,8]); expected float32" },
  ])('generator: $what', async ({ z, err, msg }) => {
    await expectNoLeak(() => {
      const g = dcganGenerator({ latentDim: 8, width: 2, channels: 1, imageSize: 28 });
      const bad = z();
      expect(() => g.call(bad)).toThrow(err);
      expect(() => g.call(bad)).toThrow(msg);
      bad.dispose();
      g.dispose();
    });
  });

  it.each([
    { shape: [2, 1, 32, 32], msg: 'dcganDiscriminator: images [2,1,32,32] must be [batch, channels, imageSize, imageSize] = [*, 1, 28, 28]' },
    { shape: [2, 3, 28, 28], msg: 'dcganDiscriminator: images [2,3,28,28] must be' },
    { shape: [1, 28, 28], msg: 'dcganDiscriminator: images [1,28,28] must be' },
  ])('discriminator: images $shape', async ({ shape, msg }) => {
    await expectNoLeak(() => {
      const d = dcganDiscriminator({ width: 2, channels: 1, imageSize: 28 });
      const x = zeros(shape);
      expect(() => d.call(x)).toThrow(ShapeError);
      expect(() => d.call(x)).toThrow(msg);
      x.dispose();
      d.dispose();
    });
  });

  it.each([
    { make: () => dcganGenerator({ imageSize: 27 }), msg: "dcganGenerator: 'imageSize' 27 must be an even number >= 6" },
    { make: () => dcganDiscriminator({ imageSize: 4 }), msg: "dcganDiscriminator: 'imageSize' 4 must be an even number >= 6" },
    { make: () => dcganGenerator({ latentDim: 0 }), msg: "dcganGenerator: 'latentDim' must be an integer >= 1, got 0" },
    { make: () => dcganDiscriminator({ width: 2.5 }), msg: "dcganDiscriminator: 'width' must be an integer >= 1, got 2.5" },
    { make: () => dcganGenerator({ ngf: 8 } as never), msg: "dcganGenerator: unknown config key 'ngf'" },
    { make: () => dcganDiscriminator({ sigmoid: 'no' } as never), msg: "dcganDiscriminator: 'sigmoid' must be true or false, got 'no'" },
  ])('config: $msg', async ({ make, msg }) => {
    await expectNoLeak(() => {
      expect(make).toThrow(ArgumentError);
      expect(make).toThrow(msg);
    });
  });
});
