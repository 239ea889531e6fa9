import { defineConfig } from 'vitest/config';

// Models train and run full-size forwards: allow for a loaded 2-core machine.
export default defineConfig({ test: { include: ['test/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 } });
