// Node run: the conformance suite and the backend's own tests (the browser file runs in Chromium).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/**/*.browser.test.ts'],
    testTimeout: 60_000,
  },
});
