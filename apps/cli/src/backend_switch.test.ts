// Switching backends between epochs (wasm -> js -> wasm -> js) keeps training continuous: the
// per-step loss curve equals, within float32 rounding, that of a run that never leaves wasm
// (same seeds, same batches), and it keeps falling across every switch.
import { getBackendName, memory, setBackend } from '@tensile/core';
import { DataLoader, loadFashionMnist } from '@tensile/data';
import { fit } from '@tensile/layers';
import { crossEntropy } from '@tensile/layers/functional';
import { Adam } from '@tensile/optimizers';
import { describe, expect, it } from 'vitest';
import { useBestBackend } from './backend.js';
import { mlp } from '@tensile/models';

/** Per-step training losses of an MLP trained one epoch on each backend of `schedule` in turn. */
async function lossCurve(schedule: readonly string[]): Promise<number[]> {
  await setBackend(schedule[0]!);
  const data = await loadFashionMnist({ trainSize: 384, testSize: 1 });
  const model = mlp({ hidden: [64], seed: 11 });
  const optimizer = new Adam(model.parameters(), { lr: 2e-3 });
  const losses: number[] = [];
  try {
    for (const [epoch, name] of schedule.entries()) {
      await setBackend(name);
      expect(getBackendName()).toBe(name);
      let seen = { samples: 0, total: 0 };
      await fit(model, new DataLoader(data.train, { batchSize: 64, shuffle: true, seed: 100 + epoch }), {
        optimizer, loss: crossEntropy, epochs: 1, logEvery: 1,
        onProgress: (p) => {
          if (p.type !== 'batch') return;
          const total = p.loss * p.samples;
          losses.push((total - seen.total) / (p.samples - seen.samples));
          seen = { samples: p.samples, total };
        },
      });
    }
  } finally {
    model.dispose();
    optimizer.dispose();
    data.train.dispose();
    data.test.dispose();
  }
  return losses;
}

describe('switching backends mid-training', () => {
  it('keeps the loss curve continuous: the same curve as staying on wasm', async () => {
    expect(await useBestBackend()).toBe('wasm');
    const before = memory().tensors;
    const stay = await lossCurve(['wasm', 'wasm', 'wasm', 'wasm']);
    const hop = await lossCurve(['wasm', 'js', 'wasm', 'js']);
    expect(hop).toHaveLength(4 * 6);
    // Both backends round float32 the same way per op; sums run in another order, so the
    // curves agree to ~1e-6 relative per step, and 24 Adam steps stay well inside 1e-3.
    hop.forEach((l, i) => expect(Math.abs(l - stay[i]!)).toBeLessThanOrEqual(1e-3 * Math.abs(stay[i]!)));
    // And training goes on across every switch: each epoch's mean loss is below the previous one.
    const epochMeans = [0, 1, 2, 3].map((e) => hop.slice(6 * e, 6 * e + 6).reduce((a, b) => a + b, 0) / 6);
    for (let e = 1; e < 4; e++) expect(epochMeans[e]!).toBeLessThan(epochMeans[e - 1]!);
    expect(memory().tensors).toBe(before);
  }, 60_000);
});
