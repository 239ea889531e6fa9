import { describe, expect, it } from 'vitest';
import { median, timeCase, timeSideBySide } from './timing.js';

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

  it('interleaves contenders sample by sample, each after its `before`', async () => {
    const log: string[] = [];
    let selected = '';
    const contender = (name: string) => ({
      case: { run: () => new Promise<void>((r) => { log.push(`${name}@${selected}`); setTimeout(r, 2); }), dispose: () => {} },
      before: async () => { selected = name; },
    });
    const [a, b] = await timeSideBySide([contender('a'), contender('b')], 20, 4, 4);
    expect(a!.runs).toBe(4);
    expect(b!.runs).toBe(4);
    // 3 warm-up runs each (a's, then b's), then 4 rounds of a, b; every run after its own `before`.
    expect(log).toEqual([...Array(3).fill('a@a'), ...Array(3).fill('b@b'), ...Array(4).fill(['a@a', 'b@b']).flat()]);
  });

  it('median of odd and even lists', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
