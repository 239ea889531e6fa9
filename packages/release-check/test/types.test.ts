// A TypeScript user of the installed tarballs: every entry point of every package type-checks
// with strict settings and skipLibCheck off, under both module resolutions users run
// (bundler, node16), so no shipped .d.ts names a missing or unresolvable type.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { entryPoints } from '../src/manifest_policy.js';
import { run } from '../src/run.js';

const { projectDir, packed } = inject('release');
const require = createRequire(import.meta.url);
const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
// Node's own types, for the Node-only entries (@tensile/layers/node); nothing of Tensile's.
const nodeTypes = join(dirname(require.resolve('@types/node/package.json')), '..');

const specifiers = packed.flatMap((p) => Object.keys(entryPoints(p.manifest)).map((s) => p.name + s.slice(1)));

describe('the installed .d.ts files, as a TypeScript user compiles them', () => {
  it('names every entry point of every package', () => {
    expect(specifiers).toContain('@tensile/core');
    expect(specifiers.length).toBeGreaterThanOrEqual(packed.length);
  });

  it.each([
    { resolution: 'bundler', module: 'esnext' },
    { resolution: 'node16', module: 'node16' },
  ])('type-checks with moduleResolution $resolution', ({ resolution, module }) => {
    const dir = join(projectDir, `types-${resolution}`);
    mkdirSync(dir, { recursive: true });
    const lines = specifiers.map((s, i) => `import * as entry${i} from '${s}';\nexport const used${i} = Object.keys(entry${i});`);
    writeFileSync(join(dir, 'consumer.ts'), `${lines.join('\n')}\n`);
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        strict: true, skipLibCheck: false, skipDefaultLibCheck: true, noEmit: true, target: 'es2022', lib: ['es2022', 'dom'],
        module, moduleResolution: resolution, typeRoots: [nodeTypes], types: ['node'],
      },
      files: ['consumer.ts'],
    }));
    // Throws with the compiler's messages on any error.
    run(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')]);
  });
});
