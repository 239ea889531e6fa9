// The training loop on a small subset: the loss falls, it is read back once per logging
// interval (never synchronously), and no tensor outlives an epoch.
import { memory, Tensor } from '@tensile/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { train } from './train.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('train', () => {
  it('lowers the loss in one epoch with flat memory, reading the loss once per interval', async () => {
    const data = vi.spyOn(Tensor.prototype, 'data');
    const dataSync = vi.spyOn(Tensor.prototype, 'dataSync');
    const lines: string[] = [];
    const before = memory().tensors;
    // 1280 images / batch 64 = 20 steps, in intervals of 3: six full ones and one of 2 at the epoch's end.
    const r = await train({ epochs: 1, trainSize: 1280, testSize: 400, lr: 0.1, logEvery: 3, progress: false, log: (l) => lines.push(l) });
    const [epoch] = r.epochs;
    expect(r.losses).toHaveLength(7);
    // The epoch's loss is the mean over its 20 steps: each interval mean weighted by its steps.
    const weighted = (r.losses.slice(0, 6).reduce((a, b) => a + b, 0) * 3 + r.losses[6]! * 2) / 20;
    expect(epoch!.loss).toBeCloseTo(weighted, 5);
    expect(r.losses.at(-1)!).toBeLessThan(r.losses[0]! * 0.8);
    // 7 loss reads, then accuracy in chunks of 1000: 2 for 1280 train images, 1 for 400 test ones.
    expect(data).toHaveBeenCalledTimes(7 + 2 + 1);
    expect(dataSync).not.toHaveBeenCalled();
    expect(epoch!.tensorsAfter).toBe(epoch!.tensorsBefore);
    expect(memory().tensors).toBe(before);
    expect(r.testAccuracy).toBeGreaterThan(0.5);
    expect(lines.some((l) => l.startsWith('backend: '))).toBe(true);
  }, 30_000);
});
