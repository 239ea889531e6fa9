// Node runs of the suite on Dawn. Without a GPU, Dawn runs on SwiftShader (Debian's chromium):
// the Vulkan loader reads VK_ICD_FILENAMES from the process environment, so it is set here,
// in the main process, before any worker loads the `webgpu` module. Worker threads, not forks:
// a forked worker that exits with Dawn's threads alive aborts (a futex error).
import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (process.env.VK_ICD_FILENAMES === undefined && existsSync(SWIFTSHADER_ICD)) {
  process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
}

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['test/**/*.browser.test.ts'],
    pool: 'threads',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
