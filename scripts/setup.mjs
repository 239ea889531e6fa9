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
// dataset-fashion-mnist: the Fashion-MNIST files @tensile/data reads (/usr/share/datasets/fashion-mnist).
// chromium: headless browser tests (vitest browser mode) and SwiftShader, the Vulkan ICD Dawn uses
// without a GPU; libvulkan1: the Vulkan loader Dawn (npm `webgpu`) opens.
const APT_PACKAGES = ['dataset-fashion-mnist', 'chromium', 'libvulkan1'];

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    console.error(`setup: '${cmd} ${args.join(' ')}' failed with exit code ${r.status}`);
    process.exit(r.status ?? 1);
  }
}

// Runs a step whose output only matters when it fails (turbo's banner and cache summary are
// noise on every start): prints what it captured, then exits, if it fails.
function runQuiet(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: ['inherit', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  if (r.status !== 0) {
    process.stdout.write(r.stdout ?? '');
    process.stderr.write(r.stderr ?? '');
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
// The steps below print nothing unless they fail, so say why a first run takes a while.
if (!existsSync(join(root, 'node_modules'))) console.log('setup: first run: installing dependencies and building (a minute or two)');
const frozen = existsSync(join(root, 'pnpm-lock.yaml')) && process.env.CI ? ['--frozen-lockfile'] : [];
// --loglevel=error drops pnpm's progress lines and summary but still prints errors as they happen.
run(process.execPath, [pnpmBin, 'install', '--loglevel=error', ...frozen]);
runQuiet(process.execPath, [pnpmBin, 'exec', 'turbo', 'run', 'build', '--output-logs=errors-only']);
