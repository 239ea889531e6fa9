// Conventions every package of the monorepo keeps (a konsistent-style check): ESM with an
// exports map, tree-shakeable, core as a peer, and every backend running this suite.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const read = (f: string): any => JSON.parse(readFileSync(f, 'utf8'));
// The published libraries; a private tool package (packages/release-check) is not one.
const packages = readdirSync(join(root, 'packages')).map((d) => join(root, 'packages', d))
  .filter((d) => read(join(d, 'package.json')).private !== true);

describe.each(packages.map((dir) => [dir.split('/').pop()!, dir] as const))('package %s', (name, dir) => {
  const pkg = read(join(dir, 'package.json'));

  it('is an ESM package with a types/import/default exports map', () => {
    expect(pkg.name).toBe(`@tensile/${name}`);
    expect(pkg.type).toBe('module');
    expect(pkg.exports['./package.json']).toBe('./package.json');
    for (const entry of Object.values(pkg.exports).filter((e) => typeof e === 'object')) {
      expect(Object.keys(entry as object)).toEqual(['types', 'import', 'default']);
    }
  });

  it('declares its side effects (none, or only ./register)', () => {
    const se = pkg.sideEffects;
    expect(se === false || (Array.isArray(se) && se.every((f: string) => f.includes('register')))).toBe(true);
  });

  it('takes @tensile/core as a peer dependency, never a regular one', () => {
    if (name === 'core') return;
    expect(pkg.peerDependencies?.['@tensile/core']).toBeDefined();
    expect(pkg.dependencies?.['@tensile/core']).toBeUndefined();
  });

  it('is versioned by changesets (public, not ignored)', () => {
    const cfg = read(join(root, '.changeset', 'config.json'));
    expect(pkg.private).not.toBe(true);
    expect(cfg.ignore).not.toContain(pkg.name);
  });
});

describe.each(packages.filter((d) => /backend-/.test(d)).map((d) => [d.split('/').pop()!, d] as const))('backend %s', (_name, dir) => {
  it('exports a create*Backend factory and a ./register entry', () => {
    const index = readFileSync(join(dir, 'src', 'index.ts'), 'utf8');
    expect(index).toMatch(/export \{[^}]*\bcreate\w+Backend\b/);
    expect(existsSync(join(dir, 'src', 'register.ts'))).toBe(true);
  });

  it('runs the whole conformance suite from one test file', () => {
    const test = readFileSync(join(dir, 'test', 'conformance.test.ts'), 'utf8');
    expect(test).toMatch(/describeBackend\(/);
  });
});
