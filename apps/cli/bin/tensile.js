#!/usr/bin/env node
// The `tensile` bin. It is a committed file rather than dist/main.js itself because pnpm links
// bins at install time, before turbo has built dist/: a bin pointing into dist/ would be skipped
// on a fresh clone, and `npx tensile` would then ask the npm registry for a 'tensile' package.
import { existsSync } from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (existsSync(main)) {
  await import(main.href);
} else {
  console.error("tensile: the CLI is not built yet; run 'npm start' or 'npm test' (they set up and build) first");
  process.exitCode = 1;
}
