// `tensile demo <name>`: the demonstrations of the model zoo. Each demo is a module exporting a
// `Demo` (its options, parsed and shown in the help by args.ts, and how it runs), loaded only
// when asked for. Adding one is one line in DEMOS.
import { UsageError, commandHelp, parseFlags, table, type Flags, type OptionsSpec } from '../args.js';

/** One demonstration: `tensile demo <name> [options]`. */
export interface Demo<S extends OptionsSpec = OptionsSpec> {
  name: string;
  /** One line for `tensile demo --help`. */
  summary: string;
  options: S;
  /** Runs with the parsed options; resolves to the exit code. */
  run(flags: Flags<S>): Promise<number>;
}

/** The demos, in the order the help lists them: a name and how to load its module. */
export const DEMOS: readonly { name: string; load: () => Promise<Demo> }[] = [
  { name: 'dcgan', load: async () => (await import('./dcgan.js')).dcganDemo as Demo },
  { name: 'siamese', load: async () => (await import('./siamese.js')).siameseDemo as Demo },
  { name: 'transfer', load: async () => (await import('./transfer.js')).transferDemo as Demo },
  { name: 'residual', load: async () => (await import('./residual.js')).residualDemo as Demo },
];

async function find(name: string | undefined): Promise<Demo> {
  const names = DEMOS.map((d) => d.name).join(', ');
  if (name === undefined || name.startsWith('-')) throw new UsageError(`tensile demo needs a demo name (${names}); see 'tensile demo --help'`);
  const entry = DEMOS.find((d) => d.name === name);
  if (!entry) throw new UsageError(`unknown demo '${name}' (demos: ${names}); see 'tensile demo --help'`);
  return entry.load();
}

/** `tensile demo <name> [options]`: parses the demo's options (a UsageError names it) and runs it. */
export async function runDemo(argv: readonly string[]): Promise<number> {
  const demo = await find(argv[0]);
  return demo.run(parseFlags(argv.slice(1), demo.options, `demo ${demo.name}`));
}

/** `tensile demo --help` lists the demos; `tensile demo <name> --help` shows that demo's options and defaults. */
export async function demoHelp(argv: readonly string[]): Promise<string> {
  const name = argv[0];
  if (name !== undefined && !name.startsWith('-')) {
    const demo = await find(name);
    return commandHelp({ name: `demo ${demo.name}`, summary: demo.summary, options: demo.options, run: runDemo });
  }
  const demos = await Promise.all(DEMOS.map((d) => d.load()));
  return `usage: tensile demo <name> [options]\n\ndemos:\n${table(demos.map((d) => [d.name, d.summary]))}\n\n` +
    `Run 'tensile demo <name> --help' for a demo's options and their defaults.`;
}
