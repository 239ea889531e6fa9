import { defineConfig } from 'vitest/config';

// The CLI tests spawn processes and train for a few steps: allow for a loaded 2-core machine.
export default defineConfig({ test: { testTimeout: 60_000 } });
