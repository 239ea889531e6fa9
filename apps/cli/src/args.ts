// Commands and their `--name value` options: typed, validated parsing with defaults, and the
// help text, both generated from one table so the help cannot drift from what is parsed.

/** An error the user can fix: main prints `tensile: <message>` on one line, no stack, and exits. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

/** A bad command line (unknown command or option, bad value): exit code 2, as POSIX tools do. */
export class UsageError extends CliError {
  override name = 'UsageError';
  constructor(message: string) {
    super(message, 2);
  }
}

/** How to read an option's value: an integer >= 1, a positive float, an integer >= 0, or text. */
export type FlagKind = 'count' | 'positive' | 'seed' | 'string';

type Value<K extends FlagKind> = K extends 'string' ? string : number;

export interface OptionSpec<K extends FlagKind = FlagKind> {
  kind: K;
  /** What the value is called in the help: N, X, NAME, TEXT. */
  meta: string;
  help: string;
  /** The value when the option is absent; omit it when the program decides at run time. */
  default?: Value<K>;
  /** What the help says when there is no fixed `default`, e.g. 'best available'. */
  defaultText?: string;
  /** The values a 'string' option accepts (any text when absent). */
  choices?: readonly string[];
}

export type OptionsSpec = Record<string, OptionSpec>;

/** Parsed values: options with a default always have a value; the others may be missing. */
export type Flags<S extends OptionsSpec> = {
  [P in keyof S]: S[P] extends { default: number | string } ? Value<S[P]['kind']> : Value<S[P]['kind']> | undefined;
};

export interface Command {
  name: string;
  /** Positional arguments shown in its usage line (`<model>`). */
  args?: string;
  /** One line for `tensile --help`. */
  summary: string;
  options: OptionsSpec;
  /** Parses `argv` and runs; resolves to the exit code. */
  run(argv: readonly string[]): Promise<number>;
  /** Help for a command with subcommands of its own (`tensile demo dcgan --help`); default: `commandHelp`. */
  help?(argv: readonly string[]): Promise<string>;
}

/**
 * Parses `argv` against `spec` and fills in defaults; throws a UsageError naming `command` on an
 * unknown option, a missing value or a bad number.
 */
export function parseFlags<S extends OptionsSpec>(argv: readonly string[], spec: S, command = ''): Flags<S> {
  const where = `tensile${command ? ` ${command}` : ''}`;
  const out: Record<string, number | string | undefined> = {};
  for (const [name, o] of Object.entries(spec)) out[name] = o.default;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const name = (eq > 0 ? arg.slice(0, eq) : arg).replace(/^--/, '');
    const o = arg.startsWith('--') && Object.hasOwn(spec, name) ? spec[name]! : undefined;
    if (o === undefined) {
      const what = arg.startsWith('-') ? 'unknown option' : 'unexpected argument';
      throw new UsageError(`${what} '${arg}'; see '${where} --help'`);
    }
    const raw = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (raw === undefined) throw new UsageError(`option --${name} needs a value (${o.meta})`);
    if (o.choices !== undefined && !o.choices.includes(raw)) {
      throw new UsageError(`option --${name} must be one of ${o.choices.join(', ')}, got '${raw}'`);
    }
    out[name] = o.kind === 'string' ? raw : number(name, raw, o.kind);
  }
  return out as Flags<S>;
}

function number(name: string, raw: string, kind: Exclude<FlagKind, 'string'>): number {
  const v = Number(raw);
  const ok = raw.trim() !== '' && Number.isFinite(v) &&
    (kind === 'positive' ? v > 0 : Number.isInteger(v) && v >= (kind === 'count' ? 1 : 0));
  if (!ok) {
    const want = kind === 'positive' ? 'a positive number' : kind === 'count' ? 'an integer >= 1' : 'an integer >= 0';
    throw new UsageError(`option --${name} must be ${want}, got '${raw}'`);
  }
  return v;
}

/** Whether `argv` asks for help (`-h` or `--help` anywhere), which wins over everything else. */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv.some((a) => a === '-h' || a === '--help');
}

/** `tensile <command> --help`: usage, summary, and every option with its default. */
export function commandHelp(c: Command): string {
  const rows = Object.entries(c.options).map(([name, o]): [string, string] => {
    const dflt = o.default !== undefined ? String(o.default) : o.defaultText;
    return [`--${name} ${o.meta}`, dflt === undefined ? o.help : `${o.help} (default: ${dflt})`];
  });
  rows.push(['-h, --help', 'show this help']);
  return `usage: tensile ${c.name}${c.args ? ` ${c.args}` : ''} [options]\n\n${c.summary}\n\noptions:\n${table(rows)}`;
}

/** `tensile --help`: the commands, one line each. */
export function mainHelp(commands: readonly Command[]): string {
  return `usage: tensile <command> [options]\n\ncommands:\n${table(commands.map((c) => [c.name, c.summary]))}\n\n` +
    `Run 'tensile <command> --help' for a command's options and their defaults.`;
}

/** Two aligned columns, indented by two spaces (the help's lists). */
export function table(rows: readonly (readonly [string, string])[]): string {
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n');
}
