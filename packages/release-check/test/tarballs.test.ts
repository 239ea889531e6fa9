// Each tarball as `changeset publish` would upload it: its files, its manifest and README,
// publint, Are the Types Wrong and the gzip budget of every entry point.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { filesProblems } from '../src/files_policy.js';
import { manifestProblems, readmeProblems } from '../src/manifest_policy.js';
import { run } from '../src/run.js';
import { measureBudgets, type SizeResult } from '../src/size.js';

const { packed, projectDir } = inject('release');
const attwBin = createRequire(import.meta.url).resolve('@arethetypeswrong/cli/package.json').replace(/package\.json$/, 'dist/index.js');
const sizes = new Map<string, SizeResult[]>();

describe.each(packed.map((p) => [p.name, p] as const))('%s tarball', (_name, pkg) => {
  it('holds only what is needed: no tests, fixtures or build caches, and every source map resolves', () => {
    expect(filesProblems(pkg)).toEqual([]);
  });

  it('has complete metadata, ESM exports with types/import/default and the right sideEffects', () => {
    expect(manifestProblems(pkg)).toEqual([]);
  });

  it('has a README with an install line, an example and a link to the main README', () => {
    expect(readmeProblems(pkg)).toEqual([]);
  });

  it('passes publint (strict, down to suggestions)', async () => {
    const tarball = readFileSync(pkg.tarball);
    const { messages, pkg: manifest } = await publint({ pack: { tarball: tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.byteLength) }, level: 'suggestion', strict: true });
    expect(messages.map((m) => `${m.type}: ${formatMessage(m, manifest, { color: false })}`)).toEqual([]);
  });

  it('passes Are the Types Wrong (ESM-only profile: node16 from ESM and bundler resolve every entry with types)', () => {
    // Throws with attw's table when any entry point has a problem.
    run(process.execPath, [attwBin, pkg.tarball, '--profile', 'esm-only', '--no-definitely-typed', '--format', 'table-flipped', '--no-color', '--no-emoji']);
  });

  it('stays within the gzip budget of every entry point (size-limit, bundled as installed)', async () => {
    const results = await measureBudgets(join(projectDir, 'node_modules', pkg.name), pkg.manifest);
    sizes.set(pkg.name, results);
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) expect({ path: r.path, over: r.gzipBytes > r.limitBytes, gzipBytes: r.gzipBytes }).toEqual({ path: r.path, over: false, gzipBytes: r.gzipBytes });
  });
});

afterAll(() => {
  // The numbers a release note states: tarball size and each entry's gzip size against its budget.
  const lines = packed.map((p) => {
    const entries = (sizes.get(p.name) ?? []).map((r) => `${r.path} ${(r.gzipBytes / 1000).toFixed(1)} kB / ${r.limit}`).join(', ');
    return `  ${p.name.padEnd(26)} tarball ${(p.bytes / 1000).toFixed(1).padStart(6)} kB (${p.files.length} files); gzip: ${entries}`;
  });
  console.log(`release-check: tarballs\n${lines.join('\n')}`);
});
