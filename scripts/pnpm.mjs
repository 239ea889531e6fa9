#!/usr/bin/env node
// Runs the project's pinned pnpm (installed into .tools/ by setup.mjs) with the given arguments.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const PNPM_VERSION = '10.20.0';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const pnpmBin = join(root, '.tools', 'node_modules', 'pnpm', 'bin', 'pnpm.cjs');
// turbo looks pnpm up on PATH; keep its telemetry off in CI and on developer machines.
process.env.PATH = `${join(root, '.tools', 'node_modules', '.bin')}:${process.env.PATH ?? ''}`;
process.env.TURBO_TELEMETRY_DISABLED = '1';

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = spawnSync(process.execPath, [pnpmBin, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
