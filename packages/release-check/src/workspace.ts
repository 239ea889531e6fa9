// Finds what `changeset publish` would upload: every public package of the workspace.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The monorepo root (two levels above this package). */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The parts of a package.json the release check reads. */
export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  description?: string;
  license?: string;
  repository?: { type?: string; url?: string; directory?: string };
  keywords?: string[];
  engines?: Record<string, string>;
  type?: string;
  sideEffects?: boolean | string[];
  main?: string;
  types?: string;
  exports?: Record<string, string | Record<string, string>>;
  files?: string[];
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  'size-limit'?: SizeBudget[];
  [key: string]: unknown;
}

/** One size-limit entry of a package.json: the gzip budget of one built entry point. */
export interface SizeBudget {
  name?: string;
  path: string;
  limit: string;
  /** Must be true: budgets are gzip sizes (size-limit's default would be brotli). */
  gzip?: boolean;
  ignore?: string[];
}

/** A public package of the workspace: its folder (relative to the root) and manifest. */
export interface WorkspacePackage {
  dir: string;
  manifest: Manifest;
}

/** Reads a JSON file. */
export function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/**
 * Every non-private package under packages/ and apps/, sorted by folder.
 * @example publicPackages().map((p) => p.manifest.name) // ['@tensile/backend-js', '@tensile/conformance', ...]
 */
export function publicPackages(root = repoRoot): WorkspacePackage[] {
  const found: WorkspacePackage[] = [];
  for (const group of ['packages', 'apps']) {
    const groupDir = join(root, group);
    if (!existsSync(groupDir)) continue;
    for (const name of readdirSync(groupDir).sort()) {
      const file = join(groupDir, name, 'package.json');
      if (!existsSync(file)) continue;
      const manifest = readJson<Manifest>(file);
      if (!manifest.private) found.push({ dir: `${group}/${name}`, manifest });
    }
  }
  return found;
}

/**
 * The backend packages: every public `packages/backend-*`, so a new backend joins the smoke
 * tests as soon as its folder exists.
 * @example backendPackages().map((p) => p.manifest.name) // ['@tensile/backend-js']
 */
export function backendPackages(packages = publicPackages()): WorkspacePackage[] {
  return packages.filter((p) => /^packages\/backend-[\w-]+$/.test(p.dir));
}

/**
 * The backends DESIGN.md §1 names. One whose folder does not exist yet is reported by name as
 * skipped, so a missing backend is never a silent pass.
 */
export const DESIGNED_BACKENDS = ['@tensile/backend-js', '@tensile/backend-wasm', '@tensile/backend-webgpu'];
