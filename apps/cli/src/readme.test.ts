// The README's example must keep working: run it as written and check what it prints.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const readme = fileURLToPath(new URL('../../../README.md', import.meta.url));
// Written inside apps/cli so that '@tensile/*' resolve through this package's dependencies.
const script = fileURLToPath(new URL('../readme-example.tmp.mjs', import.meta.url));

describe('README example', () => {
  it('runs and leaves no tensor behind', () => {
    const code = /```ts\n([\s\S]*?)```/.exec(readFileSync(readme, 'utf8'))![1]!;
    writeFileSync(script, code);
    try {
      const lines = execFileSync(process.execPath, [script], { encoding: 'utf8' }).trim().split('\n');
      // mean((x + 1) * [1, 2]) = mean([[2, 6], [4, 10]]) = 5.5
      expect(lines).toContain('Float32Array(1) [ 5.5 ]');
      expect(lines.at(-1)).toBe('0');
    } finally {
      rmSync(script, { force: true });
    }
  });
});
