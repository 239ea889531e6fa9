// The first release is one command: on a throwaway copy of the workspace (so the repository's
// changesets are not consumed), `changeset version` writes every public package's CHANGELOG and
// bumps its version, and `pnpm publish -r --dry-run` then publishes all of them, CHANGELOGs included.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freshTempDir, pnpm, pnpmRun } from '../src/pack.js';
import { run } from '../src/run.js';
import { readJson, repoRoot, type Manifest } from '../src/workspace.js';

const { packed } = inject('release');
const changesetBin = join(dirname(createRequire(join(repoRoot, 'package.json')).resolve('@changesets/cli/package.json')), 'bin.js');
let copy = '';
let publishOutput = '';

/** The pending changesets' text for one package (what its CHANGELOG must then hold). */
function pendingEntries(dir: string, name: string): string[] {
  const folder = join(dir, '.changeset');
  return readdirSync(folder).filter((f) => f.endsWith('.md') && f !== 'README.md')
    .map((f) => readFileSync(join(folder, f), 'utf8'))
    .filter((text) => new RegExp(`^"${name}": (patch|minor|major)$`, 'm').test(text))
    .map((text) => text.split('---').slice(2).join('---').trim().split('\n')[0]!);
}

beforeAll(() => {
  copy = freshTempDir('changesets');
  // Tracked and new (not ignored) files, plus each public package's build.
  const files = run('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: repoRoot }).stdout.split('\0').filter(Boolean);
  for (const f of files) {
    if (!existsSync(join(repoRoot, f))) continue; // deleted in the working tree
    mkdirSync(dirname(join(copy, f)), { recursive: true });
    cpSync(join(repoRoot, f), join(copy, f));
  }
  for (const p of packed) cpSync(join(repoRoot, p.dir, 'dist'), join(copy, p.dir, 'dist'), { recursive: true });
}, 120_000);

afterAll(() => { if (copy) rmSync(copy, { recursive: true, force: true }); });

describe('changesets release on a throwaway copy', () => {
  it('changeset version writes a CHANGELOG for every public package from the pending changesets', () => {
    // One more changeset for every package, so there is a release to make even right after a
    // real one consumed the repository's changesets.
    const frontmatter = packed.map((p) => `"${p.name}": patch`).join('\n');
    writeFileSync(join(copy, '.changeset', 'release-check-dry-run.md'), `---\n${frontmatter}\n---\n\nRelease check dry run.\n`);
    const expected = Object.fromEntries(packed.map((p) => [p.name, pendingEntries(copy, p.name)]));
    run(process.execPath, [changesetBin, 'version'], { cwd: copy });
    for (const p of packed) {
      const manifest = readJson<Manifest>(join(copy, p.dir, 'package.json'));
      const changelog = readFileSync(join(copy, p.dir, 'CHANGELOG.md'), 'utf8');
      expect(changelog.startsWith(`# ${p.name}\n\n## ${manifest.version}\n`), `${p.name} CHANGELOG heading`).toBe(true);
      expect(manifest.version, `${p.name} version`).not.toBe(p.manifest.version);
      expect(expected[p.name], `${p.name} pending entries`).toContain('Release check dry run.');
      for (const first of expected[p.name]!) expect(changelog, `${p.name} CHANGELOG`).toContain(first);
    }
    // Every changeset was consumed: only the README and the config stay.
    expect(readdirSync(join(copy, '.changeset')).sort()).toEqual(['README.md', 'config.json']);
  });

  it('pnpm publish -r --dry-run publishes every public package, each with its CHANGELOG', () => {
    pnpm(['install', '--offline', '--frozen-lockfile', '--ignore-scripts', '--loglevel=error'], copy);
    const published = pnpmRun(['publish', '-r', '--dry-run', '--no-git-checks'], copy);
    publishOutput = `${published.stdout}\n${published.stderr}`;
    const sections = publishOutput.split(/npm notice 📦\s+/).slice(1);
    for (const p of packed) {
      const version = readJson<Manifest>(join(copy, p.dir, 'package.json')).version;
      const section = sections.find((s) => s.startsWith(`${p.name}@${version}\n`));
      expect(section, `${p.name}@${version} in the dry run`).toBeDefined();
      expect(section, `${p.name} tarball contents`).toMatch(/CHANGELOG\.md/);
      expect(publishOutput).toContain(`+ ${p.name}@${version}`);
    }
  });
});
