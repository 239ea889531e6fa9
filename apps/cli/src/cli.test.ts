// The built `tensile` command as a user runs it: help with defaults, and user errors that
// print one line (no stack) and exit non-zero.
import { spawnSync } from 'node:child_process';
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
    expect(r.stdout).toMatch(/^ {2}train +train a 784-128-10 MLP/m);
    expect(r.stdout).toMatch(/^ {2}bench +time workloads/m);
  });

  // The defaults a newcomer reads, written out here rather than taken from the option table.
  it.each([
    ['train', '--epochs N', '6'],
    ['train', '--batch N', '64'],
    ['train', '--lr X', '0.3'],
    ['train', '--seed N', '1'],
    ['train', '--log-every N', '10'],
    ['train', '--backend NAME', 'the highest-priority one that starts'],
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
    { argv: ['train', '--backend', 'nope'], code: 2, line: "tensile: unknown backend 'nope' (available: js)" },
    { argv: ['train', '--backend=nope'], code: 2, line: "tensile: unknown backend 'nope' (available: js)" },
    {
      argv: ['train', '--backend', 'broken'], node: ['--import', brokenBackend], code: 1,
      line: "tensile: backend 'broken' is unavailable: no adapter found (available: js)",
    },
    { argv: ['train', '--epochs', '0'], code: 2, line: "tensile: option --epochs must be an integer >= 1, got '0'" },
    { argv: ['train', '--lr', 'fast'], code: 2, line: "tensile: option --lr must be a positive number, got 'fast'" },
    { argv: ['train', '--epochs'], code: 2, line: 'tensile: option --epochs needs a value (N)' },
    { argv: ['train', '--frob', '1'], code: 2, line: "tensile: unknown option '--frob'; see 'tensile train --help'" },
    { argv: ['bench', '--epochs', '1'], code: 2, line: "tensile: unknown option '--epochs'; see 'tensile bench --help'" },
    { argv: ['train', 'now'], code: 2, line: "tensile: unexpected argument 'now'; see 'tensile train --help'" },
    { argv: ['frob'], code: 2, line: "tensile: unknown command 'frob' (commands: train, bench); see 'tensile --help'" },
    { argv: ['--epochs', '1'], code: 2, line: "tensile: unknown command '--epochs' (commands: train, bench); see 'tensile --help'" },
    { argv: ['help', 'frob'], code: 2, line: "tensile: unknown command 'frob' (commands: train, bench); see 'tensile --help'" },
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
