// A tiny `--name value` flag parser with typed, validated values.

/** A bad command line: main prints its message and the usage, without a stack. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** How to read each flag: an integer >= 1, a positive float, or a non-negative integer. */
export type FlagKind = 'count' | 'positive' | 'seed' | 'string';

/** The parsed values: strings for 'string' flags, numbers otherwise; absent flags are missing. */
export type Flags<S extends Record<string, FlagKind>> = { [P in keyof S]?: S[P] extends 'string' ? string : number };

/** Parses `argv` against `spec`; throws on an unknown flag, a missing value or a bad number. */
export function parseFlags<S extends Record<string, FlagKind>>(argv: readonly string[], spec: S): Flags<S> {
  const out: Record<string, number | string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const name = (eq > 0 ? arg.slice(0, eq) : arg).replace(/^--/, '');
    const kind = arg.startsWith('--') ? spec[name] : undefined;
    if (kind === undefined) throw new UsageError(`unknown option '${arg}' (options: ${Object.keys(spec).map((k) => `--${k}`).join(' ')})`);
    const raw = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (raw === undefined) throw new UsageError(`option --${name} needs a value`);
    out[name] = kind === 'string' ? raw : number(name, raw, kind);
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
