// Browser run: the same conformance suite in headless Chromium (Debian's, DESIGN.md §7), where
// the loader fetches dist/kernels.wasm through `new URL('./kernels.wasm', import.meta.url)`.
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Cross-origin isolation, so the page has SharedArrayBuffer and the threaded kernels run.
  server: { headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } },
  test: {
    include: ['test/**/*.browser.test.ts'],
    testTimeout: 60_000,
    browser: {
      enabled: true,
      headless: true,
      provider: playwright({ launchOptions: { executablePath: '/usr/lib/chromium/chromium', args: ['--no-sandbox'] } }),
      instances: [{ browser: 'chromium' }],
    },
  },
});
