#!/usr/bin/env node
// The `tensile` command: dispatches `train` and `bench` to their modules.
import { UsageError } from './args.js';

const USAGE = `usage: tensile <command> [options]

commands:
  train   train a 784-128-10 MLP on the MNIST digits (--epochs N --batch N --lr X --seed N --backend NAME)
  bench   time workloads on Tensile's backend-js against TensorFlow.js's CPU backend (--filter TEXT)`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'train') return (await import('./train.js')).trainCommand(rest);
  if (command === 'bench') return (await import('./bench.js')).benchCommand(rest);
  const help = command === undefined || command === 'help' || command === '--help' || command === '-h';
  (help ? console.log : console.error)(help ? USAGE : `tensile: unknown command '${command}'\n\n${USAGE}`);
  return help ? 0 : 2;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    if (err instanceof UsageError) console.error(`tensile: ${err.message}\n\n${USAGE}`);
    else console.error('tensile:', err);
    process.exitCode = err instanceof UsageError ? 2 : 1;
  },
);
