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

  it('an async factory that rejects while getBackend picks another never crashes the process', async () => {
    const fake = (name: string): Backend => ({ name, specVersion: SPEC_VERSION, memory: () => ({ buffers: 0, bytes: 0 }) }) as unknown as Backend;
    registerBackend('gpu', async () => { throw new Error('no adapter'); }, { priority: 100 });
    registerBackend('cpu', () => fake('cpu'), { priority: 50 });
    expect(getBackend().name).toBe('cpu');
    // the rejection lands on a later task; vitest fails the run on any unhandled one
    await new Promise((r) => setTimeout(r, 10));
    const err = await setBackend('gpu').then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect((err as Error).message).toBe("setBackend: backend 'gpu' failed to initialise: no adapter");
    expect(((err as Error).cause as Error).message).toBe('no adapter');
    expect(getBackend().name).toBe('cpu');
  });

  it('a factory that throws synchronously is reported the same way', async () => {
    registerBackend('throws', () => { throw new Error('bad build'); });
    await expect(setBackend('throws')).rejects.toThrow("setBackend: backend 'throws' failed to initialise: bad build");
  });
});
