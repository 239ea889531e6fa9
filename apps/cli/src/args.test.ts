// The option parser: typed values, defaults, both `--k v` and `--k=v`, and one-line errors.
import { describe, expect, it } from 'vitest';
import { commandHelp, parseFlags, UsageError, wantsHelp, type Command } from './args.js';

const spec = {
  epochs: { kind: 'count', meta: 'N', default: 6, help: 'passes' },
  lr: { kind: 'positive', meta: 'X', default: 0.3, help: 'rate' },
  seed: { kind: 'seed', meta: 'N', default: 1, help: 'seed' },
  backend: { kind: 'string', meta: 'NAME', defaultText: 'best', help: 'backend' },
  model: { kind: 'string', meta: 'NAME', default: 'lenet5', choices: ['lenet5', 'mlp'], help: 'model' },
} as const;

describe('parseFlags', () => {
  it.each([
    { argv: [], want: { epochs: 6, lr: 0.3, seed: 1, backend: undefined, model: 'lenet5' } },
    { argv: ['--epochs', '3', '--lr=0.5', '--seed', '0', '--backend', 'js', '--model', 'mlp'], want: { epochs: 3, lr: 0.5, seed: 0, backend: 'js', model: 'mlp' } },
    { argv: ['--lr', '1e-2', '--epochs=2', '--model=lenet5'], want: { epochs: 2, lr: 0.01, seed: 1, backend: undefined, model: 'lenet5' } },
  ])('$argv', ({ argv, want }) => {
    expect(parseFlags(argv, spec)).toEqual(want);
  });

  it.each([
    { argv: ['--epoch', '3'], message: "unknown option '--epoch'; see 'tensile train --help'" },
    { argv: ['-e', '3'], message: "unknown option '-e'; see 'tensile train --help'" },
    { argv: ['3'], message: "unexpected argument '3'; see 'tensile train --help'" },
    { argv: ['--toString', '1'], message: "unknown option '--toString'; see 'tensile train --help'" },
    { argv: ['--epochs'], message: 'option --epochs needs a value (N)' },
    { argv: ['--epochs', '0'], message: "option --epochs must be an integer >= 1, got '0'" },
    { argv: ['--epochs', '2.5'], message: "option --epochs must be an integer >= 1, got '2.5'" },
    { argv: ['--lr', '-1'], message: "option --lr must be a positive number, got '-1'" },
    { argv: ['--lr='], message: "option --lr must be a positive number, got ''" },
    { argv: ['--seed', '1.5'], message: "option --seed must be an integer >= 0, got '1.5'" },
    { argv: ['--model', 'vgg'], message: "option --model must be one of lenet5, mlp, got 'vgg'" },
    { argv: ['--model=LeNet5'], message: "option --model must be one of lenet5, mlp, got 'LeNet5'" },
  ])('rejects $argv', ({ argv, message }) => {
    const run = () => parseFlags(argv, spec, 'train');
    expect(run).toThrow(UsageError);
    expect(run).toThrow(message);
  });
});

describe('wantsHelp', () => {
  it.each([
    { argv: ['--help'], want: true },
    { argv: ['--epochs', '3', '-h'], want: true },
    { argv: ['--epochs', '3'], want: false },
    { argv: [], want: false },
  ])('$argv -> $want', ({ argv, want }) => {
    expect(wantsHelp(argv)).toBe(want);
  });
});

describe('commandHelp', () => {
  it('lists every option with its default, aligned', () => {
    const command: Command = { name: 'train', summary: 'train it', options: spec, run: async () => 0 };
    expect(commandHelp(command)).toBe(
      'usage: tensile train [options]\n\ntrain it\n\noptions:\n' +
      '  --epochs N      passes (default: 6)\n' +
      '  --lr X          rate (default: 0.3)\n' +
      '  --seed N        seed (default: 1)\n' +
      '  --backend NAME  backend (default: best)\n' +
      '  --model NAME    model (default: lenet5)\n' +
      '  -h, --help      show this help');
  });
});
