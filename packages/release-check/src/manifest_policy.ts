// What every published package.json and README must say (STYLE.md "Packages and tooling").
import { readFileSync } from 'node:fs';
import { join, normalize } from 'node:path/posix';
import type { PackedPackage } from './pack.js';
import { readJson, repoRoot, type Manifest } from './workspace.js';

/** The repository every package points at: the root package.json's, the single source of truth. */
export function rootRepositoryUrl(): string {
  const url = readJson<Manifest>(join(repoRoot, 'package.json')).repository?.url;
  if (!url) throw new Error('the root package.json has no repository.url');
  return url;
}

/** The main README's address on the web, derived from the repository URL. */
export function mainReadmeUrl(): string {
  const web = rootRepositoryUrl().replace(/^git\+/, '').replace(/\.git$/, '');
  return `${web}#readme`;
}

/** The conditions every code entry point has, in this order (types first, default last). */
const CONDITIONS = ['types', 'import', 'default'];

/** The files the export subpaths load (their `import` condition), keyed by subpath. */
export function entryPoints(m: Manifest): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const [subpath, value] of Object.entries(m.exports ?? {})) {
    if (subpath === './package.json') continue;
    const file = typeof value === 'string' ? value : value.import;
    if (file) entries[subpath] = normalize(file);
  }
  return entries;
}

/**
 * Everything wrong with a packed package.json: metadata, ESM `exports`, `sideEffects`, the
 * `@tensile/core` peer, leftover `workspace:` ranges and missing size budgets.
 * @example manifestProblems(packed, 'packages/core') // [] when the manifest is complete
 */
export function manifestProblems(packed: PackedPackage): string[] {
  const m = packed.manifest;
  const problems: string[] = [];
  const need = (ok: unknown, what: string) => { if (!ok) problems.push(what); };
  need(m.name.startsWith('@tensile/'), `name ${m.name} is not in the @tensile scope`);
  need(/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(m.version), `version ${m.version} is not semver`);
  need(m.description, 'description is missing');
  need(m.license === 'MIT', `license is ${m.license}, expected MIT (the LICENSE file's)`);
  need(m.repository?.url === rootRepositoryUrl(), `repository.url is ${m.repository?.url}, expected the root's ${rootRepositoryUrl()}`);
  need(m.repository?.directory === packed.dir, `repository.directory is ${m.repository?.directory}, expected ${packed.dir}`);
  need(Array.isArray(m.keywords) && m.keywords.includes('tensile') && m.keywords.length >= 3, 'keywords must include "tensile" and at least two more');
  need(m.engines?.node === '>=20', `engines.node is ${m.engines?.node}, expected ">=20"`);
  need(m.type === 'module', 'type must be "module" (ESM only)');
  need(m.exports?.['./package.json'] === './package.json', 'exports must expose "./package.json"');
  const entries = entryPoints(m);
  need(entries['.'], 'exports has no "." entry');
  for (const [subpath, value] of Object.entries(m.exports ?? {})) {
    if (subpath === './package.json') continue;
    const keys = typeof value === 'string' ? [] : Object.keys(value);
    need(keys.join() === CONDITIONS.join(), `exports["${subpath}"] has conditions [${keys}], expected [${CONDITIONS}]`);
    if (typeof value !== 'string') {
      need(value.types?.endsWith('.d.ts'), `exports["${subpath}"].types is not a .d.ts`);
      need(value.import === value.default, `exports["${subpath}"] import and default differ`);
    }
  }
  // sideEffects: false, except the side-effect entries (`./register`), which must be listed so
  // bundlers keep them; nothing else may be listed.
  const registers = Object.entries(entries).filter(([s]) => s === './register' || s.endsWith('/register')).map(([, f]) => f);
  if (registers.length === 0) {
    need(m.sideEffects === false, `sideEffects is ${JSON.stringify(m.sideEffects)}, expected false (no ./register entry)`);
  } else {
    const listed = Array.isArray(m.sideEffects) ? m.sideEffects.map((f) => normalize(f)).sort() : [];
    need(listed.join() === registers.sort().join(), `sideEffects is ${JSON.stringify(m.sideEffects)}, expected exactly the register entries ${JSON.stringify(registers.map((f) => `./${f}`))}`);
  }
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies'] as const) {
    for (const [dep, range] of Object.entries((m[field] ?? {}) as Record<string, string>)) {
      need(!range.startsWith('workspace:'), `${field}.${dep} is still ${range} in the tarball`);
    }
  }
  if (m.name !== '@tensile/core') {
    need(m.peerDependencies?.['@tensile/core'], '@tensile/core must be a peerDependency (one copy per app)');
    need(!m.dependencies?.['@tensile/core'], '@tensile/core must not be a dependency (a second copy would split the registry)');
  }
  const budgets = m['size-limit'] ?? [];
  for (const [subpath, file] of Object.entries(entries)) {
    need(budgets.some((b) => normalize(b.path) === file), `size-limit has no budget for exports["${subpath}"] (${file})`);
  }
  for (const b of budgets) need(b.gzip === true, `size-limit entry ${b.path} must say "gzip": true (the budgets are gzip sizes)`);
  return problems;
}

/**
 * Everything missing from a package's README: the install line, a TypeScript example and a
 * link to the main README (npm shows the README alone, so the link is absolute).
 * @example readmeProblems(packed) // []
 */
export function readmeProblems(packed: PackedPackage): string[] {
  const text = readFileSync(join(packed.unpacked, 'README.md'), 'utf8');
  const problems: string[] = [];
  if (!text.startsWith(`# ${packed.name}\n`)) problems.push(`README.md does not start with "# ${packed.name}"`);
  if (!new RegExp(`npm install [^\\n]*${packed.name.replace('/', '\\/')}(\\s|$)`).test(text)) problems.push(`README.md has no "npm install ${packed.name}" line`);
  if (!/```ts\n[\s\S]*?\n```/.test(text)) problems.push('README.md has no ```ts example');
  if (!text.includes(mainReadmeUrl())) problems.push(`README.md has no link to the main README (${mainReadmeUrl()})`);
  // A backend states where it runs: the Node version and what a browser must offer.
  if (packed.dir.startsWith('packages/backend-')) {
    const section = /\n## Requirements\n([\s\S]*?)(\n## |$)/.exec(text)?.[1] ?? '';
    if (!/Node \d+/.test(section) || !/WebAssembly/.test(section) || !/WebGPU/.test(section)) {
      problems.push('README.md of a backend needs a "## Requirements" section naming the Node version and its WebAssembly and WebGPU needs');
    }
  }
  return problems;
}
