import { describe, expect, it } from 'vitest';
import { BackendError, SPEC_VERSION, getBackend, listBackends, registerBackend, setBackend, type Backend } from '../src/index.js';

describe('backend registry', () => {
  it('has no backend until one is registered, and says how to get one', () => {
    expect(listBackends()).toEqual([]);
    expect(() => getBackend()).toThrow(BackendError);
    expect(() => getBackend()).toThrow(/getBackend: no backend is ready/);
  });

  it('rejects unknown names and other contract versions, naming setBackend', async () => {
    await expect(setBackend('nope')).rejects.toThrow(/setBackend: no backend named 'nope'/);
    registerBackend('old', () => ({ name: 'old', specVersion: 0 }) as unknown as Backend);
    await expect(setBackend('old')).rejects.toThrow(BackendError);
    await expect(setBackend('old')).rejects.toThrow(`setBackend: backend 'old' implements contract version 0, core needs ${SPEC_VERSION}`);
    expect(SPEC_VERSION).toBe(2);
  });

  it('lists backends by priority and registers idempotently', () => {
    const fake = (): Backend => ({ name: 'x', specVersion: 1 }) as unknown as Backend;
    registerBackend('low', fake, { priority: 1 });
    registerBackend('high', fake, { priority: 5 });
    registerBackend('low', fake, { priority: 9 });
    expect(listBackends().slice(0, 2)).toEqual(['high', 'low']);
  });
});
