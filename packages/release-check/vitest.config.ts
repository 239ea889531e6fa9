import { defineConfig } from 'vitest/config';

// One build + pack + install (global set-up) shared by all files; files run one after another
// because each starts processes of its own (attw, npm, vite, chromium) on a 2-core machine.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global_setup.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
