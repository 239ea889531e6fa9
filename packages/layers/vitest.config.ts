import { defineConfig } from 'vitest/config';

// Some tests train small models: allow for a loaded 2-core machine (turbo runs packages side by side).
export default defineConfig({ test: { include: ['test/**/*.test.ts'], testTimeout: 60_000 } });
