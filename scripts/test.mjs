#!/usr/bin/env node
// Runs every package's tests through turbo (which builds first), then totals the vitest
// JSON reports into the one plain line CI reads: "N passed, M failed".
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { pnpmBin } from './pnpm.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dirs = ['packages', 'apps'].flatMap((d) =>
  readdirSync(join(root, d)).map((p) => join(root, d, p)));
// Each vitest run writes one JSON report into its package: `.vitest-report.json`, plus one
// `.vitest-report.<name>.json` per further run (e.g. browser mode), all of them totalled.
const reports = (dir) => (existsSync(dir) ? readdirSync(dir) : [])
  .filter((f) => /^\.vitest-report(\.[\w-]+)?\.json$/.test(f)).map((f) => join(dir, f));
for (const dir of dirs) for (const f of reports(dir)) rmSync(f, { force: true });

const r = spawnSync(process.execPath,
  [pnpmBin, 'exec', 'turbo', 'run', 'test', '--concurrency=1', '--continue'],
  { cwd: root, stdio: 'inherit' });

let passed = 0;
let failed = 0;
for (const file of dirs.flatMap(reports)) {
  const json = JSON.parse(readFileSync(file, 'utf8'));
  passed += json.numPassedTests;
  // A file that fails to load has no failed tests of its own; count it once.
  failed += json.numFailedTests || json.numFailedTestSuites || 0;
}
if (r.status !== 0 && failed === 0) failed = 1; // a crash outside the test runner still counts
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || r.status !== 0 ? 1 : 0);
