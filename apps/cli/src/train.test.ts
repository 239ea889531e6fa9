// The training loop on a small subset: the loss falls and no tensor outlives an epoch.
import { memory } from '@tensile/core';
import { describe, expect, it } from 'vitest';
import { train } from './train.js';

describe('train', () => {
  it('lowers the loss in one epoch with flat memory', async () => {
    const lines: string[] = [];
    const before = memory().tensors;
    const r = await train({ epochs: 1, trainSize: 1280, testSize: 400, lr: 0.1, progress: false, log: (l) => lines.push(l) });
    const [epoch] = r.epochs;
    expect(r.losses).toHaveLength(20);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(r.losses.slice(-5))).toBeLessThan(mean(r.losses.slice(0, 5)) * 0.8);
    expect(epoch!.tensorsAfter).toBe(epoch!.tensorsBefore);
    expect(memory().tensors).toBe(before);
    expect(r.testAccuracy).toBeGreaterThan(0.5);
    expect(lines.some((l) => l.startsWith('backend: '))).toBe(true);
  }, 30_000);
});
