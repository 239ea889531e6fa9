// Builds and packs the public packages exactly as `pnpm publish` would, into a temporary folder.
import { mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, type RunResult } from './run.js';
import { readJson, repoRoot, type Manifest, type WorkspacePackage } from './workspace.js';

// The workspace's pinned pnpm, installed by scripts/setup.mjs (see scripts/pnpm.mjs).
const pnpmBin = join(repoRoot, '.tools', 'node_modules', 'pnpm', 'bin', 'pnpm.cjs');
const toolsPath = `${join(repoRoot, '.tools', 'node_modules', '.bin')}:${process.env.PATH ?? ''}`;

/**
 * Runs the workspace's pinned pnpm in `cwd` (turbo finds pnpm through PATH).
 * @example pnpm(['--version']) // '10.20.0\n'
 */
export function pnpm(args: string[], cwd = repoRoot): string {
  return pnpmRun(args, cwd).stdout;
}

/** As `pnpm`, with stderr too (npm prints publish's notices there). */
export function pnpmRun(args: string[], cwd = repoRoot): RunResult {
  return run(process.execPath, [pnpmBin, ...args], { cwd, env: { ...process.env, PATH: toolsPath, TURBO_TELEMETRY_DISABLED: '1' } });
}

/**
 * Builds the given packages and everything they depend on through turbo (cached: a no-op when
 * the test task already built them), so a package added later is built before it is packed.
 * @example buildPackages(publicPackages())
 */
export function buildPackages(packages: WorkspacePackage[]): void {
  const filters = packages.map((p) => `--filter=${p.manifest.name}`);
  pnpm(['exec', 'turbo', 'run', 'build', '--output-logs=errors-only', ...filters]);
}

/** A packed package: the tarball, its size, the files in it and the manifest as published. */
export interface PackedPackage {
  dir: string;
  name: string;
  tarball: string;
  bytes: number;
  files: string[];
  /** The tarball's own package.json (workspace: ranges already replaced by versions). */
  manifest: Manifest;
  /** The tarball unpacked: its `package/` folder. */
  unpacked: string;
}

/** A fresh folder under the OS's temporary directory (nothing is cached in the repository). */
export function freshTempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `tensile-${prefix}-`));
}

/**
 * Packs one package with `pnpm pack` into `dest` and unpacks it beside the tarball.
 * @example packPackage(publicPackages()[0], freshTempDir('pack')).tarball // '/tmp/tensile-pack-x/tensile-core-0.1.0.tgz'
 */
export function packPackage(pkg: WorkspacePackage, dest: string): PackedPackage {
  const out = pnpm(['--dir', pkg.dir, 'pack', '--pack-destination', dest, '--json']);
  const info = JSON.parse(out) as { filename: string; files: { path: string }[] };
  const unpackDir = join(dest, 'unpacked', pkg.manifest.name.replace('/', '__'));
  mkdirSync(unpackDir, { recursive: true });
  run('tar', ['xzf', info.filename, '-C', unpackDir]);
  const unpacked = join(unpackDir, 'package');
  return {
    dir: pkg.dir,
    name: pkg.manifest.name,
    tarball: info.filename,
    bytes: statSync(info.filename).size,
    files: info.files.map((f) => f.path).sort(),
    manifest: readJson<Manifest>(join(unpacked, 'package.json')),
    unpacked,
  };
}
