// README examples as runnable scripts: the ```ts blocks, transpiled to JavaScript as written.
import ts from 'typescript';

/**
 * The ```ts blocks of a README, each transpiled to an ES module.
 * @example readmeExamples('```ts\nconst x: number = 1;\n```')[0] // 'const x = 1;\n'
 */
export function readmeExamples(markdown: string): string[] {
  return [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => ts.transpileModule(m[1]!, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
  }).outputText);
}
