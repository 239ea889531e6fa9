// The installed tarballs in a browser: a page importing @tensile/core and every backend, bundled
// by Vite, served on localhost and run in headless Chromium (Debian's, DESIGN.md §7).
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { serveStatic, type StaticServer } from '../src/serve.js';

const { projectDir, backends, missingBackends } = inject('release');
const CHROMIUM = '/usr/lib/chromium/chromium';

interface PageResult {
  pkg: string; backend?: string; status: string; reason?: string;
  matmul: number[]; value: number[]; grad: number[]; softmax: number[]; leaked: number;
}

// One static import per backend package, the way an app imports them (so Vite bundles each).
function backendsModule(): string {
  const entries = backends.map((b) => `  { pkg: '${b.name}', load: ${b.hasRegister ? `() => import('${b.name}/register')` : 'undefined'}, module: () => import('${b.name}') },`);
  return `export const backends = [\n${entries.join('\n')}\n];\n`;
}

let server: StaticServer | undefined;
let browser: Browser | undefined;
let results: PageResult[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  const root = join(projectDir, 'page');
  writeFileSync(join(root, 'backends.js'), backendsModule());
  const outDir = join(projectDir, 'page-dist');
  // Vite resolves @tensile/* from the project's node_modules: the installed tarballs.
  await build({ root, logLevel: 'error', configFile: false, build: { outDir, emptyOutDir: true, target: 'es2022' } });
  server = await serveStatic(outDir);
  browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader'],
  });
  const page = await browser.newPage();
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });
  await page.goto(server.url);
  await page.waitForFunction(() => (window as unknown as { __smoke?: unknown }).__smoke, undefined, { timeout: 60_000 });
  results = await page.evaluate(() => (window as unknown as { __smoke: PageResult[] }).__smoke);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('a Vite-bundled page in headless Chromium', () => {
  for (const m of missingBackends) console.log(`release-check: browser smoke skips ${m.name}: ${m.reason}`);

  it('has Debian chromium to run in', () => {
    expect(existsSync(CHROMIUM)).toBe(true);
  });

  it('loads without page errors and reports every backend package', () => {
    expect(pageErrors).toEqual([]);
    expect(results.map((r) => r.pkg)).toEqual(backends.map((b) => b.name));
  });

  // Expected values by hand: [[1,2],[3,4]] @ [[5,6],[7,8]] = [[19,22],[43,50]]; sum(w^2) at
  // [1,-2,3] = 14 with gradient 2w; softmax([0, ln 3]) = [1/4, 3/4].
  it.each(backends.map((b) => [b.name]))('%s computes the known values in the page', (name) => {
    const r = results.find((x) => x.pkg === name)!;
    if (r.status === 'unavailable') {
      console.log(`release-check: ${name} cannot run in this Chromium: ${r.reason}`);
      expect(name).toBe('@tensile/backend-webgpu');
      return;
    }
    expect(r.reason).toBeUndefined();
    expect(r.status).toBe('ok');
    expect(r.matmul).toEqual([19, 22, 43, 50]);
    expect(r.value).toEqual([14]);
    expect(r.grad).toEqual([2, -4, 6]);
    expect(r.softmax[0]).toBeCloseTo(0.25, 6);
    expect(r.softmax[1]).toBeCloseTo(0.75, 6);
    expect(r.leaked).toBe(0);
  });
});
