// What a tarball may hold: what the package needs at run time and for its types, nothing else.
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path/posix';
import type { PackedPackage } from './pack.js';

/** Files that never belong in a published package, each with the reason it is refused. */
const FORBIDDEN: { pattern: RegExp; why: string }[] = [
  { pattern: /\.(test|spec)\.[cm]?[jt]s$|\.(test|spec)\.d\.[cm]?ts(\.map)?$/, why: 'a test file' },
  { pattern: /(^|\/)(test|tests|__tests__)\//, why: 'a test folder' },
  { pattern: /(^|\/)test_utils\./, why: 'a test helper' },
  { pattern: /(^|\/)fixtures\//, why: 'a test fixture' },
  { pattern: /\.tsbuildinfo$/, why: 'a TypeScript build cache' },
  { pattern: /\.py$/, why: 'a golden-value generator script' },
  { pattern: /(^|\/)(vitest|tsconfig)[^/]*\.(ts|json)$/, why: 'build or test configuration' },
];

/**
 * Fixture folders a package ships on purpose, with the reason: the conformance suite is itself
 * a test library, and its PyTorch goldens are what its published `describeBackend` compares with.
 */
const SHIPPED_FIXTURES: Record<string, { prefixes: string[]; why: string }> = {
  '@tensile/conformance': { prefixes: ['src/fixtures/', 'dist/fixtures/'], why: 'the suite’s golden values' },
};

/** Every file `exports`, `main`, `types` and `sideEffects` name, relative to the package root. */
export function declaredFiles(packed: PackedPackage): string[] {
  const m = packed.manifest;
  const targets: string[] = [];
  for (const value of Object.values(m.exports ?? {})) {
    if (typeof value === 'string') targets.push(value);
    else targets.push(...Object.values(value));
  }
  if (m.main) targets.push(m.main);
  if (m.types) targets.push(m.types);
  if (Array.isArray(m.sideEffects)) targets.push(...m.sideEffects);
  return [...new Set(targets.map((t) => normalize(t)))];
}

/** The `sources` of a source map, resolved to paths inside the package. */
function mapSources(packed: PackedPackage, mapFile: string): string[] {
  const map = JSON.parse(readFileSync(join(packed.unpacked, mapFile), 'utf8')) as { sources: string[]; sourceRoot?: string };
  return map.sources.map((s) => normalize(join(dirname(mapFile), map.sourceRoot ?? '', s)));
}

/**
 * Everything wrong with a tarball's file list: forbidden files, declared entry points that are
 * missing, and source maps (or `sourceMappingURL` comments) that point at unshipped files.
 * @example filesProblems(packed) // [] when the tarball is clean
 */
export function filesProblems(packed: PackedPackage): string[] {
  const problems: string[] = [];
  const shipped = new Set(packed.files);
  const allowed = SHIPPED_FIXTURES[packed.name];
  for (const file of packed.files) {
    for (const { pattern, why } of FORBIDDEN) {
      if (!pattern.test(file)) continue;
      if (why === 'a test fixture' && allowed?.prefixes.some((p) => file.startsWith(p))) continue;
      problems.push(`${file} is ${why} and must not be published`);
    }
  }
  for (const required of ['package.json', 'README.md', 'LICENSE']) {
    if (!shipped.has(required)) problems.push(`${required} is missing from the tarball`);
  }
  for (const target of declaredFiles(packed)) {
    if (!shipped.has(target)) problems.push(`${target} is named in package.json but not in the tarball`);
  }
  for (const file of packed.files) {
    if (file.endsWith('.map')) {
      for (const source of mapSources(packed, file)) {
        if (!shipped.has(source)) problems.push(`${file} points at ${source}, which is not in the tarball`);
      }
    } else if (/\.(m?js|d\.m?ts)$/.test(file)) {
      const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(join(packed.unpacked, file), 'utf8'))?.[1];
      if (url && !url.startsWith('data:')) {
        const target = normalize(join(dirname(file), url));
        if (!shipped.has(target)) problems.push(`${file} names the source map ${target}, which is not in the tarball`);
      }
    }
  }
  return problems;
}

