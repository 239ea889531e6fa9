#!/usr/bin/env node
// The `tensile` command: help, then dispatch to the subcommands of commands.ts.
import { CliError, commandHelp, mainHelp, UsageError, wantsHelp, type Command } from './args.js';
import { COMMANDS } from './commands.js';

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help') return print(mainHelp(COMMANDS));
  // `tensile help [command]`, as git and npm accept.
  if (name === 'help') return print(rest[0] === undefined ? mainHelp(COMMANDS) : await helpOf(find(rest[0]), rest.slice(1)));
  const command = find(name);
  return wantsHelp(rest) ? print(await helpOf(command, rest)) : command.run(rest);
}

/** A command's own help when it has one (commands with subcommands), else its options. */
async function helpOf(command: Command, argv: readonly string[]): Promise<string> {
  return command.help ? command.help(argv) : commandHelp(command);
}

function find(name: string): Command {
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    throw new UsageError(`unknown command '${name}' (commands: ${COMMANDS.map((c) => c.name).join(', ')}); see 'tensile --help'`);
  }
  return command;
}

function print(text: string): number {
  console.log(text);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    // A user's mistake gets one line; anything else is a bug, whose stack helps fix it.
    console.error(err instanceof CliError ? `tensile: ${err.message}` : err);
    process.exitCode = err instanceof CliError ? err.exitCode : 1;
  },
);
