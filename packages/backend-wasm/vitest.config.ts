// Node run: the conformance suite and the backend's own tests (the browser file runs in Chromium).
// Two projects: the plain SIMD128 artifacts (Node 20 has no relaxed SIMD by default), and the
// relaxed-SIMD artifacts, run in workers given --experimental-wasm-relaxed-simd where this Node
// needs the flag (Node 22+ has relaxed SIMD on, and may not know the flag).
import { defineConfig } from 'vitest/config';
// The built loader's probe (tests run after the build).
import { relaxedSimdSupported } from './dist/loader.js';

const relaxedFlag = relaxedSimdSupported() ? [] : ['--experimental-wasm-relaxed-simd'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'simd128', include: ['test/**/*.test.ts'], exclude: ['test/**/*.browser.test.ts', 'test/**/*.relaxed.test.ts'] } },
      { extends: true, test: { name: 'relaxed-simd', include: ['test/**/*.relaxed.test.ts'], pool: 'forks', execArgv: relaxedFlag } },
    ],
  },
});
