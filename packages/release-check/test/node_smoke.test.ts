// The installed tarballs in Node: the README examples as written, and two epochs of training
// of a small MLP (@tensile/layers + @tensile/optimizers + @tensile/data) on every backend.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { entryPoints } from '../src/manifest_policy.js';
import { readmeExamples } from '../src/readme_examples.js';
import { repoRoot } from '../src/workspace.js';

const { projectDir, packed, backends, missingBackends } = inject('release');
// Without a GPU, Dawn (the npm `webgpu` package) runs on Chromium's SwiftShader Vulkan driver
// (DESIGN.md §7); a machine with its own Vulkan set-up keeps it.
const swiftshader = '/usr/lib/chromium/vk_swiftshader_icd.json';
const env = { ...process.env, ...(!process.env.VK_ICD_FILENAMES && existsSync(swiftshader) ? { VK_ICD_FILENAMES: swiftshader } : {}) };
const node = (script: string, args: string[] = []) =>
  execFileSync(process.execPath, [script, ...args], { cwd: projectDir, encoding: 'utf8', timeout: 120_000, env });

// Each README's first example, with a probe appended that prints the values its comments state.
// Expected values are the READMEs' own, derived by hand: x = [[1,2],[3,4]], (x + 1) * [1, 2] =
// [[2,6],[4,10]], mean 22 / 4 = 5.5; sum(w^2) at [1,-2,3] = 1 + 4 + 9 = 14, gradient 2w.
const readmes = [
  {
    readme: 'README.md', probe: '',
    check: (lines: string[]) => {
      expect(lines).toHaveLength(4);
      const rowSums = JSON.parse(lines[0]!) as number[];                  // relu(x @ w).sum(1) of a random w
      expect(rowSums).toHaveLength(2);
      for (const v of rowSums) expect(v).toBeGreaterThanOrEqual(0);
      expect(lines[1]).toMatch(/^Float32Array\(1\) \[ -?[\d.e+-]+ \] \[ 2, 3 \]$/); // value, grads[0].shape
      expect(lines[2]).toBe('Float32Array(1) [ 5.5 ]');
      expect(lines[3]).toBe('0');                                          // memory().tensors
    },
  },
  {
    readme: 'packages/core/README.md',
    probe: 'console.log(JSON.stringify([...await value.data(), ...await grads[0].data()]));',
    check: (lines: string[]) => expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([[14, 2, -4, 6]]),
  },
];

describe('every entry point of every package, imported in Node from the installed tarballs', () => {
  it('loads (dependencies declared and installed, every file it imports shipped)', () => {
    const specifiers = packed.flatMap((p) => Object.keys(entryPoints(p.manifest)).map((s) => p.name + s.slice(1)));
    const script = join(projectDir, 'import-all.mjs');
    writeFileSync(script, `for (const s of ${JSON.stringify(specifiers)}) console.log(s, Object.keys(await import(s)).length);\n`);
    const lines = node(script).trim().split('\n');
    expect(lines.map((l) => l.split(' ')[0])).toEqual(specifiers);
    // Each main entry exports something (a ./register entry may export nothing).
    for (const l of lines.filter((l) => !l.includes('/register '))) expect(Number(l.split(' ')[1])).toBeGreaterThan(0);
  });
});

describe('README examples, run against the installed tarballs', () => {
  it.each(readmes)('$readme', ({ readme, probe, check }) => {
    const code = readmeExamples(readFileSync(join(repoRoot, readme), 'utf8'))[0]!;
    const script = join(projectDir, `readme-${readme.replace(/\W+/g, '-')}.mjs`);
    writeFileSync(script, `${code}\n${probe}\n`);
    check(node(script).trim().split('\n').map((l) => l.replace(/\n/g, '')));
  });
});

describe('@tensile/conformance from its tarball, as a third-party backend author runs it', () => {
  it('passes in full against the installed @tensile/backend-js, run by the installed vitest', () => {
    writeFileSync(join(projectDir, 'conformance-js.test.mjs'), [
      "import { describeBackend } from '@tensile/conformance';",
      "import { createJsBackend } from '@tensile/backend-js';",
      "describeBackend('js', createJsBackend, { readSync: true });",
    ].join('\n'));
    const report = join(projectDir, 'conformance-report.json');
    // A clean environment: the child is its own vitest run, not a worker of this one.
    const childEnv = Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('VITEST') && k !== 'NODE_OPTIONS'));
    execFileSync(process.execPath, [join(projectDir, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'conformance-js.test.mjs',
      '--reporter=json', `--outputFile=${report}`], { cwd: projectDir, env: childEnv, stdio: 'pipe', timeout: 300_000 });
    const json = JSON.parse(readFileSync(report, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number };
    expect(json.numFailedTests).toBe(0);
    expect(json.numPendingTests).toBe(0);
    expect(json.numPassedTests).toBeGreaterThan(1000); // the whole suite, not a subset
  }, 300_000);
});

describe('two epochs of training on every backend package', () => {
  for (const m of missingBackends) console.log(`release-check: Node smoke skips ${m.name}: ${m.reason}`);

  it.each(backends.map((b) => [b.name]))('%s', (name) => {
    const result = JSON.parse(node('train.mjs', [name]).trim().split('\n').at(-1)!) as
      { status: string; reason?: string; backend?: string; losses: number[]; accuracies: number[]; leaked: number };
    if (result.status === 'unavailable') {
      // Allowed only where the environment lacks the device (decided without the backend).
      console.log(`release-check: ${name} cannot run in Node here: ${result.reason}`);
      expect(name).toBe('@tensile/backend-webgpu');
      return;
    }
    expect(result.status).toBe('ok');
    const [first, second] = result.losses as [number, number];
    expect(first).toBeLessThan(Math.log(2));       // below chance-level cross-entropy within the first epoch
    expect(second).toBeLessThan(first);            // and lower again in the second
    expect(result.accuracies[1]).toBeGreaterThanOrEqual(0.9);
    expect(result.leaked).toBe(0);                 // everything disposed: memory() back to its start
  });
});
