// Gzip size of each entry point as a user's bundler would see it: the installed package, bundled
// and minified by esbuild (size-limit's @size-limit/esbuild), peer dependencies left out.
import esbuildPlugin from '@size-limit/esbuild';
import filePlugin from '@size-limit/file';
import { join } from 'node:path';
import sizeLimit from 'size-limit';
import type { Manifest, SizeBudget } from './workspace.js';

/** One measured entry point against its budget. */
export interface SizeResult {
  path: string;
  limitBytes: number;
  limit: string;
  gzipBytes: number;
}

const UNITS: Record<string, number> = { B: 1, kB: 1000, KiB: 1024, MB: 1e6, MiB: 1 << 20 };

/**
 * A size-limit `limit` string in bytes (size-limit's units: kB = 1000 B).
 * @example parseLimit('12.5 kB') // 12500
 */
export function parseLimit(limit: string): number {
  const m = /^(\d+(?:\.\d+)?) ?(B|kB|KiB|MB|MiB)$/.exec(limit.trim());
  if (!m) throw new Error(`size-limit: cannot read the limit "${limit}" (write e.g. "12 kB")`);
  return Math.round(Number(m[1]) * UNITS[m[2]!]!);
}

/**
 * Measures every `size-limit` budget of an installed package (in `<project>/node_modules`).
 * @example await measureBudgets(join(project, 'node_modules/@tensile/core'), manifest) // [{ path: 'dist/index.js', gzipBytes: 31000, ... }]
 */
export async function measureBudgets(installedDir: string, manifest: Manifest): Promise<SizeResult[]> {
  const budgets: SizeBudget[] = manifest['size-limit'] ?? [];
  const peers = Object.keys(manifest.peerDependencies ?? {});
  const checks = budgets.map((b) => ({
    files: [join(installedDir, b.path)],
    // Node's built-ins are never bundled (they appear only in Node-only code paths).
    ignore: [...peers, 'node:*', ...(b.ignore ?? [])],
    gzip: true,
  }));
  if (checks.length === 0) return [];
  const measured = (await sizeLimit([...filePlugin, ...esbuildPlugin], { checks })) as { size: number }[];
  return budgets.map((b, i) => ({ path: b.path, limit: b.limit, limitBytes: parseLimit(b.limit), gzipBytes: measured[i]!.size }));
}
