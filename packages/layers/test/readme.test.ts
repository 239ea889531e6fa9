// The README's example must keep working: run it as written (against the built package).
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const readme = fileURLToPath(new URL('../README.md', import.meta.url));
// Inside the package, so '@tensile/layers' resolves to itself and the rest through its dependencies.
const script = fileURLToPath(new URL('../readme-example.tmp.mjs', import.meta.url));

describe('README example', () => {
  it('trains, prints PyTorch state-dict keys and leaves no tensor behind', () => {
    const code = /```ts\n([\s\S]*?)```/.exec(readFileSync(readme, 'utf8'))![1]!;
    writeFileSync(script, code);
    try {
      const lines = execFileSync(process.execPath, [script], { encoding: 'utf8' }).trim().split('\n');
      const losses = lines.filter((l) => l.startsWith('step')).map((l) => Number(l.split('loss ')[1]));
      expect(losses).toHaveLength(3);
      expect(losses[2]!).toBeLessThan(losses[0]! / 2);
      expect(lines).toContain('0.weight 0.bias 3.weight 3.bias');
      expect(lines.at(-1)).toBe('0');
    } finally {
      rmSync(script, { force: true });
    }
  });
});
