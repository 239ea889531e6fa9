#!/usr/bin/env node
// Idempotent bootstrap shared by `npm start` and `npm test`: system packages, pnpm,
// workspace dependencies, then a turbo build. Safe to run any number of times.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
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

// The WASM backend's toolchain: the wasm32 target (stable, and nightly with rust-src for the
// threaded build), wasm-pack, and wasm-bindgen-cli at exactly the
// wasm-bindgen version of rust-kernels/Cargo.lock (wasm-pack runs it on every build). Installed
// from the Rust crate registry with cargo; wasm-opt is disabled in the crate's metadata.
const WASM_PACK_VERSION = '0.15.1';
const CARGO_BIN = join(homedir(), '.cargo', 'bin');

function toolVersion(bin) {
  const r = spawnSync(join(CARGO_BIN, bin), ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim().split(/\s+/).pop() : undefined;
}

function ensureRust() {
  const env = { ...process.env, PATH: `${CARGO_BIN}:${process.env.PATH ?? ''}` };
  const has = (bin) => spawnSync(bin, ['--version'], { stdio: 'ignore', env }).status === 0;
  const missing = ['cargo', 'rustup'].filter((b) => !has(b));
  if (missing.length > 0) {
    console.error(`setup: missing ${missing.join(' and ')}: @tensile/backend-wasm builds its kernels from Rust.\n` +
      '  install Rust with rustup (https://rustup.rs), then run this again');
    process.exit(1);
  }
  const targets = spawnSync('rustup', ['target', 'list', '--installed'], { encoding: 'utf8', env }).stdout ?? '';
  if (!targets.split('\n').includes('wasm32-unknown-unknown')) {
    console.log('setup: adding the wasm32-unknown-unknown Rust target');
    run('rustup', ['target', 'add', 'wasm32-unknown-unknown'], { env });
  }
  // The threaded artifact rebuilds std with +atomics: nightly's `-Z build-std` needs rust-src
  // and the wasm32 target on the nightly toolchain (DESIGN.md §7).
  const nightly = spawnSync('rustup', ['component', 'list', '--toolchain', 'nightly', '--installed'], { encoding: 'utf8', env });
  const nightlyHas = nightly.status === 0 ? nightly.stdout.split('\n') : [];
  if (nightly.status !== 0) {
    console.log('setup: installing the nightly Rust toolchain (threaded WASM kernels)');
    run('rustup', ['toolchain', 'install', 'nightly', '--profile', 'minimal'], { env });
  }
  if (!nightlyHas.some((c) => c.startsWith('rust-src'))) {
    console.log('setup: adding rust-src to the nightly toolchain');
    run('rustup', ['component', 'add', 'rust-src', '--toolchain', 'nightly'], { env });
  }
  if (!nightlyHas.includes('rust-std-wasm32-unknown-unknown')) {
    console.log('setup: adding the wasm32-unknown-unknown target to the nightly toolchain');
    run('rustup', ['target', 'add', 'wasm32-unknown-unknown', '--toolchain', 'nightly'], { env });
  }
  if (toolVersion('wasm-pack') !== WASM_PACK_VERSION) {
    console.log(`setup: installing wasm-pack ${WASM_PACK_VERSION} with cargo (several minutes, once)`);
    run('cargo', ['install', 'wasm-pack', '--version', WASM_PACK_VERSION, '--locked'], { env });
  }
  const lock = readFileSync(join(root, 'rust-kernels', 'Cargo.lock'), 'utf8');
  const bindgen = /name = "wasm-bindgen"\nversion = "([^"]+)"/.exec(lock)?.[1];
  if (bindgen && toolVersion('wasm-bindgen') !== bindgen) {
    // Not --locked: with it, cargo cannot resolve wasm-bindgen-cli's dependencies (DESIGN.md §7).
    console.log(`setup: installing wasm-bindgen-cli ${bindgen} with cargo (a few minutes, once)`);
    run('cargo', ['install', 'wasm-bindgen-cli', '--version', bindgen], { env });
  }
}

function ensurePnpm() {
  if (existsSync(pnpmBin)) return;
  // corepack's pnpm download fails its signature check on these machines; npm works.
  console.log(`setup: installing pnpm ${PNPM_VERSION} into .tools/`);
  run('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', join(root, '.tools'), `pnpm@${PNPM_VERSION}`]);
}

ensureApt();
ensureRust();
ensurePnpm();
// The steps below print nothing unless they fail, so say why a first run takes a while.
if (!existsSync(join(root, 'node_modules'))) console.log('setup: first run: installing dependencies and building (a minute or two)');
const frozen = existsSync(join(root, 'pnpm-lock.yaml')) && process.env.CI ? ['--frozen-lockfile'] : [];
// --loglevel=error drops pnpm's progress lines and summary but still prints errors as they happen.
run(process.execPath, [pnpmBin, 'install', '--loglevel=error', ...frozen]);
runQuiet(process.execPath, [pnpmBin, 'exec', 'turbo', 'run', 'build', '--output-logs=errors-only']);
