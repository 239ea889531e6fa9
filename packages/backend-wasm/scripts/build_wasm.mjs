#!/usr/bin/env node
// Builds the two artifacts: rust-kernels' wasm crate with wasm-pack (release, SIMD128 via
// rust-kernels/.cargo), keeping only the module: wasm/kernels.wasm; and the threads crate with
// cargo nightly and build-std (std rebuilt with +atomics, DESIGN.md §7) on an imported shared
// memory: wasm/kernels-threads.wasm; then wasm-opt over both. The TypeScript loader instantiates the raw
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

// The threaded artifact. The initial and maximum memory must match THREADED_MEMORY_PAGES in
// src/loader.ts (the loader creates the shared memory the module imports). Workers set their
// own stack pointer and TLS block, hence the exported globals and __wasm_init_tls.
const workspace = join(pkg, '..', '..', 'rust-kernels');
const threadFlags = [
  '-C', 'target-feature=+atomics,+bulk-memory,+mutable-globals,+simd128',
  ...['--shared-memory', '--import-memory', '--initial-memory=16777216', '--max-memory=2147483648',
    '--export=__wasm_init_tls', '--export=__tls_size', '--export=__tls_align', '--export=__tls_base',
    '--export=__stack_pointer'].flatMap((a) => ['-C', `link-arg=${a}`]),
];
const threadsTarget = join(workspace, 'target', 'threads');
const t = spawnSync('cargo', ['+nightly', 'build', '-Z', 'build-std=panic_abort,std', '--release', '--target', 'wasm32-unknown-unknown',
  '-p', 'tensile-kernels-threads', '--target-dir', threadsTarget], {
  cwd: workspace, stdio: ['ignore', 'inherit', 'inherit'], env: { ...env, RUSTFLAGS: threadFlags.join(' ') },
});
if (t.error || t.status !== 0) {
  console.error(`build_wasm: the threaded build failed (${t.error?.message ?? `exit code ${t.status}`}); ` +
    'run `node scripts/setup.mjs` from the repository root to install the nightly toolchain with rust-src');
  process.exit(1);
}
copyFileSync(join(threadsTarget, 'wasm32-unknown-unknown', 'release', 'tensile_kernels_threads.wasm'), join(pkg, 'wasm', 'kernels-threads.wasm'));

// wasm-opt (the npm `binaryen` package, DESIGN.md §7) folds constant address arithmetic into
// the loads' offset immediates, which LLVM leaves as separate i32.add instructions: V8 then
// addresses the GEMM micro-kernel's operands as [base + index + offset] with no extra
// instruction per load. `--low-memory-unused` is what makes the folding valid: nothing lives
// in the first 1 KiB (the Rust stack sits below the data and never reaches the bottom).
const wasmOpt = join(pkg, 'node_modules', '.bin', 'wasm-opt');
for (const name of ['kernels.wasm', 'kernels-threads.wasm']) {
  const file = join(pkg, 'wasm', name);
  const o = spawnSync(wasmOpt, ['-O3', '--low-memory-unused', '--optimize-added-constants-propagate', file, '-o', file], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (o.error || o.status !== 0) {
    console.error(`build_wasm: wasm-opt failed on ${name} (${o.error?.message ?? `exit code ${o.status}`}); run \`pnpm install\` first`);
    process.exit(1);
  }
}
