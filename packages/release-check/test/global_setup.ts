// Builds, packs and installs once for every test file: turbo build of the public packages, one
// `pnpm pack` each into a temporary folder, then `npm install` of all tarballs into a fresh project.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import type { ReleaseContext } from '../src/context.js';
import { buildPackages, freshTempDir, packPackage } from '../src/pack.js';
import { installTarballs } from '../src/smoke_project.js';
import { DESIGNED_BACKENDS, backendPackages, publicPackages } from '../src/workspace.js';

export default function setup(project: TestProject): () => void {
  const packages = publicPackages();
  buildPackages(packages);
  const packDir = freshTempDir('pack');
  const packed = packages.map((p) => packPackage(p, packDir));
  const projectDir = join(packDir, 'project');
  installTarballs(projectDir, packed);
  const backends = backendPackages(packages).map((p) => ({ name: p.manifest.name, hasRegister: Boolean(p.manifest.exports?.['./register']) }));
  const missingBackends = DESIGNED_BACKENDS.filter((n) => !backends.some((b) => b.name === n))
    .map((name) => ({ name, reason: `packages/${name.slice('@tensile/'.length)} does not exist in this workspace yet` }));
  for (const m of missingBackends) console.log(`release-check: skipping backend ${m.name}: ${m.reason}`);
  const context: ReleaseContext = { packDir, projectDir, packed, backends, missingBackends };
  project.provide('release', context);
  return () => {
    if (process.env.TENSILE_KEEP_RELEASE_CHECK) console.log(`release-check: kept ${packDir}`);
    else rmSync(packDir, { recursive: true, force: true });
  };
}
