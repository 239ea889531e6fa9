// `tensile demo residual` and `tensile demo transfer` with tiny configs: the lines they print.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseFlags } from '../args.js';
import { asciiPlot } from './ascii_plot.js';
import { RESIDUAL_OPTIONS, residualDemo } from './residual.js';
import { TRANSFER_OPTIONS, transferDemo } from './transfer.js';

/** Runs a demo with `argv`, returning its exit code and what it printed. */
async function capture(run: () => Promise<number>): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => { lines.push(args.join(' ')); });
  try {
    return { code: await run(), lines: lines.flatMap((l) => l.split('\n')) };
  } finally {
    log.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('tensile demo residual (tiny)', () => {
  it('prints the setting, a row per window, the loss plot and both test accuracies', async () => {
    const argv = ['--depth', '8', '--width', '2', '--steps', '4', '--log-every', '2', '--train-size', '64', '--test-size', '32', '--batch', '8', '--backend', 'js'];
    const { code, lines } = await capture(() => residualDemo.run(parseFlags(argv, RESIDUAL_OPTIONS, 'demo residual')));
    expect(code).toBe(0);
    // 8 layers, widths 2-4-8: by hand 2·9 + 4 + (2·2·9·2 + 8) + (2·4·9 + 4·4·9 + 16) + (4·8·9 + 8·8·9 + 32) + 8·10 + 10.
    const params = 18 + 4 + (72 + 8) + (72 + 144 + 16) + (288 + 576 + 32) + 90;
    expect(lines[0]).toBe(`plain vs residual: 8 layers (7 3x3 convolutions with BatchNorm and ReLU, then a Linear), widths 2-4-8, ${params.toLocaleString('en-US')} parameters each`);
    expect(lines[1]).toBe('the same initial weights and batches: 4 steps of 8 Fashion-MNIST images each (SGD lr 0.05, momentum 0.9), seed 0, backend js');
    expect(lines[3]).toMatch(/^steps +\| +plain loss \| +residual loss \| +plain \|grad W1\| \| +residual \|grad W1\|$/);
    const row = /^(\d+-\d+) +\| +(\d+\.\d{3}) \| +(\d+\.\d{3}) \| +(\d+\.\d{3}) \| +(\d+\.\d{3})$/;
    expect(lines.slice(4, 6).map((l) => row.exec(l)?.[1])).toEqual(['0-1', '2-3']);
    for (const l of lines.slice(4, 6)) {
      const [, , ...values] = row.exec(l)!;
      for (const v of values) expect(Number(v)).toBeGreaterThan(0);
    }
    expect(lines).toContain('training loss by step (trailing means over 2 steps):');
    expect(lines.some((l) => l.includes('p plain   r residual'))).toBe(true);
    expect(lines.at(-1)).toMatch(/^test accuracy on 32 Fashion-MNIST test images: plain \d+\.\d%, residual \d+\.\d%$/);
  }, 60_000);

  it('rejects a depth that is not 6n + 2, naming the option', async () => {
    await expect(residualDemo.run(parseFlags(['--depth', '10'], RESIDUAL_OPTIONS, 'demo residual'))).rejects.toThrow(/option --depth must be 6n \+ 2 \(8, 14, 20, 32, \.\.\.\), got 10/);
  });
});

describe('tensile demo transfer (tiny)', () => {
  it('prints where the weights come from, the setting, and one line per seed with the McNemar test', async () => {
    const argv = ['--epochs', '1', '--train-size', '64', '--test-size', '100', '--seeds', '2', '--backend', 'js'];
    const { code, lines } = await capture(() => transferDemo.run(parseFlags(argv, TRANSFER_OPTIONS, 'demo transfer')));
    expect(code).toBe(0);
    expect(lines[0]).toMatch(/^pretrained: LeNet-5 \(tanh, average pooling\) trained on 8,000 MNIST digits, \d+\.\d\d% on 2,000 held-out digits \(packages\/models\/weights\/lenet5_mnist\.safetensors\)$/);
    expect(lines[1]).toBe('fine-tuned: a new 10-class head, features at lr 0.0003, head and classifier at lr 0.003 (Adam)');
    expect(lines[3]).toBe('both: 1 epoch over the first 64 Fashion-MNIST training images, batches of 32, random 28x28 crops of the image padded by 2 and horizontal flips; backend js');
    const seedLine = /^seed (\d): fine-tuned (\d+\.\d\d)%, from scratch (\d+\.\d\d)%, gap [+-]\d+\.\d\d points; right only when fine-tuned (\d+), only from scratch (\d+): z = -?\d+\.\d\d, p = \d\.\d\de[+-]\d+$/;
    const seeds = lines.filter((l) => seedLine.test(l));
    expect(seeds.map((l) => seedLine.exec(l)![1])).toEqual(['0', '1']);
    for (const l of seeds) {
      const [, , ft, sc, b, c] = seedLine.exec(l)!;
      // The discordant counts and the accuracies describe the same 100 images: (b - c) / 100 is the gap.
      expect(Number(ft) - Number(sc)).toBeCloseTo(Number(b) - Number(c), 6);
    }
  }, 60_000);

  it('rejects a features lr scale above 1', async () => {
    await expect(transferDemo.run(parseFlags(['--features-lr-scale', '2'], TRANSFER_OPTIONS, 'demo transfer'))).rejects.toThrow(/--features-lr-scale must be at most 1/);
  });
});

describe('asciiPlot', () => {
  it('puts the maximum on the top row, the minimum on the bottom, and * where curves meet', () => {
    const lines = asciiPlot([{ label: 'a', mark: 'a', values: [3, 2, 1] }, { label: 'b', mark: 'b', values: [3, 1, 1] }], 3, 10);
    expect(lines).toEqual([
      '  3.00 |*',
      '       | a',
      '  1.00 | b*',
      '       +---',
      '        a a   b b   (* both)',
    ]);
  });
});

describe('the built command', () => {
  const main = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
  const tensile = (argv: string[]) => spawnSync(process.execPath, [main, ...argv], { encoding: 'utf8' });

  it('tensile demo --help lists transfer and residual', () => {
    const r = tensile(['demo', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^ {2}transfer +LeNet-5 pretrained on MNIST, fine-tuned on 500 Fashion-MNIST images/m);
    expect(r.stdout).toMatch(/^ {2}residual +a 20-layer plain CNN against the same depth with residual connections/m);
  });

  // The defaults a newcomer reads, written out here rather than taken from the option tables.
  it.each([
    { demo: 'transfer', defaults: [['--epochs N', '5'], ['--train-size N', '500'], ['--test-size N', '10000'], ['--features MODE', 'finetune'], ['--features-lr-scale X', '0.1'], ['--seeds N', '1']] },
    { demo: 'residual', defaults: [['--depth N', '20'], ['--width N', '8'], ['--steps N', '150'], ['--lr X', '0.05'], ['--test-size N', '2000']] },
  ])('tensile demo $demo --help shows the defaults', ({ demo, defaults }) => {
    const r = tensile(['demo', demo, '--help']);
    expect(r.status).toBe(0);
    for (const [option, dflt] of defaults) {
      const line = r.stdout.split('\n').find((l) => l.startsWith(`  ${option!} `));
      expect(line, r.stdout).toMatch(new RegExp(`\\(default: ${dflt!.replace(/[.]/g, '\\.')}\\)$`));
    }
  });

  it.each([
    { argv: ['demo', 'residual', '--depth', '10'], line: 'tensile: option --depth must be 6n + 2 (8, 14, 20, 32, ...), got 10' },
    { argv: ['demo', 'transfer', '--features', 'thaw'], line: "tensile: option --features must be one of finetune, freeze, got 'thaw'" },
  ])('$argv: one line, exit 2', ({ argv, line }) => {
    const r = tensile(argv);
    expect(r.stderr.trim()).toBe(line);
    expect(r.status).toBe(2);
  });
});
