#!/usr/bin/env node
// Builds the four artifacts, in two SIMD flavours: plain SIMD128, and SIMD128 + relaxed SIMD
// (the GEMM's multiply-adds become one f32x4.relaxed_madd, an FMA on CPUs that have one; the
// loader picks it where WebAssembly validates it: Chrome 114+, Node 22+). Per flavour:
// rust-kernels' wasm crate with wasm-pack (release), keeping only the module: wasm/kernels.wasm;
// and the threads crate with cargo nightly and build-std (std rebuilt with +atomics, DESIGN.md
// §7) on an imported shared memory: wasm/kernels-threads.wasm (and *-relaxed.wasm). Then
// wasm-opt over all four. The TypeScript loader instantiates the raw `tk_*` exports itself, so
// wasm-bindgen's JS glue is not used. turbo caches this task on rust-kernels/** (turbo.json),
// so an unchanged crate is not rebuilt.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const workspace = join(pkg, '..', '..', 'rust-kernels');
const crate = join(workspace, 'wasm');
const target = join(workspace, 'target');
// rustup installs cargo, wasm-pack and wasm-bindgen into ~/.cargo/bin, which npm scripts may not have on PATH.
const env = { ...process.env, PATH: `${join(homedir(), '.cargo', 'bin')}:${process.env.PATH ?? ''}` };
mkdirSync(join(pkg, 'wasm'), { recursive: true });

function run(what, cmd, args, opts, hint) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
  if (r.error || r.status !== 0) {
    console.error(`build_wasm: ${what} failed (${r.error?.message ?? `exit code ${r.status}`}); ${hint}`);
    process.exit(1);
  }
}

// The threaded artifact's initial and maximum memory must match THREADED_MEMORY_PAGES in
// src/loader.ts (the loader creates the shared memory the module imports). Workers set their
// own stack pointer and TLS block, hence the exported globals and __wasm_init_tls.
const threadLinkArgs = ['--shared-memory', '--import-memory', '--initial-memory=16777216', '--max-memory=2147483648',
  '--export=__wasm_init_tls', '--export=__tls_size', '--export=__tls_align', '--export=__tls_base',
  '--export=__stack_pointer'].flatMap((a) => ['-C', `link-arg=${a}`]);

for (const relaxed of [false, true]) {
  const suffix = relaxed ? '-relaxed' : '';
  const simd = relaxed ? '+simd128,+relaxed-simd' : '+simd128';
  // Single-threaded. The relaxed flavour builds into its own target dir (CARGO_TARGET_DIR, which
  // wasm-pack's cargo metadata honours), so neither flavour invalidates the other's cache.
  const outDir = join(target, `wasm-pack${suffix}`);
  run(`wasm-pack${relaxed ? ' (relaxed SIMD)' : ''}`, 'wasm-pack',
    ['build', crate, '--release', '--target', 'web', '--no-typescript', '--no-pack', '--out-dir', outDir, '--out-name', 'kernels'],
    { env: relaxed ? { ...env, RUSTFLAGS: `-C target-feature=${simd}`, CARGO_TARGET_DIR: join(target, 'relaxed') } : env },
    'run `node scripts/setup.mjs` from the repository root to install the Rust target, wasm-pack and wasm-bindgen-cli');
  copyFileSync(join(outDir, 'kernels_bg.wasm'), join(pkg, 'wasm', `kernels${suffix}.wasm`));

  const threadsTarget = join(target, `threads${suffix}`);
  const flags = ['-C', `target-feature=+atomics,+bulk-memory,+mutable-globals,${simd}`, ...threadLinkArgs];
  run(`the threaded build${relaxed ? ' (relaxed SIMD)' : ''}`, 'cargo',
    ['+nightly', 'build', '-Z', 'build-std=panic_abort,std', '--release', '--target', 'wasm32-unknown-unknown', '-p', 'tensile-kernels-threads',
      '--target-dir', threadsTarget],
    { cwd: workspace, env: { ...env, RUSTFLAGS: flags.join(' ') } },
    'run `node scripts/setup.mjs` from the repository root to install the nightly toolchain with rust-src');
  copyFileSync(join(threadsTarget, 'wasm32-unknown-unknown', 'release', 'tensile_kernels_threads.wasm'), join(pkg, 'wasm', `kernels-threads${suffix}.wasm`));
}

// wasm-opt (the npm `binaryen` package, DESIGN.md §7) folds constant address arithmetic into
// the loads' offset immediates, which LLVM leaves as separate i32.add instructions: V8 then
// addresses the GEMM micro-kernel's operands as [base + index + offset] with no extra
// instruction per load. `--low-memory-unused` is what makes the folding valid: nothing lives
// in the first 1 KiB (the Rust stack sits below the data and never reaches the bottom).
const wasmOpt = join(pkg, 'node_modules', '.bin', 'wasm-opt');
for (const name of ['kernels.wasm', 'kernels-threads.wasm', 'kernels-relaxed.wasm', 'kernels-threads-relaxed.wasm']) {
  const file = join(pkg, 'wasm', name);
  run(`wasm-opt on ${name}`, wasmOpt, ['-O3', '--low-memory-unused', '--optimize-added-constants-propagate', file, '-o', file], {},
    'run `pnpm install` first');
}
