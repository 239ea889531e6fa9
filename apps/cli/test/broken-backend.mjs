// Preloaded with `node --import` by cli.test.ts: registers a backend whose factory fails, as a
// GPU backend does on a machine without a GPU.
import { registerBackend } from '@tensile/core';

registerBackend('broken', () => {
  throw new Error('no adapter found\n(a second line the CLI must not print)');
});
