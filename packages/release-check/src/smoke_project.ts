// A fresh npm project outside the workspace with the packed tarballs installed: what a user gets
// from `npm install @tensile/...` (no workspace links, no pnpm).
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PackedPackage } from './pack.js';
import { run } from './run.js';

/** The smoke scripts and page (plain JS), copied into the project. */
export const smokeSources = fileURLToPath(new URL('../smoke/', import.meta.url));

/**
 * Creates `<dir>/package.json`, installs every tarball with npm (peer dependencies resolved by
 * npm, registry metadata from its cache when it has it) and copies the smoke scripts beside them.
 * @example installTarballs(freshTempDir('smoke'), packed)
 */
export function installTarballs(dir: string, packed: PackedPackage[]): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'tensile-tarball-smoke', private: true, type: 'module' }, null, 2));
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...packed.map((p) => p.tarball)], { cwd: dir });
  cpSync(smokeSources, dir, { recursive: true });
}
