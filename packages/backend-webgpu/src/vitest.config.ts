import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['test/**/*.browser.test.ts'],
    setupFiles: ['test/setup_node.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
