#!/usr/bin/env node
// Puts the built modules beside the compiled loader (dist/kernels.wasm), where
// `new URL('./kernels.wasm', import.meta.url)` finds it in Node, browsers and bundlers.
import { copyFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
for (const name of ['kernels.wasm', 'kernels-threads.wasm', 'kernels-relaxed.wasm', 'kernels-threads-relaxed.wasm']) {
  const src = join(pkg, 'wasm', name);
  if (!existsSync(src)) {
    console.error(`copy_wasm: wasm/${name} is missing: run \`pnpm --filter @tensile/backend-wasm build:wasm\` (turbo runs it before build)`);
    process.exit(1);
  }
  copyFileSync(src, join(pkg, 'dist', name));
}
