// Node run: the conformance suite and the backend's own tests (the browser file runs in Chromium).
// Two projects: the plain SIMD128 artifacts (Node 20 has no relaxed SIMD by default), and the
// relaxed-SIMD artifacts, run in workers given --experimental-wasm-relaxed-simd where this Node
// needs the flag (Node 22+ has relaxed SIMD on, and may not know the flag).
import { defineConfig } from 'vitest/config';

const PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 61, 1, 59, 0,
  253, 12, ...new Array<number>(16).fill(0), 253, 12, ...new Array<number>(16).fill(0), 253, 12, ...new Array<number>(16).fill(0),
  253, 133, 2, 11,
]);
const relaxedFlag = WebAssembly.validate(PROBE) ? [] : ['--experimental-wasm-relaxed-simd'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'simd128', include: ['test/**/*.test.ts'], exclude: ['test/**/*.browser.test.ts', 'test/**/*.relaxed.test.ts'] } },
      { extends: true, test: { name: 'relaxed-simd', include: ['test/**/*.relaxed.test.ts'], pool: 'forks', execArgv: relaxedFlag } },
    ],
  },
});
