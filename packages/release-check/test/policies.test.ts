// The release policies on made-up tarballs: each rule reports the problem it exists for, so a
// clean real tarball (tarballs.test.ts) means something.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { filesProblems } from '../src/files_policy.js';
import { mainReadmeUrl, manifestProblems, readmeProblems, rootRepositoryUrl } from '../src/manifest_policy.js';
import type { PackedPackage } from '../src/pack.js';
import { parseLimit } from '../src/size.js';
import type { Manifest } from '../src/workspace.js';

const scratch = mkdtempSync(join(tmpdir(), 'tensile-policies-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const entry = (file: string) => ({ types: `./dist/${file}.d.ts`, import: `./dist/${file}.js`, default: `./dist/${file}.js` });

// A package that passes every rule; each case below breaks one thing.
function goodManifest(): Manifest {
  return {
    name: '@tensile/demo', version: '1.2.3', description: 'demo', license: 'MIT',
    repository: { type: 'git', url: rootRepositoryUrl(), directory: 'packages/demo' },
    keywords: ['tensile', 'a', 'b'], engines: { node: '>=20' }, type: 'module', sideEffects: false,
    exports: { '.': entry('index'), './package.json': './package.json' },
    peerDependencies: { '@tensile/core': '^1.0.0' },
    'size-limit': [{ path: 'dist/index.js', limit: '1 kB', gzip: true }],
  };
}
const goodFiles: Record<string, string> = {
  'package.json': '{}', LICENSE: 'MIT', 'README.md': '',
  'dist/index.js': 'export {};\n//# sourceMappingURL=index.js.map',
  'dist/index.js.map': JSON.stringify({ version: 3, sources: ['../src/index.ts'], mappings: '' }),
  'dist/index.d.ts': 'export {};', 'src/index.ts': 'export {};',
};
const goodReadme = `# @tensile/demo\n\n\`\`\`sh\nnpm install @tensile/demo\n\`\`\`\n\n\`\`\`ts\nimport '@tensile/demo';\n\`\`\`\n\nSee [Tensile](${mainReadmeUrl()}).\n`;

let n = 0;
function fakePackage(edit: { manifest?: (m: Manifest) => void; files?: Record<string, string | null>; readme?: string; dir?: string; name?: string }): PackedPackage {
  const manifest = goodManifest();
  edit.manifest?.(manifest);
  const files = { ...goodFiles, 'README.md': edit.readme ?? goodReadme, ...edit.files };
  const unpacked = join(scratch, String(n++), 'package');
  for (const [path, text] of Object.entries(files)) {
    if (text === null) continue;
    mkdirSync(dirname(join(unpacked, path)), { recursive: true });
    writeFileSync(join(unpacked, path), text);
  }
  return {
    dir: edit.dir ?? 'packages/demo', name: edit.name ?? manifest.name, tarball: '', bytes: 0, unpacked, manifest,
    files: Object.entries(files).filter(([, t]) => t !== null).map(([p]) => p).sort(),
  };
}

describe('the policies accept a well-formed package', () => {
  it('has no problems', () => {
    const pkg = fakePackage({});
    expect([...filesProblems(pkg), ...manifestProblems(pkg), ...readmeProblems(pkg)]).toEqual([]);
  });
});

describe('filesProblems reports', () => {
  it.each<{ what: string; files: Record<string, string | null>; problem: string }>([
    { what: 'a compiled test', files: { 'dist/add.test.js': '' }, problem: 'dist/add.test.js is a test file' },
    { what: 'a test declaration file', files: { 'dist/add.test.d.ts': '' }, problem: 'dist/add.test.d.ts is a test file' },
    { what: 'a test helper', files: { 'src/test_utils.ts': '' }, problem: 'src/test_utils.ts is a test helper' },
    { what: 'a fixture', files: { 'src/fixtures/golden.ts': '' }, problem: 'src/fixtures/golden.ts is a test fixture' },
    { what: 'a build cache', files: { 'dist/tsconfig.tsbuildinfo': '' }, problem: 'dist/tsconfig.tsbuildinfo is a TypeScript build cache' },
    { what: 'a missing LICENSE', files: { LICENSE: null }, problem: 'LICENSE is missing from the tarball' },
    { what: 'an exported file that is not shipped', files: { 'dist/index.d.ts': null }, problem: 'dist/index.d.ts is named in package.json but not in the tarball' },
    { what: 'a source map whose source is not shipped', files: { 'src/index.ts': null }, problem: 'dist/index.js.map points at src/index.ts, which is not in the tarball' },
    { what: 'a sourceMappingURL to a missing map', files: { 'dist/index.js.map': null }, problem: 'dist/index.js names the source map dist/index.js.map, which is not in the tarball' },
  ])('$what', ({ files, problem }) => {
    expect(filesProblems(fakePackage({ files })).join('\n')).toContain(problem);
  });

  it('conformance’s golden fixtures as shipped on purpose, and nobody else’s', () => {
    const files = { 'dist/fixtures/golden.js': '' };
    expect(filesProblems(fakePackage({ files, name: '@tensile/conformance' }))).toEqual([]);
    expect(filesProblems(fakePackage({ files }))).toEqual(['dist/fixtures/golden.js is a test fixture and must not be published']);
  });
});

describe('manifestProblems reports', () => {
  it.each([
    { what: 'a missing license', edit: (m: Manifest) => { delete m.license; }, problem: 'license is undefined' },
    { what: 'another repository', edit: (m: Manifest) => { m.repository = { url: 'git+https://example.org/x.git', directory: 'packages/demo' }; }, problem: 'repository.url is git+https://example.org/x.git' },
    { what: 'a wrong repository directory', edit: (m: Manifest) => { m.repository!.directory = 'packages/other'; }, problem: 'repository.directory is packages/other' },
    { what: 'no keywords', edit: (m: Manifest) => { m.keywords = []; }, problem: 'keywords must include "tensile"' },
    { what: 'no engines', edit: (m: Manifest) => { delete m.engines; }, problem: 'engines.node is undefined' },
    { what: 'CommonJS', edit: (m: Manifest) => { m.type = 'commonjs'; }, problem: 'type must be "module"' },
    { what: 'conditions out of order', edit: (m: Manifest) => { m.exports!['.'] = { import: './dist/index.js', types: './dist/index.d.ts', default: './dist/index.js' }; }, problem: 'has conditions [import,types,default]' },
    { what: 'sideEffects missing', edit: (m: Manifest) => { delete m.sideEffects; }, problem: 'sideEffects is undefined, expected false' },
    { what: 'a ./register entry not in sideEffects', edit: (m: Manifest) => { m.exports!['./register'] = entry('register'); m['size-limit']!.push({ path: 'dist/register.js', limit: '1 kB', gzip: true }); }, problem: 'expected exactly the register entries ["./dist/register.js"]' },
    { what: 'a workspace: range left in', edit: (m: Manifest) => { m.peerDependencies = { '@tensile/core': 'workspace:^' }; }, problem: 'peerDependencies.@tensile/core is still workspace:^' },
    { what: 'core as a dependency', edit: (m: Manifest) => { m.dependencies = { '@tensile/core': '^1.0.0' }; delete m.peerDependencies; }, problem: '@tensile/core must be a peerDependency' },
    { what: 'an entry point without a budget', edit: (m: Manifest) => { m['size-limit'] = []; }, problem: 'size-limit has no budget for exports["."]' },
    { what: 'a brotli budget', edit: (m: Manifest) => { delete m['size-limit']![0]!.gzip; }, problem: 'must say "gzip": true' },
  ])('$what', ({ edit, problem }) => {
    expect(manifestProblems(fakePackage({ manifest: edit })).join('\n')).toContain(problem);
  });
});

describe('readmeProblems reports', () => {
  it.each([
    { what: 'no install line', readme: goodReadme.replace('npm install @tensile/demo', 'npm install something'), problem: 'no "npm install @tensile/demo" line' },
    { what: 'no example', readme: goodReadme.replace('```ts', '```js'), problem: 'no ```ts example' },
    { what: 'no link to the main README', readme: goodReadme.replace(mainReadmeUrl(), 'https://example.org'), problem: 'no link to the main README' },
    { what: 'a backend without requirements', readme: goodReadme, dir: 'packages/backend-demo', problem: 'needs a "## Requirements" section' },
  ])('$what', ({ readme, dir, problem }) => {
    expect(readmeProblems(fakePackage({ readme, dir })).join('\n')).toContain(problem);
  });

  it('accepts a backend README that states Node, WebAssembly and WebGPU needs', () => {
    const readme = `${goodReadme}\n## Requirements\n\n- Node 20 or newer; WebAssembly SIMD in browsers; no WebGPU.\n`;
    expect(readmeProblems(fakePackage({ readme, dir: 'packages/backend-demo' }))).toEqual([]);
  });
});

describe('parseLimit reads size-limit budgets (kB = 1000 B)', () => {
  it.each([['512 B', 512], ['12 kB', 12000], ['8.5 kB', 8500], ['1 KiB', 1024], ['2 MB', 2e6]] as const)('%s', (limit, bytes) => {
    expect(parseLimit(limit)).toBe(bytes);
  });

  it('throws on a limit it cannot read, naming it', () => {
    expect(() => parseLimit('12 parsecs')).toThrow('cannot read the limit "12 parsecs"');
  });
});
