// The built `tensile` command as a user runs it: help with defaults, and user errors that
// print one line (no stack) and exit non-zero.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from './commands.js';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const brokenBackend = fileURLToPath(new URL('../test/broken-backend.mjs', import.meta.url));

interface Run { code: number | null; stdout: string; stderr: string }
const runs = new Map<string, Run>();

/** Runs `node [nodeArgs] dist/main.js argv` (once per distinct command line: help is asked for often). */
function tensile(argv: string[], nodeArgs: string[] = []): Run {
  const key = JSON.stringify([nodeArgs, argv]);
  if (!runs.has(key)) {
    const r = spawnSync(process.execPath, [...nodeArgs, main, ...argv], { encoding: 'utf8' });
    runs.set(key, { code: r.status, stdout: r.stdout, stderr: r.stderr });
  }
  return runs.get(key)!;
}

describe('tensile --help', () => {
  it.each([{ argv: [] }, { argv: ['--help'] }, { argv: ['-h'] }, { argv: ['help'] }])('$argv lists the commands', ({ argv }) => {
    const r = tensile(argv);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^usage: tensile <command> \[options\]\n/);
    expect(r.stdout).toMatch(/^ {2}train +train LeNet-5 \(or an MLP\) on Fashion-MNIST \(or MNIST\) with fit\(\), report the test accuracy and save the weights as safetensors$/m);
    expect(r.stdout).toMatch(/^ {2}bench +time workloads/m);
    expect(r.stdout).toMatch(/^ {2}summary +print a model's layers/m);
  });

  // The defaults a newcomer reads, written out here rather than taken from the option table.
  it.each([
    ['train', '--model NAME', 'lenet5'],
    ['train', '--dataset NAME', 'fashion-mnist'],
    ['train', '--epochs N', '2'],
    ['train', '--batch N', '64'],
    ['train', '--lr X', '0.002'],
    ['train', '--seed N', '1'],
    ['train', '--train-size N', 'all'],
    ['train', '--test-size N', 'all'],
    ['train', '--log-every N', '10'],
    ['train', '--backend NAME', 'the highest-priority one that starts'],
    ['train', '--out FILE', '<model>-<dataset>.safetensors in the current directory'],
    ['bench', '--filter TEXT', 'every workload'],
  ])('%s --help shows %s with default %s', (command, option, dflt) => {
    for (const argv of [[command, '--help'], [command, '-h'], ['help', command], [command, '--epochs', '2', '--help']]) {
      const r = tensile(argv);
      expect(r.code).toBe(0);
      const line = r.stdout.split('\n').find((l) => l.startsWith(`  ${option} `));
      expect(line, `${argv.join(' ')}:\n${r.stdout}`).toMatch(new RegExp(`\\(default: ${dflt.replace('.', '\\.')}\\)$`));
    }
  });

  it.each(COMMANDS.map((c) => [c.name, c] as const))('%s --help shows a default for every option', (name, c) => {
    const lines = tensile([name, '--help']).stdout.split('\n');
    for (const option of Object.keys(c.options)) {
      expect(lines.find((l) => l.startsWith(`  --${option} `)), option).toMatch(/\(default: .+\)$/);
    }
  });
});

describe('user errors: one line on stderr, no stack, a non-zero exit', () => {
  it.each([
    { argv: ['train', '--backend', 'nope'], code: 2, line: "tensile: unknown backend 'nope' (available: wasm, js, webgpu)" },
    { argv: ['train', '--backend=nope'], code: 2, line: "tensile: unknown backend 'nope' (available: wasm, js, webgpu)" },
    {
      argv: ['train', '--backend', 'broken'], node: ['--import', brokenBackend], code: 1,
      line: "tensile: backend 'broken' is unavailable: no adapter found (available: wasm, js, webgpu)",
    },
    { argv: ['train', '--epochs', '0'], code: 2, line: "tensile: option --epochs must be an integer >= 1, got '0'" },
    { argv: ['train', '--lr', 'fast'], code: 2, line: "tensile: option --lr must be a positive number, got 'fast'" },
    { argv: ['train', '--epochs'], code: 2, line: 'tensile: option --epochs needs a value (N)' },
    { argv: ['train', '--frob', '1'], code: 2, line: "tensile: unknown option '--frob'; see 'tensile train --help'" },
    { argv: ['train', '--model', 'vgg'], code: 2, line: "tensile: option --model must be one of lenet5, mlp, mlp3, got 'vgg'" },
    { argv: ['train', '--dataset=cifar'], code: 2, line: "tensile: option --dataset must be one of fashion-mnist, mnist, got 'cifar'" },
    { argv: ['train', '--train-size', '0'], code: 2, line: "tensile: option --train-size must be an integer >= 1, got '0'" },
    { argv: ['bench', '--epochs', '1'], code: 2, line: "tensile: unknown option '--epochs'; see 'tensile bench --help'" },
    { argv: ['train', 'now'], code: 2, line: "tensile: unexpected argument 'now'; see 'tensile train --help'" },
    { argv: ['frob'], code: 2, line: "tensile: unknown command 'frob' (commands: train, bench, demo, summary); see 'tensile --help'" },
    { argv: ['--epochs', '1'], code: 2, line: "tensile: unknown command '--epochs' (commands: train, bench, demo, summary); see 'tensile --help'" },
    { argv: ['help', 'frob'], code: 2, line: "tensile: unknown command 'frob' (commands: train, bench, demo, summary); see 'tensile --help'" },
  ])('$argv', ({ argv, node, code, line }) => {
    const r = tensile(argv, node);
    expect(r.stderr).toBe(`${line}\n`);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(code);
  });
});

describe('from the repo root', () => {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  // `npx tensile` runs the bin pnpm linked into the root's node_modules/.bin; `pnpm tensile` the root script.
  it.each([
    { how: 'npx tensile', cmd: `${root}node_modules/.bin/tensile`, args: ['--help'] },
    { how: 'pnpm tensile', cmd: process.execPath, args: [`${root}scripts/pnpm.mjs`, 'tensile', '--help'] },
  ])('$how --help lists the commands', ({ cmd, args }) => {
    const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^usage: tensile <command> \[options\]$/m);
    expect(r.status).toBe(0);
  });
});

describe('tensile train', () => {
  it('fails before training, in one line, when the weights cannot be written', () => {
    const r = tensile(['train', '--out', `${main}/w.safetensors`]); // a directory that is a file
    expect(r.stderr).toBe(`tensile: cannot write the weights to ${main}/w.safetensors: ${main} is not a writable directory (EEXIST)\n`);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(1);
  });

  it('trains on a subset, prints the test accuracy and where the weights went, and writes a safetensors file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tensile-cli-'));
    try {
      const out = join(dir, 'sub', 'digits.safetensors');
      const r = tensile(['train', '--model', 'mlp', '--dataset', 'mnist', '--epochs', '1', '--train-size', '1000', '--test-size', '500', '--out', out]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const accuracy = /^final test accuracy: ([\d.]+)% \(a subset: no target\) in [\d.]+s$/m.exec(r.stdout);
      expect(accuracy, r.stdout).not.toBeNull();
      expect(Number(accuracy![1])).toBeGreaterThan(40); // 67% with seed 1; chance is 10% (p < 1e-40 of 40% on 500 images)
      expect(r.stdout).toMatch(/^epoch 1\/1 {2}loss /m);
      expect(r.stdout).toContain(`weights saved to ${out} (`);
      const bytes = new Uint8Array(readFileSync(out));
      const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
      const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
      expect(Object.keys(header).sort()).toEqual(['1.bias', '1.weight', '3.bias', '3.weight', '__metadata__']);
      expect(header['1.weight']).toMatchObject({ dtype: 'F32', shape: [128, 784] });
      expect(header.__metadata__).toMatchObject({ format: 'pt', model: 'mlp', dataset: 'mnist', epochs: '1' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
