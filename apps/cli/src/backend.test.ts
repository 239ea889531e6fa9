// Backend choice: by name, or the highest-priority one that starts, skipping one that fails.
import { registerBackend } from '@tensile/core';
import { describe, expect, it } from 'vitest';
import { CliError, UsageError } from './args.js';
import { useBestBackend } from './backend.js';

// Above backend-wasm's priority 2 and backend-js's 1, so the default choice tries it first.
registerBackend('broken', () => { throw new Error('no adapter found\nsecond line'); }, { priority: 10 });

describe('useBestBackend', () => {
  it('falls back past a backend that fails to start', async () => {
    expect(await useBestBackend()).toBe('wasm');
    expect(await useBestBackend('js')).toBe('js');
    expect(await useBestBackend('wasm')).toBe('wasm');
  });

  it.each([
    { name: 'nope', type: UsageError, code: 2, message: "unknown backend 'nope' (available: broken, wasm, js, webgpu)" },
    { name: 'broken', type: CliError, code: 1, message: "backend 'broken' is unavailable: no adapter found (available: wasm, js, webgpu)" },
  ])('names the backends when $name cannot be used', async ({ name, type, code, message }) => {
    const err = await useBestBackend(name).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(type);
    expect((err as CliError).exitCode).toBe(code);
    expect((err as CliError).message).toBe(message);
  });
});
