#!/usr/bin/env node
// Runs the kernels' Rust unit tests on the host (`cargo test`), before the TypeScript suites.
import { spawnSync } from 'node:child_process';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const workspace = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'rust-kernels');
const env = { ...process.env, PATH: `${join(homedir(), '.cargo', 'bin')}:${process.env.PATH ?? ''}` };
const r = spawnSync('cargo', ['test', '--quiet', '-p', 'tensile-kernels'], { cwd: workspace, stdio: 'inherit', env });
if (r.error) console.error(`test_rust: cannot run cargo (${r.error.message}); run \`node scripts/setup.mjs\` from the repository root`);
process.exit(r.error ? 1 : (r.status ?? 1));
