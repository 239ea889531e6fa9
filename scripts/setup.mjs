#!/usr/bin/env node
// Idempotent bootstrap shared by `npm start` and `npm test`: system packages, pnpm,
// workspace dependencies, then a turbo build. Safe to run any number of times.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { pnpmBin, PNPM_VERSION } from './pnpm.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Debian packages the project needs (later issues add e.g. the wasm32 Rust toolchain).
const APT_PACKAGES = [];

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    console.error(`setup: '${cmd} ${args.join(' ')}' failed with exit code ${r.status}`);
    process.exit(r.status ?? 1);
  }
}

function ensureApt() {
  const missing = APT_PACKAGES.filter(
    (p) => spawnSync('dpkg', ['-s', p], { stdio: 'ignore' }).status !== 0,
  );
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    console.error(`setup: missing Debian packages: ${missing.join(' ')}\n` +
      `  run as root, or install them: sudo apt-get install -y ${missing.join(' ')}`);
    process.exit(1);
  }
  run('apt-get', ['update']);
  run('apt-get', ['install', '-y', '--no-install-recommends', ...missing]);
}

function ensurePnpm() {
  if (existsSync(pnpmBin)) return;
  // corepack's pnpm download fails its signature check on these machines; npm works.
  console.log(`setup: installing pnpm ${PNPM_VERSION} into .tools/`);
  run('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', join(root, '.tools'), `pnpm@${PNPM_VERSION}`]);
}

ensureApt();
ensurePnpm();
const frozen = existsSync(join(root, 'pnpm-lock.yaml')) && process.env.CI ? ['--frozen-lockfile'] : [];
run(process.execPath, [pnpmBin, 'install', ...frozen]);
run(process.execPath, [pnpmBin, 'exec', 'turbo', 'run', 'build', '--output-logs=errors-only']);
