// awaitSparingCpu (reads on CPU adapters in Node) settles exactly as the promise it waits for.
import { describe, expect, it } from 'vitest';
import { awaitSparingCpu, canSleep } from '../src/spare_cpu.js';

describe('awaitSparingCpu', () => {
  it('may sleep on Node\'s main thread', () => {
    expect(canSleep()).toBe(true);
  });

  it('resolves with the value, after the event loop has turned while it waited', async () => {
    let turns = 0;
    const count = (): void => { if (++turns < 50) setImmediate(count); };
    setImmediate(count);
    const late = new Promise<number>((resolve) => setTimeout(() => resolve(42), 20));
    await expect(awaitSparingCpu(late)).resolves.toBe(42);
    expect(turns).toBeGreaterThan(3);
  });

  it('rejects with the error', async () => {
    const failing = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('lost')), 5));
    await expect(awaitSparingCpu(failing)).rejects.toThrow('lost');
  });
});
