// The suite in a real browser: headless Debian chromium with WebGPU on SwiftShader, through
// vitest browser mode (the backend finds navigator.gpu there, never the Node `webgpu` module).
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.browser.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    browser: {
      enabled: true,
      headless: true,
      provider: playwright({
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium',
          args: ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--no-sandbox'],
        },
      }),
      instances: [{ browser: 'chromium' }],
    },
  },
});
