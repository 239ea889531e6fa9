// The README's example must keep working: run it as written (against the built package) and
// check what it prints.
// (Not named readme.test.ts: npm always packs files named README*, wherever they are.)
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const readme = fileURLToPath(new URL('../README.md', import.meta.url));
// Written inside the package, so '@tensile/data' resolves to itself and '@tensile/*' through its dependencies.
const script = fileURLToPath(new URL('../readme-example.tmp.mjs', import.meta.url));

describe('README example', () => {
  it('runs, trains over every sample each epoch and leaves no tensor behind', () => {
    const code = /```ts\n([\s\S]*?)```/.exec(readFileSync(readme, 'utf8'))![1]!;
    writeFileSync(script, code);
    try {
      const lines = execFileSync(process.execPath, [script], { encoding: 'utf8' }).trim().split('\n');
      expect(lines).toEqual(['epoch 0: 1000 images in 16 batches', 'epoch 1: 1000 images in 16 batches', '0']);
    } finally {
      rmSync(script, { force: true });
    }
  }, 60000);
});
