#!/usr/bin/env node
// Builds rust-kernels' wasm crate with wasm-pack (release, SIMD128 via rust-kernels/.cargo)
// and keeps only the module: wasm/kernels.wasm. The TypeScript loader instantiates the raw
// `tk_*` exports itself, so wasm-bindgen's JS glue is not used. turbo caches this task on
// rust-kernels/** (turbo.json), so an unchanged crate is not rebuilt.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const crate = join(pkg, '..', '..', 'rust-kernels', 'wasm');
const outDir = join(pkg, '..', '..', 'rust-kernels', 'target', 'wasm-pack');
// rustup installs cargo, wasm-pack and wasm-bindgen into ~/.cargo/bin, which npm scripts may not have on PATH.
const env = { ...process.env, PATH: `${join(homedir(), '.cargo', 'bin')}:${process.env.PATH ?? ''}` };
const r = spawnSync('wasm-pack', ['build', crate, '--release', '--target', 'web', '--no-typescript', '--no-pack', '--out-dir', outDir, '--out-name', 'kernels'], {
  stdio: ['ignore', 'inherit', 'inherit'], env,
});
if (r.error || r.status !== 0) {
  console.error(`build_wasm: wasm-pack failed (${r.error?.message ?? `exit code ${r.status}`}); ` +
    'run `node scripts/setup.mjs` from the repository root to install the Rust target, wasm-pack and wasm-bindgen-cli');
  process.exit(1);
}
mkdirSync(join(pkg, 'wasm'), { recursive: true });
copyFileSync(join(outDir, 'kernels_bg.wasm'), join(pkg, 'wasm', 'kernels.wasm'));
