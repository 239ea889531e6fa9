import { describe, expect, it } from 'vitest';
import { median, timeCase } from './timing.js';

describe('timeCase', () => {
  it('times a microsecond-scale case in batches, so the median is per run', async () => {
    let calls = 0;
    const c = { run: async () => { calls++; }, dispose: () => {} };
    const t = await timeCase(c, 200, 3, 5);
    // 300 ms of warm-up and 3-5 samples of ~1 ms each: far more calls than samples.
    expect(calls).toBeGreaterThan(1000);
    expect(t.runs).toBeGreaterThanOrEqual(3);
    expect(t.runs).toBeLessThanOrEqual(5);
    expect(t.ms).toBeGreaterThan(0);
    expect(t.ms).toBeLessThan(0.1); // an empty async call, not a millisecond batch
  });

  it('times a slow case one run per sample', async () => {
    let calls = 0;
    const c = { run: () => new Promise<void>((r) => { calls++; setTimeout(r, 20); }), dispose: () => {} };
    const t = await timeCase(c, 100, 3, 5);
    expect(calls).toBe(3 + t.runs); // 3 warm-up runs, then one per sample
    expect(t.ms).toBeGreaterThanOrEqual(19);
  });

  it('median of odd and even lists', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
