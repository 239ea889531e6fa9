// The README's sequence/DCGAN/Siamese example must keep working: run it as written (against
// the built package), and check what it prints.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';


const readme = fileURLToPath(new URL('../README.md', import.meta.url));
// Inside the package, so '@tensile/models' resolves to itself and the rest through its dependencies.
const script = fileURLToPath(new URL('../readme-seqgen-example.tmp.mjs', import.meta.url));

describe('README example: sequence models, DCGAN and Siamese networks', () => {
  it('runs and leaves no tensor behind', () => {
    const section = readFileSync(readme, 'utf8').split('## Sequence models, DCGAN and Siamese networks')[1]!;
    const code = /```ts\n([\s\S]*?)```/.exec(section)![1]!;
    writeFileSync(script, ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText);
    try {
      const lines = execFileSync(process.execPath, [script], { encoding: 'utf8' }).trim().split('\n');
      expect(lines).toEqual(['logits 2x3', 'images 4x1x28x28', 'distance 2 loss true', '0']);
    } finally {
      rmSync(script, { force: true });
    }
  });
});
