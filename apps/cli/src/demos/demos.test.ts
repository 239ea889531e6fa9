// `tensile demo dcgan` and `tensile demo siamese` on tiny configurations (seconds): the DCGAN
// writes a PNG of the right size that decodes, the Siamese demo prints its verification
// accuracy, neither leaks a tensor; and the built command's help and user errors.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { memory } from '@tensile/core';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { dcgan } from './dcgan.js';
import { siamese } from './siamese.js';

const tmp = mkdtempSync(join(tmpdir(), 'tensile-demo-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const main = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
const tensile = (argv: string[]): { code: number | null; stdout: string; stderr: string } => {
  const r = spawnSync(process.execPath, [main, ...argv], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe('demos on tiny configurations', () => {
  it('dcgan: trains, prints D and G losses per epoch and writes a PNG grid that decodes at the right size', async () => {
    const before = memory().tensors;
    const lines: string[] = [];
    const out = join(tmp, 'grid.png');
    const r = await dcgan({ epochs: 2, trainSize: 96, batch: 32, width: 4, latent: 8, samples: 6, out, progress: false, log: (l) => lines.push(l) });
    expect(lines.filter((l) => /^epoch [12]\/2 {2}D loss \d+\.\d{4} {2}G loss \d+\.\d{4} {2}D\(x\) 0\.\d{3} {2}D\(G\(z\)\) 0\.\d{3} /.test(l))).toHaveLength(2);
    expect(r.epochs.map((e) => [Number.isFinite(e.lossD), Number.isFinite(e.lossG)])).toEqual([[true, true], [true, true]]);
    expect(r.epochs[1]!.tensors).toBe(r.epochs[0]!.tensors);
    expect(memory().tensors).toBe(before);
    // 6 tiles in 3 columns and 2 rows of 28 pixels, 2-pixel gaps: 3 * 28 + 4 * 2 = 92 by 2 * 28 + 3 * 2 = 62.
    const png = PNG.sync.read(readFileSync(out));
    expect([png.width, png.height, r.width, r.height]).toEqual([92, 62, 92, 62]);
    // The gaps are mid-gray (128); the tiles hold the generator's pixels (after a few steps, mostly saturated by Tanh).
    const px = (x: number, y: number): number => png.data[4 * (y * png.width + x)]!;
    expect([px(0, 0), px(91, 61), px(30, 40)]).toEqual([128, 128, 128]);
    const tile = Array.from({ length: 28 * 28 }, (_, i) => px(2 + (i % 28), 2 + Math.floor(i / 28)));
    expect(tile.some((v) => v !== 128)).toBe(true);
  }, 60_000);

  it('siamese: trains on 7 classes and prints the verification accuracy on the 3 held-out ones', async () => {
    const before = memory().tensors;
    const lines: string[] = [];
    const r = await siamese({ epochs: 1, pairs: 128, batch: 32, testPairs: 200, trainSize: 1000, testSize: 1000, progress: false, log: (l) => lines.push(l) });
    expect(lines).toContainEqual(expect.stringMatching(/^training classes: T-shirt\/top, Trouser, Pullover, Dress, Coat, Sandal, Shirt \(\d+ training images\); held out: Sneaker, Bag, Ankle boot \(\d+ test images\)$/));
    expect(lines).toContainEqual(expect.stringMatching(/^epoch 1\/1 {2}contrastive loss \d+\.\d{4} /));
    const line = lines.find((l) => l.startsWith('one-shot verification on the held-out classes (Sneaker, Bag, Ankle boot): 200 test pairs'));
    expect(line).toMatch(/accuracy (\d+\.\d{2})% \(chance 50%\)$/);
    expect(Number(/accuracy (\d+\.\d{2})%/.exec(line!)![1]) / 100).toBeCloseTo(r.accuracy, 4);
    expect(r.accuracy).toBeGreaterThan(0);
    expect(r.accuracy).toBeLessThanOrEqual(1);
    expect(memory().tensors).toBe(before);
  }, 60_000);
});

describe('tensile demo: help and user errors', () => {
  it('--help lists the demos', () => {
    for (const argv of [['demo', '--help']]) {
      const r = tensile(argv);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^usage: tensile demo <name> \[options\]\n/);
      expect(r.stdout).toMatch(/^ {2}dcgan +train a DCGAN on Fashion-MNIST/m);
      expect(r.stdout).toMatch(/^ {2}siamese +train a Siamese network/m);
    }
  });

  // The defaults a newcomer reads, written out here rather than taken from the option tables.
  it.each([
    { demo: 'dcgan', defaults: [['--epochs N', '2'], ['--train-size N', '12800'], ['--batch N', '32'], ['--lr X', '0.0005'], ['--out FILE', 'dcgan-fashion-mnist.png']] },
    { demo: 'siamese', defaults: [['--held-out LIST', '7,8,9'], ['--epochs N', '2'], ['--pairs N', '12800'], ['--margin X', '1'], ['--test-pairs N', '2000']] },
  ])('demo $demo --help shows the options with their defaults', ({ demo, defaults }) => {
    const r = tensile(['demo', demo, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^usage: tensile demo ${demo} \\[options\\]`));
    for (const [option, dflt] of defaults) {
      const line = r.stdout.split('\n').find((l) => l.startsWith(`  ${option!} `));
      expect(line, r.stdout).toMatch(new RegExp(`\\(default: ${dflt!.replace(/[.]/g, '\\.')}\\)$`));
    }
    for (const line of r.stdout.split('\n').filter((l) => l.startsWith('  --'))) expect(line).toMatch(/\(default: .+\)$/);
    if (demo === 'dcgan') expect(tensile(['help', 'demo', 'dcgan']).stdout).toBe(r.stdout);
  });

  it.each([
    { argv: ['demo'], line: "tensile: tensile demo needs a demo name (dcgan, siamese, transfer, residual); see 'tensile demo --help'" },
    { argv: ['demo', 'gan'], line: "tensile: unknown demo 'gan' (demos: dcgan, siamese, transfer, residual); see 'tensile demo --help'" },
    { argv: ['demo', 'dcgan', '--frob', '1'], line: "tensile: unknown option '--frob'; see 'tensile demo dcgan --help'" },
    { argv: ['demo', 'siamese', '--held-out', '7,7'], line: "tensile: option --held-out must be 2 to 8 distinct classes 0-9 separated by commas, got '7,7'" },
  ])('$argv: one line, exit 2', ({ argv, line }) => {
    const r = tensile(argv);
    expect(r.stderr.trim()).toBe(line);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });
});
